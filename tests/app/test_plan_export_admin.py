"""Handlingsplan, Export and Administration through the pages, checked against the store."""

from __future__ import annotations

import datetime as dt
import json

import store
from app.widgets import literal
from questionnaires.actionplan import PlanItem
from service import reports as service_reports
from tests.app.conftest import ADMIN, ANALYST, LEAD, VIEWER, app
from tests.conftest import EXAMPLE_ANSWERS


def page(name, email, region=None, round_=None, lang="sv"):
    at = app(lang, email)
    if region:
        at.session_state["chosen_region"] = region
    if round_:
        at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page(f"app/views/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def assessment(db, region="19", round_="2026"):
    return store.get_assessment(db, store.system_identity(), region, round_)


def items(db, region="19", round_="2026"):
    return store.plan_items(db, store.system_identity(), assessment(db, region, round_).id)


def test_a_proposal_becomes_a_plan_item(demo_db):
    db, _ = demo_db
    at = page("plan", LEAD, "19", "2026")
    proposals = [b for b in at.button if b.key and b.key.startswith("propose_")]
    assert proposals, "the gap analysis proposes steps"
    action_id = proposals[0].key.removeprefix("propose_")
    proposals[0].click().run()
    assert not at.exception
    saved = items(db)
    assert [i.source_action for i in saved] == [action_id]
    assert any("Planen är sparad (version 1)" in s.value for s in at.success)


def test_the_editor_saves_smart_fields_and_statuses(demo_db):
    db, _ = demo_db
    store.save_plan(db, store.system_identity(), assessment(db).id,
                    [PlanItem(None, "D1", "Ta fram ett inriktningsbeslut", ("D1.1",), owner="Regiondirektören")])
    at = page("plan", LEAD, "19", "2026")
    key = f"plan_editor_{assessment(db).id}_1"  # the editor's key carries the plan version it shows
    at.session_state[key] = {
        "edited_rows": {0: {"status": "ongoing", "due": "2027-03-31", "owner": "Anna Andersson"}},
        "added_rows": [{"dimension": "D3", "action": "Gör en utbudskarta", "indicators": ["D3.2"],
                        "status": "not_started"}],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save_plan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = {i.action: i for i in items(db)}
    assert saved["Ta fram ett inriktningsbeslut"].status == "ongoing"
    assert saved["Ta fram ett inriktningsbeslut"].due == dt.date(2027, 3, 31)
    assert saved["Ta fram ett inriktningsbeslut"].owner == "Anna Andersson"
    assert saved["Gör en utbudskarta"].indicators == ("D3.2",) and saved["Gör en utbudskarta"].dimension == "D3"


def test_invalid_plan_rows_are_reported_and_nothing_is_saved(demo_db):
    db, _ = demo_db
    at = page("plan", LEAD, "19", "2026")
    at.session_state[f"plan_editor_{assessment(db).id}_0"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"dimension": "D3", "action": "Gör en utbudskarta", "status": "not_started"},
                       {"dimension": "D1", "action": "", "owner": "Någon", "status": "done",
                        "start": "2027-05-01", "due": "2027-01-01"}],
    }
    at.run()
    at.button(key="save_plan").click().run()
    assert "Planen sparades inte" in at.error[0].value
    assert "Åtgärd måste fyllas i" in at.error[0].value and "ligger före start" in at.error[0].value
    assert items(db) == []


def test_viewers_and_analysts_read_the_plan_only(demo_db):
    for email in (VIEWER, ANALYST):
        at = page("plan", email, "19", "2025")
        assert any("Du kan läsa planen" in i.value for i in at.info)
        assert not [b for b in at.button if b.key == "save_plan"]


