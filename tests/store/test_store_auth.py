"""Signing in with a local password (argon2, lockout) and by verified e-mail (OIDC)."""

from __future__ import annotations

import datetime as dt

import pytest

import store
from store import clock
from tests.store.conftest import PASSWORD


@pytest.fixture
def person(db, admin):
    store.create_user(db, admin, "Anna.Lind@Region.se", "Anna Lind", password=PASSWORD, regions={"19": "lead"})
    return "anna.lind@region.se"


def test_the_right_password_gives_the_identity_with_its_roles(db, person):
    who = store.authenticate(db, "  ANNA.LIND@region.se ", PASSWORD)
    assert who.email == person
    assert who.regions == {"19": "lead"}
    assert who.national_role is None and not who.system


@pytest.mark.parametrize(("email", "password"), [("anna.lind@region.se", "fel-lösenord-1"), ("okänd@region.se", PASSWORD),
                                                 ("anna.lind@region.se", "")])
def test_a_wrong_password_or_unknown_address_is_invalid(db, person, email, password):
    with pytest.raises(store.AuthFailed) as caught:
        store.authenticate(db, email, password)
    assert caught.value.reason == "invalid"
    assert caught.value.message("sv") == "fel e-postadress eller lösenord"


def test_five_failures_lock_the_account_for_fifteen_minutes(db, person, monkeypatch):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: start)
    for _ in range(5):
        with pytest.raises(store.AuthFailed) as caught:
            store.authenticate(db, person, "fel-lösenord-1")
        assert caught.value.reason == "invalid"
    with pytest.raises(store.AuthFailed) as caught:  # even the right password, during the lockout
        store.authenticate(db, person, PASSWORD)
    assert caught.value.reason == "locked"
    assert "10:15" in caught.value.message("sv")  # Swedish time (UTC+1 in March)
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=14, seconds=59))
    with pytest.raises(store.AuthFailed):
        store.authenticate(db, person, PASSWORD)
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=15, seconds=1))
    assert store.authenticate(db, person, PASSWORD).email == person
    entries = [e for e in store.audit_log(db, store.system_identity()) if e.action == "user.locked"]
    assert len(entries) == 1


def test_a_success_resets_the_failure_count(db, person):
    for _ in range(4):
        with pytest.raises(store.AuthFailed):
            store.authenticate(db, person, "fel-lösenord-1")
    store.authenticate(db, person, PASSWORD)
    for _ in range(4):
        with pytest.raises(store.AuthFailed):
            store.authenticate(db, person, "fel-lösenord-1")
    assert store.authenticate(db, person, PASSWORD).email == person


def test_a_disabled_account_is_told_so_only_with_the_right_password(db, person, admin):
    store.disable_user(db, admin, person)
    with pytest.raises(store.AuthFailed) as caught:
        store.authenticate(db, person, PASSWORD)
    assert caught.value.reason == "disabled"
    with pytest.raises(store.AuthFailed) as caught:
        store.authenticate(db, person, "fel-lösenord-1")
    assert caught.value.reason == "invalid"
    assert store.identity_for_email(db, person) is None


def test_an_account_without_password_cannot_sign_in_locally(db, admin):
    store.create_user(db, admin, "oidc@region.se", "Via OIDC", regions={"03": "viewer"})
    with pytest.raises(store.AuthFailed):
        store.authenticate(db, "oidc@region.se", "")
    who = store.identity_for_email(db, "OIDC@region.se")
    assert who.regions == {"03": "viewer"}


def test_identity_for_an_unknown_address_is_none(db):
    assert store.identity_for_email(db, "ingen@region.se") is None
    assert store.identity_for_email(db, "") is None


def test_an_outdated_hash_is_upgraded_on_sign_in(db, person, monkeypatch):
    from argon2 import PasswordHasher

    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(store.auth, "HASHER", stronger)
    store.authenticate(db, person, PASSWORD)
    from sqlalchemy import select

    from store.schema import users

    with db.reading() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.email == person)).scalar()
    assert not stronger.check_needs_rehash(stored)


def test_identity_is_hashable_and_roles_are_read_only(db, person):
    who = store.identity_for_email(db, person)
    assert hash(who) == hash(store.identity_for_email(db, person))
    with pytest.raises(TypeError):
        who.regions["03"] = "lead"
