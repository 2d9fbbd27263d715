"""Atomic lockout: the failure count, the lock and the outcome of a sign-in are decided in one transaction.

Ten sign-ins at once against one account, nine with a wrong password and one with the right one, must leave
the account locked, and the right password must never clear a lock in force — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

import store
from store import auth, clock
from store.schema import users
from tests.store.conftest import PASSWORD

EMAIL = "anna.lind@region.se"
WRONG = "fel-lösenord-1"


class _SlowForTheRightPassword(PasswordHasher):
    """Cheap argon2 that dawdles over the right password: its verdict arrives after the wrong ones have locked."""

    def __init__(self, delay: float):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.delay = delay

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        if password == PASSWORD and self.delay:
            time.sleep(self.delay)
        return super().verify(hash, password)


@pytest.fixture(autouse=True)
def side_by_side(monkeypatch):
    """Verifications run side by side on a machine with more cores (auth.verifiers); on two cores only one runs
    at a time and these races cannot happen, so allow several here whatever this machine has."""
    monkeypatch.setattr(auth, "VERIFIERS", threading.BoundedSemaphore(4))


@pytest.fixture
def person(db, admin):
    store.create_user(db, admin, EMAIL, "Anna Lind", password=PASSWORD, regions={"19": "lead"})
    return EMAIL


def _at_once(db, passwords: list[str]) -> dict[str, list]:
    barrier = threading.Barrier(len(passwords))
    outcomes: dict[str, list] = {"ok": [], "invalid": [], "locked": [], "disabled": [], "error": []}
    lock = threading.Lock()

    def attempt(password: str) -> None:
        barrier.wait()
        try:
            store.authenticate(db, EMAIL, password)
            result = ("ok", password)
        except store.AuthFailed as failed:
            result = (failed.reason, password)
        except Exception as error:  # noqa: BLE001 - recorded and asserted below
            result = ("error", repr(error))
        with lock:
            outcomes[result[0]].append(result[1])

    threads = [threading.Thread(target=attempt, args=(password,)) for password in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.parametrize("delay", [0.0, 0.3], ids=["together", "right-password-last"])
def test_nine_wrong_and_one_right_password_at_once_leave_the_account_locked(db, person, monkeypatch, delay):
    monkeypatch.setattr(auth, "HASHER", _SlowForTheRightPassword(delay))
    passwords = [WRONG] * 9 + [PASSWORD]
    outcomes = _at_once(db, passwords)
    assert outcomes["error"] == []
    assert sum(len(found) for found in outcomes.values()) == 10
    assert set(outcomes["ok"]) <= {PASSWORD}
    if delay:  # the right password is judged after the lock: it is refused, and the lock stays
        assert outcomes["locked"].count(PASSWORD) == 1 and not outcomes["ok"]
    with db.reading() as conn:
        row = conn.execute(select(users).where(users.c.email == EMAIL)).one()
    assert row.locked_until is not None and row.locked_until > clock.now()
    with pytest.raises(store.AuthFailed) as caught:  # the right password while the lock is in force
        store.authenticate(db, EMAIL, PASSWORD)
    assert caught.value.reason == "locked"
    locks = [e for e in store.audit_log(db, store.system_identity()) if e.action == "user.locked"]
    assert len(locks) == 1
    # Every wrong password was either counted towards the lock or refused because of it, never lost.
    assert len(outcomes["invalid"]) + outcomes["locked"].count(WRONG) == 9


def test_the_right_password_never_clears_a_lock_in_force(db, person, monkeypatch):
    """The lock is decided while the right password is being verified: the verdict must not undo it."""
    slow = _SlowForTheRightPassword(0.3)
    monkeypatch.setattr(auth, "HASHER", slow)
    result: dict = {}

    def sign_in_right():
        try:
            result["who"] = store.authenticate(db, EMAIL, PASSWORD)
        except store.AuthFailed as failed:
            result["reason"] = failed.reason

    thread = threading.Thread(target=sign_in_right)
    thread.start()
    time.sleep(0.05)  # the right password has been read and is being verified
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(store.AuthFailed):
            store.authenticate(db, EMAIL, WRONG)
    thread.join(10)
    assert result == {"reason": "locked"}
    with db.reading() as conn:
        assert conn.execute(select(users.c.locked_until).where(users.c.email == EMAIL)).scalar() is not None


def test_a_wrong_password_during_the_lock_does_not_extend_or_count(db, person):
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(store.AuthFailed):
            store.authenticate(db, EMAIL, WRONG)
    with db.reading() as conn:
        first = conn.execute(select(users.c.locked_until, users.c.failed_logins).where(users.c.email == EMAIL)).one()
    with pytest.raises(store.AuthFailed) as caught:
        store.authenticate(db, EMAIL, WRONG)
    assert caught.value.reason == "locked"
    with db.reading() as conn:
        again = conn.execute(select(users.c.locked_until, users.c.failed_logins).where(users.c.email == EMAIL)).one()
    assert tuple(again) == tuple(first)
