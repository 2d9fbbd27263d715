"""Rounds and the assessment lifecycle: draft → submitted → (reopened) → locked; closed rounds are read-only."""

from __future__ import annotations

import pytest

import store


@pytest.fixture
def opened(db, admin, example):
    store.register_questionnaire(db, admin, example)
    return store.open_round(db, admin, "2025", example.ref)


def test_open_round_registers_the_questionnaire_and_lists(db, admin, opened, example):
    assert (opened.label, opened.questionnaire, opened.status, opened.published) == ("2025", example.ref, "open", False)
    listed = store.list_rounds(db, admin)
    assert [(r.label, r.open) for r in listed] == [("2025", True)]


def test_bundled_questionnaires_need_no_registration(db, admin, instrument):
    opened = store.open_round(db, admin, "2026", instrument.ref)
    assert opened.questionnaire == "regional-validering@1"


@pytest.mark.parametrize(("label", "ref", "codes"), [
    ("2025", "metodexempel@1", ["round_exists"]),
    ("", "metodexempel@1", ["bad_label"]),
    ("x" * 41, "metodexempel@1", ["bad_label"]),
    ("rad\nbrytning", "okänd@9", ["bad_label", "unknown_questionnaire"]),
])
def test_open_round_reports_bad_input(db, admin, opened, label, ref, codes):
    with pytest.raises(store.Invalid) as caught:
        store.open_round(db, admin, label, ref)
    assert [problem.code for problem in caught.value.problems] == codes


def test_a_round_is_published_only_once_closed(db, admin, opened):
    with pytest.raises(store.Invalid) as caught:
        store.publish_round(db, admin, "2025")
    assert caught.value.problems[0].code == "round_not_closed"
    store.close_round(db, admin, "2025")
    published = store.publish_round(db, admin, "2025")
    assert published.published and published.published_at is not None
    assert not store.publish_round(db, admin, "2025", published=False).published
    with pytest.raises(store.RoundClosed):
        store.close_round(db, admin, "2025")
    with pytest.raises(store.NotFound):
        store.close_round(db, admin, "1999")


def test_the_lifecycle_of_an_assessment(world):
    db, w = world
    assessment = store.get_assessment(db, w.lead, "19", "2025")
    assert assessment.status == "draft" and assessment.editable
    assert store.submit_assessment(db, w.lead, w.assessment).status == "submitted"
    assert not store.get_assessment(db, w.lead, "19", "2025").editable
    with pytest.raises(store.NotEditable) as caught:
        store.submit_assessment(db, w.lead, w.assessment)
    assert caught.value.code == "bad_transition"
    assert store.reopen_assessment(db, w.lead, w.assessment).status == "reopened"
    assert store.submit_assessment(db, w.lead, w.assessment).status == "submitted"
    assert store.lock_assessment(db, w.admin, w.assessment).status == "locked"
    with pytest.raises(store.Forbidden):  # only the national admin opens a locked assessment
        store.reopen_assessment(db, w.lead, w.assessment)
    assert store.reopen_assessment(db, w.admin, w.assessment).status == "reopened"


def test_an_assessment_without_answers_cannot_be_submitted(world):
    db, w = world
    store.add_respondent(db, w.lead_other, w.other_assessment, "Tom", "af")
    store.remove_respondent(db, w.lead_other, w.other_sheet)
    with pytest.raises(store.Invalid) as caught:
        store.submit_assessment(db, w.lead_other, w.other_assessment)
    assert caught.value.problems[0].code == "nothing_answered"


def test_ensure_assessment_is_idempotent(world):
    db, w = world
    first = store.ensure_assessment(db, w.lead, "19", "2025")
    assert store.ensure_assessment(db, w.lead, "19", "2025").id == first.id == w.assessment
    with pytest.raises(store.NotFound):
        store.ensure_assessment(db, w.admin, "99", "2025")
    with pytest.raises(store.NotFound):
        store.ensure_assessment(db, w.admin, "19", "1999")
    with pytest.raises(store.NotFound):
        store.get_assessment(db, w.admin, "01", "2025")


def test_closing_a_round_locks_submitted_assessments_and_freezes_everything(world):
    db, w = world
    store.submit_assessment(db, w.lead, w.assessment)
    store.close_round(db, w.admin, "2025")
    assert store.get_assessment(db, w.lead, "19", "2025").status == "locked"
    assert store.get_assessment(db, w.lead_other, "03", "2025").status == "draft"
    for attempt in (
        lambda: store.save_answer(db, w.lead_other, w.other_sheet, "D1.2", 1),
        lambda: store.add_respondent(db, w.lead_other, w.other_assessment, "Ny", "af"),
        lambda: store.submit_assessment(db, w.lead_other, w.other_assessment),
        lambda: store.reopen_assessment(db, w.admin, w.assessment),
        lambda: store.ensure_assessment(db, w.admin, "01", "2025"),
        lambda: store.save_plan(db, w.lead, w.assessment, []),
    ):
        with pytest.raises(store.RoundClosed) as caught:
            attempt()
        assert "2025" in caught.value.message("sv")


def test_list_assessments_shows_what_the_actor_may_see(world):
    db, w = world
    assert {a.region for a in store.list_assessments(db, w.analyst)} == {"19", "03"}
    assert {a.region for a in store.list_assessments(db, w.lead)} == {"19"}
    assert store.list_assessments(db, w.outsider) == []
    store.submit_assessment(db, w.lead, w.assessment)
    store.close_round(db, w.admin, "2025")
    store.publish_round(db, w.admin, "2025")
    assert {a.region for a in store.list_assessments(db, w.outsider, round="2025")} == {"19", "03"}
