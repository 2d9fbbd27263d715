"""Fyll i: every change is saved at once as a revision, survives a new session, and never overwrites
someone else's newer answer silently."""

from __future__ import annotations

import store
from app.widgets import literal
from tests.app.conftest import LEAD, RESPONDENT, app


def fill(email=LEAD, region="19", lang="sv", sheet=None):
    at = app(lang, email)
    at.session_state["chosen_region"] = region
    if sheet is not None:
        at.session_state["chosen_sheet"] = sheet
    at.run()
    at.switch_page("app/views/fill.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sheet_id(db, key="r1", region="19", round_="2026"):
    who = store.system_identity()
    assessment = store.get_assessment(db, who, region, round_)
    return next(r.id for r in store.list_respondents(db, who, assessment.id) if r.key == key), assessment.id


def stored(db, assessment_id, sheet, indicator):
    return next((r for r in store.current_answers(db, store.system_identity(), assessment_id)
                 if r.respondent_id == sheet and r.indicator == indicator), None)


def test_no_answer_is_preselected_and_levels_are_described(demo_db):
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r3")
    at = fill(sheet=sheet)
    answered = {r.indicator for r in store.current_answers(db, store.system_identity(), assessment)
                if r.respondent_id == sheet and r.value is not None}
    radios = [r for r in at.radio if r.key and r.key.startswith("answer_")]
    assert radios and all(r.value is None for r in radios if r.key.rsplit("_", 1)[1] not in answered)
    assert radios[0].options[1].startswith("1 Initierad – ")
    assert radios[0].options[-2:] == [
        "Ej relevant – Indikatorn gäller inte för vår region. Den räknas inte med i poängen.",
        "Vet ej – Jag kan inte bedöma detta. Svaret räknas inte med i poängen men sänker underlagets fullständighet."]


def test_an_answer_is_saved_at_once_and_survives_a_new_session(demo_db):
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r1")
    before = stored(db, assessment, sheet, "D1.2")
    at = fill(sheet=sheet)
    new = 4 if (before and before.value != 4) else 1
    at.radio(key=f"answer_{sheet}_D1.2").set_value(new).run()
    assert not at.exception
    record = stored(db, assessment, sheet, "D1.2")
    assert record.value == new and record.revision == (before.revision if before else 0) + 1
    assert any(m.value.endswith(f"av {literal(LEAD)}") and "Sparat" in m.value for m in at.markdown)
    again = fill(sheet=sheet)  # a refresh or reconnect is a new session
    assert again.radio(key=f"answer_{sheet}_D1.2").value == new
    history = store.answer_history(db, store.system_identity(), sheet, "D1.2")
    assert history[-1].value == new if history[-1].revision > history[0].revision else history[0].value == new


def test_comment_and_special_answers_are_saved(demo_db):
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r1")
    at = fill(sheet=sheet)
    at.radio(key=f"answer_{sheet}_D1.3").set_value("dk").run()
    at.text_area(key=f"comment_{sheet}_D1.3").input("Protokoll 2026-03-04 <script>alert(1)</script>").run()
    record = stored(db, assessment, sheet, "D1.3")
    assert record.value == "dk" and record.comment == "Protokoll 2026-03-04 <script>alert(1)</script>"


def test_a_newer_answer_from_someone_else_is_never_overwritten(demo_db):
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r1")
    at = fill(sheet=sheet)
    shown = at.radio(key=f"answer_{sheet}_D1.4").value
    # another tab saves in between
    base = stored(db, assessment, sheet, "D1.4")
    store.save_answer(db, store.identity_for_email(db, LEAD), sheet, "D1.4", 0, base_revision=base.revision if base else 0)
    mine = 3 if shown != 3 else 2
    at.radio(key=f"answer_{sheet}_D1.4").set_value(mine).run()
    assert stored(db, assessment, sheet, "D1.4").value == 0
    assert any("Någon annan har ändrat svaret" in w.value and f"(av {literal('ledare@demo.invalid')})" in w.value for w in at.warning)
    at.button(key=f"mine_{sheet}_D1.4").click().run()
    assert stored(db, assessment, sheet, "D1.4").value == mine
    assert not [w for w in at.warning if "Någon annan" in w.value]


def test_keeping_the_stored_answer_refreshes_the_widget(demo_db):
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r1")
    at = fill(sheet=sheet)
    base = stored(db, assessment, sheet, "D1.5")
    store.save_answer(db, store.identity_for_email(db, LEAD), sheet, "D1.5", 2, base_revision=base.revision if base else 0)
    at.radio(key=f"answer_{sheet}_D1.5").set_value(4).run()
    at.button(key=f"keep_{sheet}_D1.5").click().run()
    at.run()
    assert at.radio(key=f"answer_{sheet}_D1.5").value == 2
    assert stored(db, assessment, sheet, "D1.5").value == 2


def test_a_respondent_sees_and_answers_only_their_own_sheet(demo_db):
    db, _ = demo_db
    [own] = store.identity_for_email(db, RESPONDENT).respondent_ids
    _, assessment = sheet_id(db, "r1")
    mine = store.get_respondent(db, store.system_identity(), own)
    other = next(r.id for r in store.list_respondents(db, store.system_identity(), assessment) if r.id != own)
    at = fill(RESPONDENT, sheet=other)  # a forged choice of someone else's sheet
    assert len(at.selectbox(key="_w_chosen_sheet_sv").options) == 1
    assert at.selectbox(key="_w_chosen_sheet_sv").options[0].startswith(mine.name)
    assert all(r.key.startswith(f"answer_{own}_") for r in at.radio if r.key and r.key.startswith("answer_"))
    assert not [b for b in at.button if b.key == "submit_assessment"]
    at.radio(key=f"answer_{own}_D1.1").set_value(2).run()
    assert stored(db, assessment, own, "D1.1").value == 2


def test_a_submitted_analysis_is_read_only_until_the_lead_reopens_it(demo_db):
    db, _ = demo_db
    at = fill(region="03")
    assert "inlämnad" in at.info[0].value
    assert all(r.disabled for r in at.radio if r.key and r.key.startswith("answer_"))
    at.button(key="reopen_assessment").click().run()
    assert store.get_assessment(db, store.system_identity(), "03", "2026").status == "reopened"
    assert not any(r.disabled for r in at.radio if r.key and r.key.startswith("answer_"))


def test_submit_lists_what_is_missing_and_needs_confirmation(demo_db):
    db, _ = demo_db
    at = fill()
    warning = next(w.value for w in at.warning if w.value.startswith("Det här saknas"))
    assert "obesvarade" in warning
    assert at.button(key="submit_assessment").disabled
    at.checkbox(key="submit_anyway").check().run()
    at.button(key="submit_assessment").click().run()
    assert store.get_assessment(db, store.system_identity(), "19", "2026").status == "submitted"


def test_fill_in_english(demo_db):
    at = fill(lang="en")
    assert at.title[0].value == "Fill in" and at.header[0].value == "D1 Mandate and governance"
    assert at.radio[0].label.startswith("Which description fits D1.1 best?")


def test_a_comment_saves_and_a_new_answer_updates_the_counters(demo_db):
    """The indicator block is a fragment (a change reruns only it in a browser; AppTest always runs the whole
    script). What a person sees must hold either way: the save, and counters that follow a new answer."""
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r3")
    at = fill(sheet=sheet)
    open_ = next(r.key.rsplit("_", 1)[1] for r in at.radio
                 if r.key and r.key.startswith(f"answer_{sheet}_") and r.value is None)
    before = at.get("progress")[0].proto.text
    at.radio(key=f"answer_{sheet}_{open_}").set_value(2).run()
    assert stored(db, assessment, sheet, open_).value == 2
    assert at.get("progress")[0].proto.text != before
    at.text_area(key=f"comment_{sheet}_{open_}").input("Nytt belägg").run()
    assert stored(db, assessment, sheet, open_).comment == "Nytt belägg"
    assert any("Sparat" in m.value for m in at.markdown)
