"""Issue 14, Handlingsplan: proposals in words, "the five most important" at once, one form per action with
labelled fields, and an upload preview that says which actions and fields change."""

from __future__ import annotations

import datetime as dt
import io

import store
from app.widgets import literal
from questionnaires.actionplan import PlanItem
from reports import formatting as fmt
from service import reports as service_reports
from tests.app.conftest import LEAD, app


def page(region="19", round_="2026"):
    at = app("sv", LEAD)
    at.session_state["chosen_region"] = region
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/plan.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def assessment(db):
    return store.get_assessment(db, store.system_identity(), "19", "2026")


def items(db):
    return store.plan_items(db, store.system_identity(), assessment(db).id)


def test_proposals_are_explained_in_words(demo_db):
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    report = service_reports.region_report(db, lead, "19", "2026", lang="sv")
    q = db.questionnaire(assessment(db).questionnaire)
    first = next(p for p in report.proposals if p.gap)
    stage = next(s for s in q.stages if s.id == first.target_stage).name["sv"]
    dimension = q.dimension_by_id[first.dimension]
    at = page()
    said = [m.value for m in at.markdown]
    assert (f"**{dimension.id} {dimension.title['sv']}** – Målet är {stage}; ni ligger "
            f"{fmt.decimal(first.gap, 'sv', 1)} under.") in said
    step = first.actions[0]
    text = next(a.text["sv"] for a in q.actions if a.id == step["id"])
    assert any(m.endswith(f"{step['indicator']}, från nivå {step['from_level']} till {step['to_level']}: {text}")
               for m in said)


def test_the_five_most_important_proposals_are_added_at_once(demo_db):
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    report = service_reports.region_report(db, lead, "19", "2026", lang="sv")
    expected = [step["id"] for p in report.proposals if p.gap for step in p.actions][:5]
    at = page()
    at.button(key="add_top_five").click().run()
    assert not at.exception
    assert sorted(i.source_action for i in items(db)) == sorted(expected)
    assert "Planen är sparad (version 1)." in [s.value for s in at.success]


def test_one_action_is_edited_in_a_form_with_labelled_fields(demo_db):
    db, _ = demo_db
    store.save_plan(db, store.system_identity(), assessment(db).id,
                    [PlanItem(None, "D1", "Ta fram ett inriktningsbeslut", ("D1.1",))])
    [item] = items(db)
    at = page()
    assert not [w for w in at.text_input if w.key and w.key.startswith("plan_item_")]  # closed: a list, no form
    at.button(key=f"plan_open_{item.id}").click().run()
    labels = {w.label for kind in ("text_input", "text_area", "date_input", "selectbox") for w in getattr(at, kind)
              if w.key and w.key.startswith(f"plan_item_{item.id}_")}
    assert labels == {"Åtgärd", "Ansvarig", "Start", "Klart senast", "Resurser", "Framgångsindikator", "Status"}
    at.text_input(key=f"plan_item_{item.id}_owner").input("Anna Andersson")
    at.date_input(key=f"plan_item_{item.id}_due").set_value(dt.date(2027, 3, 31))
    at.selectbox(key=f"plan_item_{item.id}_status").set_value("ongoing")
    at.text_input(key=f"plan_item_{item.id}_success_indicator").input("Beslut fattat i regionstyrelsen")
    at.button(key=f"FormSubmitter:plan_item_{item.id}-Spara åtgärden").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    [saved] = items(db)
    assert (saved.owner, saved.due, saved.status, saved.success_indicator) == (
        "Anna Andersson", dt.date(2027, 3, 31), "ongoing", "Beslut fattat i regionstyrelsen")
    assert saved.action == "Ta fram ett inriktningsbeslut"
    assert not [w for w in at.text_input if w.key and w.key.startswith("plan_item_")]  # saved and closed


def test_the_upload_preview_names_the_actions_and_fields_that_change(demo_db):
    from openpyxl import load_workbook

    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    found = assessment(db)
    store.save_plan(db, lead, found.id, [PlanItem(None, "D2", "Bilda en styrgrupp", ("D2.1",)),
                                         PlanItem(None, "D3", "Gör en utbudskarta", ("D3.2",))])
    by_action = {i.action: i for i in items(db)}
    wb = load_workbook(io.BytesIO(service_reports.plan_workbook_bytes(db, lead, "19", "2026", lang="sv")))
    ws = wb["Handlingsplan"]
    row = next(cell.row for cell in ws["A"] if cell.value == by_action["Bilda en styrgrupp"].id)
    ws[f"J{row}"] = "Klar"
    ws[f"E{row}"] = "Kim Karlsson"
    gone = next(cell.row for cell in ws["A"] if cell.value == by_action["Gör en utbudskarta"].id)
    ws.delete_rows(gone)
    out = io.BytesIO()
    wb.save(out)
    at = page()
    uploader = next(u for u in at.file_uploader if u.key.startswith("plan_upload_"))
    uploader.upload("plan.xlsx", out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    preview = next(m.value for m in at.markdown if "ändrade" in m.value).split("\n")
    assert preview[0] == "Filen innehåller 1 åtgärder: 1 ändrade, 0 nya, 1 borttagna."
    assert preview[1:] == [
        f"- Ändras: {literal('Bilda en styrgrupp')} ({literal('Ansvarig: – → Kim Karlsson; Status: Ej påbörjad → Klar')})",
        f"- Tas bort: {literal('Gör en utbudskarta')}"]
