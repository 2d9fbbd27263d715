"""Autosave with history, optimistic concurrency, validation, and what a failed save leaves behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import store
from store import audit as audit_module
from store.schema import answer_revisions


def test_every_save_is_a_new_revision_and_history_reads_back(world):
    db, w = world
    sheet = w.lead_sheet
    assert store.save_answer(db, w.lead, sheet, "D1.2", 1, base_revision=0) == 1
    assert store.save_answer(db, w.lead, sheet, "D1.2", "na", comment="inte aktuellt", base_revision=1) == 2
    assert store.save_answer(db, w.lead, sheet, "D1.2", None, base_revision=2) == 3
    history = store.answer_history(db, w.lead, sheet, "D1.2")
    assert [(r.value, r.comment, r.revision) for r in history] == [(1, None, 1), ("na", "inte aktuellt", 2),
                                                                  (None, "inte aktuellt", 3)]
    assert all(r.saved_by == "ledare19@test.se" for r in history)
    current = {r.indicator: r for r in store.current_answers(db, w.lead, w.assessment) if r.respondent_id == sheet}
    assert current["D1.2"].value is None and current["D1.2"].revision == 3  # cleared, but its revision is known


def test_comment_and_confidence_are_kept_unless_given_and_cleared_with_empty_text(world):
    db, w = world
    store.save_answer(db, w.lead, w.lead_sheet, "D2.1", 2, comment="protokoll", confidence="high")
    store.save_answer(db, w.lead, w.lead_sheet, "D2.1", 3)
    record = store.answer_history(db, w.lead, w.lead_sheet, "D2.1")[-1]
    assert (record.value, record.comment, record.confidence) == (3, "protokoll", "high")
    store.save_answer(db, w.lead, w.lead_sheet, "D2.1", 3, comment="", confidence="")
    record = store.answer_history(db, w.lead, w.lead_sheet, "D2.1")[-1]
    assert (record.comment, record.confidence) == (None, None)


def test_an_outdated_base_revision_is_a_conflict_carrying_both_values(world):
    db, w = world
    store.save_answer(db, w.lead, w.own_sheet, "D1.1", 4, base_revision=1)  # the respondent saw revision 1 (2)
    with pytest.raises(store.Conflict) as caught:
        store.save_answer(db, w.respondent, w.own_sheet, "D1.1", "dk", base_revision=1)
    conflict = caught.value
    assert (conflict.stored.value, conflict.stored_revision) == (4, 2)
    assert (conflict.attempted["value"], conflict.attempted_revision) == ("dk", 1)
    assert conflict.stored.saved_by == "ledare19@test.se"
    assert "Vet ej" in conflict.message("sv") and "4" in conflict.message("sv")
    assert "Don't know" in conflict.message("en")
    assert [r.value for r in store.answer_history(db, w.lead, w.own_sheet, "D1.1")] == [2, 4]
    # Choosing one's own value means saving again on top of what is stored now.
    assert store.save_answer(db, w.respondent, w.own_sheet, "D1.1", "dk", base_revision=conflict.stored_revision) == 3


def test_a_new_answer_expected_but_one_exists_is_a_conflict(world):
    db, w = world
    with pytest.raises(store.Conflict) as caught:
        store.save_answer(db, w.lead, w.lead_sheet, "D1.1", 1, base_revision=0)
    assert caught.value.stored_revision == 1


@pytest.mark.parametrize(("indicator", "value", "extra", "code"), [
    ("D9.9", 2, {}, "unknown_indicator"),
    ("D1.1", 5, {}, "bad_value"),
    ("D1.1", -1, {}, "bad_value"),
    ("D1.1", True, {}, "bad_value"),
    ("D1.1", "3", {}, "bad_value"),
    ("D1.1", 2.5, {}, "bad_value"),
    ("D1.1", 2, {"comment": "x" * 4001}, "comment_too_long"),
    ("D1.1", 2, {"confidence": "sure"}, "bad_confidence"),
    ("D1.1", 2, {"base_revision": -1}, "bad_revision"),
    ("D3.1", 2, {}, "not_for_role"),  # D3.1 is asked of the region role only; own_sheet is kommun
])
def test_bad_input_names_the_place_and_writes_nothing(world, indicator, value, extra, code):
    db, w = world
    before = store.answer_history(db, w.lead, w.own_sheet, "D1.1")
    with pytest.raises(store.Invalid) as caught:
        store.save_answer(db, w.lead, w.own_sheet, indicator, value, **extra)
    assert caught.value.problems[0].code == code
    line = caught.value.message("sv")
    assert "\n" not in line
    if code != "bad_revision":
        assert "respondent r2" in line and indicator in line
    assert store.answer_history(db, w.lead, w.own_sheet, "D1.1") == before


def test_unknown_ids_are_not_found(world):
    db, w = world
    for respondent in (999, "abc", None, -1, 2**40):
        with pytest.raises(store.NotFound):
            store.save_answer(db, w.lead, respondent, "D1.1", 1)
    with pytest.raises(store.NotFound):
        store.current_answers(db, w.lead, 999)


def test_a_removed_respondent_cannot_answer_but_keeps_the_history(world):
    db, w = world
    store.remove_respondent(db, w.lead, w.own_sheet)
    with pytest.raises(store.NotEditable) as caught:
        store.save_answer(db, w.lead, w.own_sheet, "D1.2", 2)
    assert caught.value.code == "respondent_removed"
    assert {r.respondent_id for r in store.current_answers(db, w.lead, w.assessment)} == {w.lead_sheet}
    assert store.answer_history(db, w.lead, w.own_sheet, "D1.1")[0].value == 2
    assert [r.id for r in store.list_respondents(db, w.lead, w.assessment, include_removed=True)] == [w.lead_sheet, w.own_sheet]
    store.restore_respondent(db, w.lead, w.own_sheet)
    assert {r.respondent_id for r in store.current_answers(db, w.lead, w.assessment)} == {w.lead_sheet, w.own_sheet}


def test_answers_of_a_submitted_assessment_cannot_change(world):
    db, w = world
    store.submit_assessment(db, w.lead, w.assessment)
    with pytest.raises(store.NotEditable) as caught:
        store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2)
    assert caught.value.code == "assessment_not_editable"
    assert "återöppnas" in caught.value.message("sv") or "öppnas igen" in caught.value.message("sv")


def _revision_count(db) -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(answer_revisions)).scalar_one()


def test_a_crash_mid_save_leaves_the_previous_state(world, monkeypatch):
    """The revision row is written last; if anything fails in between, the whole save is undone."""
    db, w = world
    before_current = store.current_answers(db, w.lead, w.assessment)
    before_count = _revision_count(db)

    from store import answers as answers_module

    original = answers_module.answer_revisions

    class Exploding:
        def insert(self):
            raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(answers_module, "answer_revisions", Exploding())
    with pytest.raises(RuntimeError):
        store.save_answer(db, w.lead, w.lead_sheet, "D1.1", 0, base_revision=1)
    with pytest.raises(RuntimeError):
        store.save_answer(db, w.lead, w.lead_sheet, "D2.2", 4)  # a first answer, inserted before the failure
    monkeypatch.setattr(answers_module, "answer_revisions", original)
    assert store.current_answers(db, w.lead, w.assessment) == before_current
    assert _revision_count(db) == before_count
    assert store.save_answer(db, w.lead, w.lead_sheet, "D1.1", 0, base_revision=1) == 2


def test_a_crash_while_recording_audit_undoes_the_change(world, monkeypatch):
    db, w = world

    def explode(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(audit_module, "record", explode)
    with pytest.raises(RuntimeError):
        store.submit_assessment(db, w.lead, w.assessment)
    monkeypatch.undo()
    assert store.get_assessment(db, w.lead, "19", "2025").status == "draft"


def test_respondents_are_added_with_keys_and_validated(world):
    db, w = world
    added = store.add_respondent(db, w.lead, w.assessment, "Branschrådet", "bransch", organisation="Vård",
                                 user_email="Bransch@Exempel.se")
    assert (added.key, added.role, added.user_email) == ("r3", "bransch", "bransch@exempel.se")
    with pytest.raises(store.Invalid) as caught:
        store.add_respondent(db, w.lead, w.assessment, " ", "kung", user_email="nope")
    assert sorted(p.code for p in caught.value.problems) == ["bad_email", "bad_name", "bad_role"]
    assert len(store.list_respondents(db, w.lead, w.assessment)) == 3


def test_a_respondent_sheet_linked_by_email_grants_access_to_that_sheet(world):
    db, w = world
    store.create_user(db, w.admin, "ny.partner@exempel.se", "Ny Partner")  # no membership at all
    sheet = store.add_respondent(db, w.lead, w.assessment, "Ny partner", "af", user_email="ny.partner@exempel.se")
    who = store.identity_for_email(db, "ny.partner@exempel.se")
    assert who.respondent_ids == {sheet.id} and who.regions == {"19": "respondent"}
    assert store.save_answer(db, who, sheet.id, "D1.1", 2) == 1
    assert [r.id for r in store.list_respondents(db, who, w.assessment)] == [sheet.id]
    with pytest.raises(store.Forbidden):
        store.save_answer(db, who, w.lead_sheet, "D1.1", 2)
