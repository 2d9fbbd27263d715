"""Signing in: local accounts with argon2 password hashes and a lockout, or a verified e-mail from OIDC.

Either way the result is an `Identity` built from the same memberships, so OIDC (st.login) and local
passwords grant exactly the same rights.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, func, select

from questionnaires import freetext
from store import access, audit, clock
from store.database import Database
from store.errors import AuthFailed
from store.identity import Identity
from store.schema import users

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024

# argon2id with the library's defaults (64 MiB, t=3, p=4; about 0.1 s). Tests swap in a cheaper hasher.
HASHER = PasswordHasher()
# Verified against when the e-mail is unknown, so that a miss costs as long as a wrong password.
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(db: Database, email: str, password: str) -> Identity:
    """The identity of a local account, or `AuthFailed` with reason 'invalid', 'locked' or 'disabled'.

    Five failures in a row lock the account for fifteen minutes; a correct password during the lockout is
    refused too, and never clears the lock. 'disabled' is only said to someone who knows the password.

    Atomic: the failure count, the lock and the verdict are decided in one writing transaction that holds
    the account's row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` serialises writers),
    so concurrent attempts are judged one after the other against the state the previous ones left. The
    argon2 verification itself (a tenth of a second) runs before that transaction, so that nobody's
    autosave waits for it; the transaction then only accepts that verdict for the very hash it was computed
    against — when the hash changed in between (a new password, a rehash), it verifies again there.
    """
    address = normalise_email(email)
    if not freetext.storable(address):  # no account can have this address; PostgreSQL would refuse the query
        _waste_time(password)
        raise AuthFailed("invalid")
    with db.reading() as conn:
        row = conn.execute(select(users).where(users.c.email == address)).first()
    if row is None or row.password_hash is None:
        _waste_time(password)
        raise AuthFailed("invalid")
    if _locked(row, clock.now()):  # refused below as well; saying so now spares the hashing
        raise AuthFailed("locked", until=_local_time(row.locked_until))
    verified_hash = row.password_hash
    correct = _verify(verified_hash, password)
    rehashed = hash_password(password) if correct and HASHER.check_needs_rehash(verified_hash) else None
    refusal: AuthFailed
    with db.writing() as conn:
        now = clock.now()
        held = conn.execute(select(users).where(users.c.id == row.id).with_for_update()).first()
        if held is None or held.password_hash is None:  # removed, or the password withdrawn, meanwhile
            refusal = AuthFailed("invalid")
        elif _locked(held, now):
            refusal = AuthFailed("locked", until=_local_time(held.locked_until))
        else:
            if held.password_hash != verified_hash:  # changed since we verified: judge against what is stored
                correct = _verify(held.password_hash, password)
                rehashed = None
            if correct and held.disabled:
                refusal = AuthFailed("disabled")
            elif correct:
                values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}  # a lock here has expired
                if rehashed:
                    values["password_hash"] = rehashed
                conn.execute(users.update().where(users.c.id == held.id).values(**values))
                return access.identity_of(conn, held)
            else:
                _failed(conn, held, now)
                refusal = AuthFailed("invalid")
    raise refusal  # a counted failure is committed before the refusal is raised


def _locked(row, now: dt.datetime) -> bool:
    return row.locked_until is not None and row.locked_until > now


def _failed(conn: Connection, row, now: dt.datetime) -> None:
    """Inside the transaction holding the account's row: count the failure, and lock at the fifth."""
    failures = (row.failed_logins or 0) + 1
    if failures >= MAX_FAILURES:
        until = now + LOCKOUT
        conn.execute(users.update().where(users.c.id == row.id).values(failed_logins=0, locked_until=until))
        audit.record(conn, _anonymous(row.email), "user.locked", f"user:{row.email}",
                     new={"locked_until": until, "failures": failures}, at=now)
    else:
        conn.execute(users.update().where(users.c.id == row.id).values(failed_logins=failures))


def _anonymous(email: str) -> Identity:
    return Identity(user_id=None, email=email, name=email)


def verifiers(cores: int | None) -> int:
    """How many password verifications may run at once on a machine with this many cores."""
    return max(1, min(4, (cores or 1) - 1))


# Each verification takes 64 MiB for ~0.1 s: 30 people signing in together would take 2 GB and starve every
# other session of the GIL-free argon2 threads. At most VERIFIERS run at once; the others wait their turn,
# which keeps the server's memory flat. One core is always left to the server itself: with both cores of a
# 2-core machine hashing, 50 people joining in 30 s pushed everyone's answer → Sparat p95 past 2 s
# (bench/load.py), because the server's Python thread had to wait for a core.
VERIFIERS = threading.BoundedSemaphore(verifiers(os.cpu_count()))


def _verify(stored: str, password: str) -> bool:
    with VERIFIERS:
        try:
            return HASHER.verify(stored, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def _waste_time(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = HASHER.hash("mognad: no such account")
    _verify(_DUMMY_HASH, password)


def _local_time(moment: dt.datetime) -> str:
    """The lockout end in Swedish time, as people there read clocks (HH:MM)."""
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%H:%M")
    except Exception:  # no tz database in a slim container: UTC, said so
        return moment.strftime("%H:%M UTC")


def identity_for_email(db: Database, email: str) -> Identity | None:
    """For OIDC (st.login): the identity of the account with this *verified* e-mail, or None.

    None for an unknown address and for a disabled account: the caller shows "no access" either way.
    """
    address = normalise_email(email)
    if not address or not freetext.storable(address):
        return None
    with db.reading() as conn:
        row = conn.execute(select(users).where(func.lower(users.c.email) == address)).first()
        if row is None or row.disabled:
            return None
        return access.identity_of(conn, row)