def test_plan_workbook_round_trip_through_the_page(demo_db):
    import io

    from openpyxl import load_workbook

    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    found = assessment(db)
    store.save_plan(db, lead, found.id, [PlanItem(None, "D2", "Bilda en styrgrupp", ("D2.1",))])
    [item] = items(db)
    wb = load_workbook(io.BytesIO(service_reports.plan_workbook_bytes(db, lead, found.region, found.round, lang="sv")))
    ws = wb["Handlingsplan"]
    row = next(cell.row for cell in ws["A"] if cell.value == item.id)  # the hidden stable id column
    ws[f"J{row}"] = "Klar"
    ws[f"E{row}"] = "Kim Karlsson"
    out = io.BytesIO()
    wb.save(out)
    at = page("plan", LEAD, "19", "2026")
    uploader = next(u for u in at.file_uploader if u.key.startswith("plan_upload_"))
    uploader.upload("plan.xlsx", out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    assert any("1 ändrade, 0 nya, 0 borttagna" in m.value for m in at.markdown), [m.value for m in at.markdown][-5:]
    at.button(key="apply_upload").click().run()
    [item] = items(db)
    assert (item.status, item.owner) == ("done", "Kim Karlsson")


def test_export_offers_region_and_national_files(demo_db):
    lead = page("export", LEAD, "19", "2026")
    keys = {b.key for b in lead.get("download_button")}
    assert {"download_region_html", "download_region_xlsx", "download_template"} <= keys
    assert "download_national_html" not in keys  # 2026 is not published
    analyst = page("export", ANALYST, "19", "2025")
    keys = {b.key for b in analyst.get("download_button")}
    assert {"download_region_html", "download_national_html", "download_national_xlsx", "download_open_csv",
            "download_open_xlsx"} <= keys and "download_template" not in keys


def test_export_builders_produce_the_files(demo_db):
    from reports.region_html import render_region_html

    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    report = service_reports.region_report(db, lead, "19", "2025")
    html = render_region_html(report, "sv")
    assert "Region Västmanland" in html and "<script>" not in html
    assert service_reports.plan_workbook_bytes(db, lead, "19", "2025", lang="en")[:2] == b"PK"


def test_admin_opens_a_round_and_creates_an_account(demo_db):
    db, _ = demo_db
    at = page("admin", ADMIN)
    inputs = [t for t in at.text_input if t.label == "Namn på omgången"]
    inputs[0].input("2027")
    at.button(key="FormSubmitter:open_round-Öppna en ny omgång").click().run()
    assert not at.exception
    assert "2027" in {r.label for r in store.list_rounds(db, store.system_identity())}
    email = next(t for t in at.text_input if t.label == "E-postadress")
    email.input("ny@region.example")
    next(t for t in at.text_input if t.label == "Namn").input("Ny Person")
    at.button(key="FormSubmitter:create_user-Skapa konto").click().run()
    assert "ny@region.example" in {u.email for u in store.list_users(db, store.system_identity())}


def test_admin_imports_an_answers_file(demo_db):
    db, _ = demo_db
    document = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    document.update(questionnaire="regional-validering@1", region="23", round="2026")
    document["respondents"] = [{"id": "imp1", "role": "region", "answers": {"D1.1": 3, "D1.2": "na"}}]
    at = page("admin", ADMIN)
    at.file_uploader(key="admin_import").upload("svar.json", json.dumps(document).encode(), "application/json").run()
    at.button(key="import_now").click().run()
    assert any("Importerat" in s.value for s in at.success)
    sheet, _ = store.answer_sheet(db, store.system_identity(), "regional-validering@1", rounds=["2026"], regions=["23"])
    assert "imp1" in set(sheet["respondent"])


def test_admin_import_reports_every_problem_and_writes_nothing(demo_db):
    db, _ = demo_db
    before = len(store.audit_log(db, store.system_identity(), limit=1000))
    document = {"format": "mognad-answers/1", "questionnaire": "regional-validering@1", "region": "23", "round": "2026",
                "respondents": [{"id": "x", "role": "region", "answers": {"D1.1": 7, "D99.1": 1}}]}
    at = page("admin", ADMIN)
    at.file_uploader(key="admin_import").upload("svar.json", json.dumps(document).encode(), "application/json").run()
    message = at.error[0].value  # each line is shown literally: Markdown-escaped, never interpreted
    assert literal("svar.json: respondent x: indikator D1.1: värdet 7 ligger utanför skalan 0–4") in message
    assert literal("svar.json: respondent x: indikator D99.1: okänd indikator") in message
    assert not [b for b in at.button if b.key == "import_now"]
    assert len(store.audit_log(db, store.system_identity(), limit=1000)) == before


def test_admin_backup_is_admin_only_in_the_store(demo_db):
    import pytest

    db, _ = demo_db
    with pytest.raises(store.Forbidden):
        store.backup_bytes(db, store.identity_for_email(db, ANALYST))
    at = page("admin", ADMIN)
    at.button(key="make_backup").click().run()
    assert at.session_state["_backup"].startswith(b'{"format"')
