"""Permission before lookup: a refusal never tells whether an id (or an account) exists.

Someone who may not act on a thing gets the very same `Forbidden` for an id that does not exist as for one
that exists but is not theirs: same code, operation, region and message in both languages. Only roles that
work with such ids across a whole region (the national admin; for reading also the analyst, leads and
viewers; for changing, leads) are told `NotFound` for an unknown id (tests/store/test_store_answers.py).
"""

from __future__ import annotations

import pytest

import store
from questionnaires.actionplan import PlanItem

UNKNOWN_ID = 987654
UNKNOWN_EMAIL = "finns.inte@test.se"


def _refusal(call) -> tuple:
    with pytest.raises(store.Forbidden) as caught:
        call()
    error = caught.value
    return type(error), error.code, error.op, error.region, error.message("sv"), error.message("en")


# (name, actor, call with an id, the id of something that exists but is not the actor's)
ID_OPERATIONS = {
    "current_answers": ("respondent", lambda db, w, who, ident: store.current_answers(db, who, ident),
                        lambda w: w.other_assessment),
    "list_respondents": ("respondent", lambda db, w, who, ident: store.list_respondents(db, who, ident),
                         lambda w: w.other_assessment),
    "answer_history": ("respondent", lambda db, w, who, ident: store.answer_history(db, who, ident, "D1.1"),
                       lambda w: w.lead_sheet),
    "answer_history_other_region": ("respondent",
                                    lambda db, w, who, ident: store.answer_history(db, who, ident, "D1.1"),
                                    lambda w: w.other_sheet),
    "current_answers_by_outsider": ("outsider", lambda db, w, who, ident: store.current_answers(db, who, ident),
                                    lambda w: w.assessment),
    "save_answer_by_viewer": ("viewer", lambda db, w, who, ident: store.save_answer(db, who, ident, "D1.2", 1),
                              lambda w: w.lead_sheet),
    "get_respondent": ("respondent", lambda db, w, who, ident: store.get_respondent(db, who, ident),
                       lambda w: w.lead_sheet),
    "save_answer": ("respondent", lambda db, w, who, ident: store.save_answer(db, who, ident, "D1.2", 1),
                    lambda w: w.lead_sheet),
    "remove_respondent": ("viewer", lambda db, w, who, ident: store.remove_respondent(db, who, ident),
                          lambda w: w.lead_sheet),
    "restore_respondent": ("respondent", lambda db, w, who, ident: store.restore_respondent(db, who, ident),
                           lambda w: w.lead_sheet),
    "add_respondent": ("viewer", lambda db, w, who, ident: store.add_respondent(db, who, ident, "Ny", "af"),
                       lambda w: w.assessment),
    "plan_items": ("outsider", lambda db, w, who, ident: store.plan_items(db, who, ident), lambda w: w.assessment),
    "plan_version": ("respondent", lambda db, w, who, ident: store.plan_version(db, who, ident),
                     lambda w: w.other_assessment),
    "save_plan": ("viewer", lambda db, w, who, ident: store.save_plan(db, who, ident, [PlanItem(None, "D1", "Steg")]),
                  lambda w: w.assessment),
}


@pytest.mark.parametrize("operation", sorted(ID_OPERATIONS))
def test_an_unknown_id_is_refused_exactly_like_someone_elses(world, operation):
    db, w = world
    actor, run, existing = ID_OPERATIONS[operation]
    who = getattr(w, actor)
    for_unknown = _refusal(lambda: run(db, w, who, UNKNOWN_ID))
    for_existing = _refusal(lambda: run(db, w, who, existing(w)))
    assert for_unknown == for_existing
    assert for_unknown[4].startswith("du har inte behörighet")
    assert _refusal(lambda: run(db, w, who, "inte-ett-id")) == for_existing  # ids from URLs and widgets


@pytest.mark.parametrize("operation", sorted(ID_OPERATIONS))
def test_the_national_admin_is_told_what_does_not_exist(world, operation):
    db, w = world
    _, run, _ = ID_OPERATIONS[operation]
    with pytest.raises(store.NotFound):
        run(db, w, w.admin, UNKNOWN_ID)


def test_a_lead_is_told_about_a_mistyped_id_but_not_where_someone_elses_id_belongs(world):
    db, w = world
    with pytest.raises(store.NotFound):
        store.current_answers(db, w.lead, UNKNOWN_ID)
    with pytest.raises(store.NotFound):
        store.save_answer(db, w.lead, UNKNOWN_ID, "D1.1", 1)
    refusal = _refusal(lambda: store.current_answers(db, w.lead, w.other_assessment))
    assert refusal[3] is None and "Uppsala" not in refusal[4] and "03" not in refusal[4]


ACCOUNT_OPERATIONS = {
    "get_user_by_respondent": ("respondent", lambda db, who, email: store.get_user(db, who, email), "ledare03@test.se"),
    "get_user_by_lead": ("lead", lambda db, who, email: store.get_user(db, who, email), "admin@test.se"),
    "get_user_by_outsider": ("outsider", lambda db, who, email: store.get_user(db, who, email), "lasare19@test.se"),
    "set_password": ("viewer", lambda db, who, email: store.set_password(db, who, email, "ett-nytt-lösenord"),
                     "ledare19@test.se"),
    "set_membership_elsewhere": ("lead", lambda db, who, email: store.set_membership(db, who, email, "03", "viewer"),
                                 "utan.roll@test.se"),
    "remove_membership_elsewhere": ("lead", lambda db, who, email: store.remove_membership(db, who, email, "03"),
                                    "lasare03@test.se"),
    "set_membership_by_viewer": ("viewer", lambda db, who, email: store.set_membership(db, who, email, "19", "viewer"),
                                 "utan.roll@test.se"),
}


@pytest.mark.parametrize("operation", sorted(ACCOUNT_OPERATIONS))
def test_an_unknown_account_is_refused_exactly_like_someone_elses(world, operation):
    db, w = world
    actor, run, existing = ACCOUNT_OPERATIONS[operation]
    who = getattr(w, actor)
    for_unknown = _refusal(lambda: run(db, who, UNKNOWN_EMAIL))
    for_existing = _refusal(lambda: run(db, who, existing))
    assert for_unknown == for_existing


def test_own_account_and_admin_still_work(world):
    db, w = world
    assert store.get_user(db, w.respondent, "respondent19@test.se").email == "respondent19@test.se"
    assert store.get_user(db, w.lead, "lasare19@test.se").regions == {"19": "viewer"}
    store.set_password(db, w.viewer, "LASARE19@test.se", "ett-nytt-lösenord")
    with pytest.raises(store.NotFound):
        store.get_user(db, w.admin, UNKNOWN_EMAIL)
    with pytest.raises(store.NotFound):
        store.set_password(db, w.admin, UNKNOWN_EMAIL, "ett-nytt-lösenord")


@pytest.mark.parametrize("operation", ["get_assessment_by_id", "submit", "reopen", "lock"])
@pytest.mark.parametrize("actor", ["respondent", "outsider"])
def test_assessment_ids_are_refused_alike_whether_or_not_they_exist(world, operation, actor):
    db, w = world
    who = getattr(w, actor)
    run = {"get_assessment_by_id": store.get_assessment_by_id, "submit": store.submit_assessment,
           "reopen": store.reopen_assessment, "lock": store.lock_assessment}[operation]
    unknown = _refusal(lambda: run(db, who, 987654))
    existing = _refusal(lambda: run(db, who, w.other_assessment))
    assert unknown == existing
