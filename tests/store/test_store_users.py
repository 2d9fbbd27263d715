"""Accounts and roles: validation, delegation to regional leads, and immediate effect of changes."""

from __future__ import annotations

import pytest

import store


def test_create_user_reports_every_problem_and_writes_nothing(db, admin):
    with pytest.raises(store.Invalid) as caught:
        store.create_user(db, admin, "inte-en-adress", "", password="kort", national_role="kung",
                          regions={"99": "lead", "19": "chef"})
    codes = sorted(problem.code for problem in caught.value.problems)
    assert codes == ["bad_email", "bad_name", "bad_national_role", "bad_region_role", "password_short", "unknown_region"]
    assert store.list_users(db, admin) == []
    assert all("\n" not in line for line in caught.value.lines("sv"))


def test_an_address_can_only_be_used_once(db, admin):
    store.create_user(db, admin, "a@region.se", "A")
    with pytest.raises(store.Invalid) as caught:
        store.create_user(db, admin, "A@Region.se", "A again")
    assert caught.value.problems[0].code == "email_taken"


def test_memberships_can_be_set_changed_and_removed(db, admin):
    store.create_user(db, admin, "a@region.se", "A", regions={"19": "viewer"})
    store.set_membership(db, admin, "a@region.se", "03", "lead")
    store.set_membership(db, admin, "a@region.se", "19", "respondent")
    assert store.identity_for_email(db, "a@region.se").regions == {"03": "lead", "19": "respondent"}
    store.remove_membership(db, admin, "a@region.se", "19")
    assert store.identity_for_email(db, "a@region.se").regions == {"03": "lead"}
    with pytest.raises(store.NotFound):
        store.remove_membership(db, admin, "a@region.se", "19")
    with pytest.raises(store.NotFound):
        store.set_membership(db, admin, "ingen@region.se", "19", "viewer")


def test_a_lead_may_add_partners_to_their_own_region_only(world):
    db, w = world
    created = store.create_user(db, w.lead, "partner@kommun.se", "Partner", regions={"19": "respondent"})
    assert created.regions == {"19": "respondent"}
    store.set_membership(db, w.lead, "partner@kommun.se", "19", "viewer")
    for attempt in (
        lambda: store.create_user(db, w.lead, "x@kommun.se", "X", regions={"03": "viewer"}),
        lambda: store.create_user(db, w.lead, "x@kommun.se", "X", regions={"19": "lead"}),
        lambda: store.create_user(db, w.lead, "x@kommun.se", "X", national_role="analyst", regions={"19": "viewer"}),
        lambda: store.create_user(db, w.lead, "x@kommun.se", "X"),
        lambda: store.set_membership(db, w.lead, "partner@kommun.se", "03", "viewer"),
        lambda: store.set_membership(db, w.lead, "partner@kommun.se", "19", "lead"),
        lambda: store.set_membership(db, w.lead, "ledare19@test.se", "19", "viewer"),  # cannot demote a lead
        lambda: store.disable_user(db, w.lead, "partner@kommun.se"),
    ):
        with pytest.raises(store.Forbidden):
            attempt()
    listed = {user.email: user for user in store.list_users(db, w.lead)}
    assert "admin@test.se" not in listed and "ledare03@test.se" not in listed
    assert listed["partner@kommun.se"].regions == {"19": "viewer"}


def test_disabling_takes_effect_at_once_even_for_a_signed_in_session(world):
    db, w = world
    store.disable_user(db, w.admin, "ledare19@test.se")
    with pytest.raises(store.Forbidden) as caught:
        store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2)
    assert caught.value.code == "account_disabled"
    store.enable_user(db, w.admin, "ledare19@test.se")
    assert store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2) == 1


def test_a_withdrawn_role_takes_effect_at_once(world):
    db, w = world
    store.remove_membership(db, w.admin, "ledare19@test.se", "19")
    with pytest.raises(store.Forbidden):
        store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2)


def test_an_identity_not_from_the_store_is_refused(world):
    db, _ = world
    forged = store.Identity(user_id=None, email="admin@test.se", name="Forged", national_role="admin")
    with pytest.raises(store.Forbidden):
        store.list_rounds(db, forged)
    unknown = store.Identity(user_id=9999, email="x@y.se", name="Ghost", national_role="admin")
    with pytest.raises(store.Forbidden):
        store.list_rounds(db, unknown)


def test_passwords_can_be_set_by_the_admin_or_oneself(world):
    db, w = world
    store.set_password(db, w.viewer, "lasare19@test.se", "ett-nytt-lösenord")
    assert store.authenticate(db, "lasare19@test.se", "ett-nytt-lösenord").email == "lasare19@test.se"
    with pytest.raises(store.Forbidden):
        store.set_password(db, w.viewer, "ledare19@test.se", "ett-nytt-lösenord")
    store.set_password(db, w.admin, "ledare19@test.se", None)
    assert not store.get_user(db, w.admin, "ledare19@test.se").has_password


def test_national_roles_are_granted_by_the_admin(world):
    db, w = world
    store.set_national_role(db, w.admin, "utan.roll@test.se", "analyst")
    assert store.identity_for_email(db, "utan.roll@test.se").national_role == "analyst"
    with pytest.raises(store.Forbidden):
        store.set_national_role(db, w.analyst, "utan.roll@test.se", "admin")
