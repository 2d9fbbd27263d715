"""Fyll i in a follow-up round (issue 17): carried answers are proposals (shown, not scored) until confirmed;
confirming a dimension converts them; a change asks for a reason; a crosswalk-changed question starts empty."""

from __future__ import annotations

from sqlalchemy import update

import store
from app.widgets import literal
from store import carry
from store.schema import respondents
from tests.app.conftest import ADMIN, LEAD, RESPONDENT, app
from tests.app.test_fill import fill, sheet_id


def fill_at(email, sheet, dimension, region="19"):
    """Fyll i on `sheet`, opened at `dimension` (as after clicking "Nästa dimension")."""
    at = app("sv", email)
    at.session_state["chosen_region"] = region
    at.session_state["chosen_sheet"] = sheet
    at.session_state["chosen_dimension"] = dimension
    at.run()
    at.switch_page("app/views/fill.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _match_last_year(db):
    """The demo's partner answered 2025's sheet r3 (bransch) too: give that sheet her account."""
    old, _ = sheet_id(db, "r3", round_="2025")
    with db.writing() as conn:
        conn.execute(update(respondents).where(respondents.c.id == old).values(user_email=RESPONDENT))
    return old


def ui_value(value):
    return {"dk": "Vet ej", "na": "Ej relevant"}.get(value, f"{value} ")


def _answered(db, assessment, sheet):
    return {r.indicator: r.value for r in store.current_answers(db, store.system_identity(), assessment)
            if r.respondent_id == sheet and r.value is not None}


def test_the_lead_starts_a_sheet_and_proposals_are_not_answers(demo_db):
    db, _ = demo_db
    _match_last_year(db)
    sheet, assessment = sheet_id(db, "r2")
    before = _answered(db, assessment, sheet)
    at = fill(LEAD, sheet=sheet)
    at.button(key=f"carry_sheet_{sheet}").click().run()
    assert not at.exception
    state = carry.sheet_followup(db, store.system_identity(), sheet)
    assert state.proposals and not set(state.proposals) & set(before)
    assert any(s.value.startswith(f"{len(state.proposals)} förslag från förra omgången lades till på 1 svarsblad")
               for s in at.success)
    assert _answered(db, assessment, sheet) == before  # nothing answered, nothing scored
    # the partner sees them as proposals, with no answer radio, in the first dimension that has one
    first = next(ind for ind in db.questionnaire("regional-validering@1").indicators if ind.id in state.proposals)
    at = fill_at(RESPONDENT, sheet, first.dimension)
    shown = [m.value for m in at.markdown if "Från förra omgången \\(2025\\)\\: " in m.value]  # escaped: literal
    assert shown
    value = state.proposals[first.id].value
    assert any(f"Från förra omgången \\(2025\\)\\: {ui_value(value)}" in m for m in shown)
    assert not [r for r in at.radio if r.key == f"answer_{sheet}_{first.id}"]
    assert any("räknas inte förrän" in c.value for c in at.caption)


def test_confirming_a_dimension_converts_its_proposals(demo_db):
    db, _ = demo_db
    _match_last_year(db)
    sheet, assessment = sheet_id(db, "r2")
    store.carry_forward(db, store.system_identity(), assessment, [sheet])
    state = carry.sheet_followup(db, store.system_identity(), sheet)
    q = db.questionnaire("regional-validering@1")
    dim = next(d for d in q.dimensions if any(i.id in state.proposals for i in d.indicators))
    pending = {i.id: state.proposals[i.id].value for i in dim.indicators if i.id in state.proposals}
    at = fill_at(RESPONDENT, sheet, dim.id)
    button = at.button(key=f"carry_confirm_{sheet}_{dim.id}")
    assert button.label == f"Bekräfta alla oförändrade svar i dimensionen ({len(pending)})"
    button.click().run()
    assert not at.exception
    answered = _answered(db, assessment, sheet)
    assert {ind: answered[ind] for ind in pending} == pending
    # now ordinary answers: the radios show them
    for ind, value in pending.items():
        assert at.radio(key=f"answer_{sheet}_{ind}").value == value
    assert not [b for b in at.button if b.key == f"carry_confirm_{sheet}_{dim.id}"]


def test_a_changed_answer_needs_a_reason(demo_db):
    db, _ = demo_db
    _match_last_year(db)
    sheet, assessment = sheet_id(db, "r2")
    store.carry_forward(db, store.system_identity(), assessment, [sheet])
    state = carry.sheet_followup(db, store.system_identity(), sheet)
    q = db.questionnaire("regional-validering@1")
    ind = next(i for i in q.indicators if i.id in state.proposals and isinstance(state.proposals[i.id].value, int))
    old = state.proposals[ind.id].value
    new = 0 if old != 0 else 1
    at = fill_at(RESPONDENT, sheet, ind.dimension)
    key = f"{sheet}_{ind.id}"
    assert not [r for r in at.radio if r.key == f"carry_value_{key}"]  # the form opens on request
    at.button(key=f"carry_edit_{key}").click().run()
    at.radio(key=f"carry_value_{key}").set_value(new)
    at.button(key=f"FormSubmitter:carry_form_{key}-Spara ändrat svar").click().run()
    assert [e.value for e in at.error] == [
        literal(f"respondent r2: indikator {ind.id}: skriv kort vad som har ändrats sedan förra omgången")]
    assert ind.id not in _answered(db, assessment, sheet)
    at.radio(key=f"carry_value_{key}").set_value(new)
    at.text_input(key=f"carry_reason_{key}").input("Nätverket lades ner i våras")
    at.button(key=f"FormSubmitter:carry_form_{key}-Spara ändrat svar").click().run()
    assert not at.exception and not at.error
    assert _answered(db, assessment, sheet)[ind.id] == new
    (reason,) = store.change_reasons(db, store.system_identity(), assessment)
    assert (reason.indicator, reason.previous_value, reason.value, reason.reason) == (
        ind.id, old, new, "Nätverket lades ner i våras")


def test_a_question_changed_by_the_crosswalk_starts_empty_with_a_note(demo_db):
    db, _ = demo_db
    system = store.system_identity()
    store.close_round(db, system, "2026")
    store.open_round(db, system, "2027", "regional-validering@2")
    admin = store.identity_for_email(db, ADMIN)
    assessment = store.ensure_assessment(db, admin, "01", "2027").id  # Stockholm: no pilot, 2026 of version 1
    sheet = store.add_respondent(db, admin, assessment, "Regionen", "region").id
    at = fill_at(ADMIN, sheet, "D1", region="01")
    assert not at.exception
    notes = [c.value for c in at.caption if "Frågan" in c.value]
    assert any("Frågan har ändrats sedan förra omgången" in n for n in notes)
    assert at.radio(key=f"answer_{sheet}_D1.2").value is None
    # D1.1 is comparable (reworded): no note
    assert len(notes) == 3  # D1.2, D1.4, D1.5; D1.1 (reworded) and D1.6 (from D9.1) are comparable
    at = fill_at(ADMIN, sheet, "D3", region="01")
    assert ":material/fiber_new: Frågan är ny i den här versionen" in [c.value for c in at.caption]  # D3.5
