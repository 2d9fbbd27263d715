"""Carry forward (issue 17): last round's answers as proposals on the same person's sheet, never scored until
confirmed; changes need a reason; new and changed indicators start empty; every rule checked by the store."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import store
from questionnaires.loader import BUNDLED_DIR, load
from store import carry
from store.errors import Forbidden, Invalid, NotFound
from store.schema import answer_reasons, audit
from tests.store.conftest import PASSWORD


def _account(db, email, regions=None):
    system = store.system_identity("tester")
    store.create_user(db, system, email, email.split("@")[0].title(), password=PASSWORD, regions=regions or {})
    return store.identity_for_email(db, email)


@pytest.fixture
def two_rounds(world):
    """Region 19: round 2025 (the world's) answered, then round 2026 of the same version with the same people."""
    db, w = world
    system = store.system_identity("tester")
    store.save_answer(db, w.respondent, w.own_sheet, "D1.2", 4, comment="beslut 2025")
    store.save_answer(db, w.respondent, w.own_sheet, "D2.1", "dk")
    store.close_round(db, system, "2025")
    store.open_round(db, system, "2026", "metodexempel@1")
    new = store.ensure_assessment(db, w.lead, "19", "2026").id
    sheet = store.add_respondent(db, w.lead, new, "Komvux igen", "kommun", user_email="RESPONDENT19@test.se").id
    named = store.add_respondent(db, w.lead, new, "Komvux", "kommun").id  # the same name, no account
    return db, w, new, sheet, named


def test_the_lead_carries_answers_to_the_same_account_only(two_rounds):
    db, w, new, sheet, named = two_rounds
    assert carry.carry_forward(db, w.lead, new) == {sheet: 3, named: 0}
    view = carry.sheet_followup(db, w.respondent, sheet)
    assert view.previous_round == "2025"
    assert {k: (c.value, c.comment) for k, c in view.proposals.items()} == {
        "D1.1": (2, "belägg"), "D1.2": (4, "beslut 2025"), "D2.1": ("dk", None)}
    assert view.notes == {}
    # running it again adds nothing
    assert carry.carry_forward(db, w.lead, new) == {sheet: 0, named: 0}
    with db.reading() as conn:
        entries = conn.execute(select(func.count()).select_from(audit).where(audit.c.action == "answers.carry")).scalar()
    assert entries == 1


def test_a_proposal_is_not_an_answer_and_is_not_scored(two_rounds):
    db, w, new, sheet, _ = two_rounds
    carry.carry_forward(db, w.lead, new)
    assert store.current_answers(db, w.lead, new) == []
    frame, _ = store.answer_sheet(db, w.lead, "metodexempel@1", rounds=["2026"], regions=["19"])
    assert len(frame) == 2
    assert (frame[[ind.id for ind in db.questionnaire("metodexempel@1").indicators]] == 255).all().all()  # MISSING
    scores = store_scores(frame)
    assert scores.overall["answered_share"].tolist() == [0.0]


def store_scores(frame):
    from scoring import score

    return score(frame, load(BUNDLED_DIR.parent / "examples" / "metodexempel.yaml"))


def test_confirming_a_dimension_writes_ordinary_answers(two_rounds):
    db, w, new, sheet, _ = two_rounds
    carry.carry_forward(db, w.lead, new)
    assert carry.confirm(db, w.respondent, sheet, dimension="D1") == ["D1.1", "D1.2"]
    got = {(a.indicator, a.value, a.comment, a.revision) for a in store.current_answers(db, w.lead, new)}
    assert got == {("D1.1", 2, "belägg", 1), ("D1.2", 4, "beslut 2025", 1)}
    assert set(carry.sheet_followup(db, w.respondent, sheet).proposals) == {"D2.1"}
    assert [c.status for c in carry.carried_answers_of(db, w.lead, sheet)] == ["confirmed", "confirmed", "pending"]
    with db.reading() as conn:
        row = conn.execute(select(audit.c.new).where(audit.c.action == "answers.carry_confirm")).scalar()
    assert row == '{"indicators":["D1.1","D1.2"]}'


def test_a_changed_value_needs_a_reason_and_keeps_it(two_rounds):
    db, w, new, sheet, _ = two_rounds
    carry.carry_forward(db, w.lead, new)
    with pytest.raises(Invalid) as caught:
        carry.change(db, w.respondent, sheet, "D1.2", 3, "  ")
    assert caught.value.message("sv") == (
        "respondent r1: indikator D1.2: skriv kort vad som har ändrats sedan förra omgången")
    assert caught.value.message("en") == "respondent r1: indicator D1.2: say briefly what has changed since last round"
    assert store.current_answers(db, w.lead, new) == []  # nothing written
    with pytest.raises(Invalid) as caught:
        carry.change(db, w.respondent, sheet, "D1.2", 3, "x" * 501)
    assert caught.value.problems[0].code == "reason_too_long"
    revision = carry.change(db, w.respondent, sheet, "D1.2", 3, "Beslutet upphävdes i maj.")
    assert revision == 1
    (reason,) = carry.change_reasons(db, w.lead, new)
    assert (reason.indicator, reason.previous_value, reason.value, reason.reason, reason.respondent) == (
        "D1.2", 4, 3, "Beslutet upphävdes i maj.", "Komvux igen")
    (answer,) = store.current_answers(db, w.lead, new)
    assert (answer.value, answer.comment) == (3, "beslut 2025")
    # the same value as proposed is a confirmation, no reason needed
    assert carry.change(db, w.respondent, sheet, "D1.1", 2, "") == 1
    assert len(carry.change_reasons(db, w.lead, new)) == 1
    with pytest.raises(NotFound):
        carry.change(db, w.respondent, sheet, "D1.2", 2, "igen")  # no longer a proposal


def test_dismissed_proposals_start_empty_and_stay_dismissed(two_rounds):
    db, w, new, sheet, _ = two_rounds
    carry.carry_forward(db, w.lead, new)
    carry.dismiss(db, w.respondent, sheet, "D2.1")
    assert "D2.1" not in carry.sheet_followup(db, w.respondent, sheet).proposals
    carry.carry_forward(db, w.lead, new)
    assert "D2.1" not in carry.sheet_followup(db, w.respondent, sheet).proposals


def test_an_answered_indicator_is_not_proposed(two_rounds):
    db, w, new, sheet, _ = two_rounds
    store.save_answer(db, w.respondent, sheet, "D1.1", 1)
    assert carry.carry_forward(db, w.lead, new)[sheet] == 2


def test_who_may_carry_and_decide(two_rounds):
    db, w, new, sheet, _ = two_rounds
    for who in (w.respondent, w.viewer, w.lead_other, w.analyst, w.outsider):
        with pytest.raises(Forbidden):
            carry.carry_forward(db, who, new)
    carry.carry_forward(db, w.lead, new)
    other = _account(db, "annan@test.se", {"19": "respondent"})
    for who in (other, w.viewer, w.lead_other):
        with pytest.raises(Forbidden):
            carry.confirm(db, who, sheet)
        with pytest.raises(Forbidden):
            carry.change(db, who, sheet, "D1.2", 3, "skäl")
        with pytest.raises(Forbidden):
            carry.sheet_followup(db, who, sheet) if who is not w.viewer else carry.dismiss(db, who, sheet, "D1.1")
    assert carry.confirm(db, w.lead, sheet, ["D1.1"]) == ["D1.1"]  # the lead may answer any sheet of the region
    assert carry.change_reasons(db, w.respondent, new) == []  # a partner does not read the others' reasons


def test_no_previous_round_and_sheets_of_another_assessment(world):
    db, w = world
    with pytest.raises(NotFound) as caught:
        carry.carry_forward(db, w.lead, w.assessment)
    assert caught.value.message("sv").endswith("har ingen tidigare omgång att utgå från")
    assert "(19)" in caught.value.message("en")
    assert carry.sheet_followup(db, w.lead, w.lead_sheet).previous_round is None


def test_only_the_given_sheets_and_only_this_assessment(two_rounds):
    db, w, new, sheet, named = two_rounds
    with pytest.raises(Invalid) as caught:
        carry.carry_forward(db, w.lead, new, [sheet, w.other_sheet])
    assert caught.value.problems[0].code == "not_this_assessment"
    assert carry.sheet_followup(db, w.respondent, sheet).proposals == {}
    assert carry.carry_forward(db, w.lead, new, [named]) == {named: 0}


def test_across_versions_only_comparable_indicators_are_proposed(db, admin):
    q1, q2 = load(BUNDLED_DIR / "regional-validering-1.yaml"), load(BUNDLED_DIR / "regional-validering-2.yaml")
    store.register_questionnaire(db, admin, q1)
    store.register_questionnaire(db, admin, q2)
    store.open_round(db, admin, "2025", q1.ref)
    lead = _account(db, "lead@test.se", {"19": "lead"})
    old = store.ensure_assessment(db, lead, "19", "2025").id
    before = store.add_respondent(db, lead, old, "Regionen", "region", user_email="p@test.se").id
    for ind in ("D1.1", "D1.2", "D9.1"):
        store.save_answer(db, lead, before, ind, 3)
    store.close_round(db, admin, "2025")
    store.open_round(db, admin, "2026", q2.ref)
    new = store.ensure_assessment(db, lead, "19", "2026").id
    sheet = store.add_respondent(db, lead, new, "Regionen", "region", user_email="p@test.se").id
    assert carry.carry_forward(db, lead, new) == {sheet: 2}
    view = carry.sheet_followup(db, lead, sheet)
    assert {k: (c.value, c.from_indicator) for k, c in view.proposals.items()} == {"D1.1": (3, "D1.1"),
                                                                                   "D1.6": (3, "D9.1")}
    assert view.notes["D1.2"] == "changed" and view.notes["D3.5"] == "new"
    assert "D1.1" not in view.notes
    assert len(view.notes) == len(q2.indicators) - 2


def test_reasons_are_kept_beside_the_revision(two_rounds):
    db, w, new, sheet, _ = two_rounds
    carry.carry_forward(db, w.lead, new)
    carry.change(db, w.respondent, sheet, "D1.2", "na", "Gäller inte längre oss.")
    with db.reading() as conn:
        rows = conn.execute(select(answer_reasons.c.indicator, answer_reasons.c.revision,
                                   answer_reasons.c.previous_value)).all()
    assert [tuple(r) for r in rows] == [("D1.2", 1, 4)]


def test_a_pilot_of_another_version_in_between_does_not_hide_last_year(db, admin):
    q1, q2 = load(BUNDLED_DIR / "regional-validering-1.yaml"), load(BUNDLED_DIR / "regional-validering-2.yaml")
    store.register_questionnaire(db, admin, q1)
    store.register_questionnaire(db, admin, q2)
    lead = _account(db, "lead@test.se", {"19": "lead"})
    for label, q in (("2025", q1), ("2025-pilot", q2), ("2026", q1)):
        store.open_round(db, admin, label, q.ref)
        assessment = store.ensure_assessment(db, lead, "19", label).id
        sheet = store.add_respondent(db, lead, assessment, "Regionen", "region", user_email="p@test.se").id
        if label != "2026":
            store.save_answer(db, lead, sheet, "D1.1", 1 if label == "2025" else 4)
            store.close_round(db, admin, label)
    assert carry.carry_forward(db, lead, assessment) == {sheet: 1}
    view = carry.sheet_followup(db, lead, sheet)
    assert (view.previous_round, view.proposals["D1.1"].value, view.notes) == ("2025", 1, {})
