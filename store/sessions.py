"""Server-side sign-in sessions: what lets a refresh, a reconnect or a second tab keep a person signed in.

A session is a row in `sessions`. The browser holds its secret in an HttpOnly cookie; the store keeps only the
secret's SHA-256 (store/tokens.py). A session ends when the person signs out (`end_session`), signs out
everywhere (`end_sessions` on oneself), when the national admin ends someone's sessions, when the account is
disabled or its password is set anew, after `idle` without use, or at its absolute end (`MAX_AGE`).

How the cookie reaches the browser. A sign-in in the app (the Streamlit form) runs over the websocket, which cannot
set a cookie. `start_session` therefore returns a *handoff*: a second secret, valid once and for two minutes, which
the tab posts to the app's own route (`POST /auth/session`, app/web.py); `claim_cookie` trades it for the cookie
secret, which only ever travels in that response's `Set-Cookie` header. Routes that answer an HTTP request
themselves (the invitation's "Börja", a password reset) call `start_session(..., cookie=True)` and set the cookie
directly.

Each run of the app checks its session with `session_identity` (one indexed read; the last-seen time is written at
most once a minute), a new tab or a refresh with `resume` (the cookie's digest, then the same checks).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from store import access, audit, clock, tokens
from store.database import Database
from store.errors import Forbidden
from store.identity import Identity
from store.schema import sessions, users

MAX_AGE = dt.timedelta(hours=float(os.environ.get("MOGNAD_SESSION_MAX_HOURS") or 12))
HANDOFF_TTL = dt.timedelta(minutes=2)
TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most this often (idle is checked with it)
DEFAULT_IDLE = dt.timedelta(minutes=60)
AGENT = 200
VIA = ("password", "invitation", "reset", "oidc")


@dataclass(frozen=True)
class Session:
    id: int
    email: str
    via: str
    user_agent: str | None
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class Check:
    """What a run learns about its session: the identity, or why there is none (`reason`)."""

    identity: Identity | None
    session_id: int | None = None
    reason: str | None = None  # unknown | revoked | idle | expired | disabled


def start_session(db: Database, who: Identity, *, via: str = "password", user_agent: str | None = None,
                  cookie: bool = False) -> tuple[int, str]:
    """A new session for an identity the caller has just verified (`authenticate`, OIDC, a link).

    Returns (session id, secret): the handoff secret for a tab to claim its cookie with, or — with `cookie` — the
    cookie secret itself, for a route that answers the browser directly.
    """
    with db.writing() as conn:
        return open_session(conn, who, via=via, user_agent=user_agent, cookie=cookie)


def open_session(conn: Connection, who: Identity, *, via: str, user_agent: str | None, cookie: bool,
                 now: dt.datetime | None = None) -> tuple[int, str]:
    """Inside the caller's transaction (so that a link's use and its session are one change)."""
    if via not in VIA:
        raise ValueError(f"unknown session kind {via!r}")
    if who.user_id is None:
        raise Forbidden(code="unknown_account")
    now = now or clock.now()
    secret = tokens.new_secret()
    values = {"token_hash": tokens.digest(secret)} if cookie else {
        "handoff_hash": tokens.digest(secret), "handoff_expires_at": now + HANDOFF_TTL}
    session_id = conn.execute(sessions.insert().values(
        user_id=who.user_id, via=via, user_agent=_agent(user_agent), created_at=now, last_seen_at=now,
        expires_at=now + MAX_AGE, **values)).inserted_primary_key[0]
    audit.record(conn, who, "session.start", f"user:{who.email}", new={"session": session_id, "via": via}, at=now)
    return session_id, secret


def claim_cookie(db: Database, handoff: str) -> str | None:
    """The cookie secret for a live session whose handoff this is (once, within two minutes); None otherwise."""
    if not tokens.well_formed(handoff):
        return None
    with db.writing() as conn:
        now = clock.now()
        row = conn.execute(select(sessions, users.c.disabled).join_from(sessions, users, sessions.c.user_id == users.c.id)
                           .where(sessions.c.handoff_hash == tokens.digest(handoff))).first()
        if row is None or not tokens.matches(row.handoff_hash, handoff):
            return None
        expired = row.handoff_expires_at is None or row.handoff_expires_at <= now
        if expired or _why_not(row, now, None) is not None:
            conn.execute(update(sessions).where(sessions.c.id == row.id)
                         .values(handoff_hash=None, handoff_expires_at=None))
            return None
        secret = tokens.new_secret()
        conn.execute(update(sessions).where(sessions.c.id == row.id).values(
            token_hash=tokens.digest(secret), handoff_hash=None, handoff_expires_at=None))
        return secret


def resume(db: Database, cookie: str, idle: dt.timedelta = DEFAULT_IDLE) -> Check:
    """The session a browser's cookie names (a refresh, a reconnect, a second tab)."""
    if not tokens.well_formed(cookie):
        return Check(None, reason="unknown")
    return _check(db, sessions.c.token_hash == tokens.digest(cookie), idle, secret=cookie)


def session_identity(db: Database, session_id: int, idle: dt.timedelta = DEFAULT_IDLE) -> Check:
    """Every run of a signed-in tab: is its session still live, and who is it (roles as stored now)?"""
    return _check(db, sessions.c.id == int(session_id), idle)


def _check(db: Database, where, idle: dt.timedelta, secret: str | None = None) -> Check:
    now = clock.now()
    with db.reading() as conn:
        row = conn.execute(select(sessions, users.c.disabled, users.c.email, users.c.name, users.c.national_role)
                           .join_from(sessions, users, sessions.c.user_id == users.c.id).where(where)).first()
        if row is None or (secret is not None and not tokens.matches(row.token_hash, secret)):
            return Check(None, reason="unknown")
        reason = _why_not(row, now, idle)
        if reason is not None:
            return Check(None, session_id=row.id, reason=reason)
        account = _Account(row.user_id, row.email, row.name, row.national_role)
        identity = access.identity_of(conn, account)  # the roles as stored now
    if now - row.last_seen_at >= TOUCH_EVERY:
        with db.writing() as conn:
            conn.execute(update(sessions).where(sessions.c.id == row.id, sessions.c.revoked_at.is_(None))
                         .values(last_seen_at=now))
    return Check(identity, session_id=row.id)


@dataclass(frozen=True)
class _Account:
    """What access.identity_of reads of an account, taken from the session's own query (one query fewer per run)."""

    id: int
    email: str
    name: str
    national_role: str | None


def _why_not(row, now: dt.datetime, idle: dt.timedelta | None) -> str | None:
    if row.revoked_at is not None:
        return "revoked"
    if row.disabled:
        return "disabled"
    if row.expires_at <= now:
        return "expired"
    if idle is not None and row.last_seen_at + idle <= now:
        return "idle"
    return None


def end_session(db: Database, session_id: int, reason: str = "sign_out") -> None:
    """Sign out: this session ends now (a second call does nothing)."""
    with db.writing() as conn:
        row = conn.execute(select(sessions.c.id, sessions.c.revoked_at, users.c.email)
                           .join_from(sessions, users, sessions.c.user_id == users.c.id)
                           .where(sessions.c.id == int(session_id))).first()
        if row is None or row.revoked_at is not None:
            return
        now = clock.now()
        conn.execute(update(sessions).where(sessions.c.id == row.id)
                     .values(revoked_at=now, revoked_by=row.email, revoked_reason=reason))
        audit.record(conn, Identity(None, row.email, row.email), "session.end", f"user:{row.email}",
                     new={"session": row.id, "reason": reason}, at=now)


def end_cookie_session(db: Database, cookie: str) -> None:
    """Sign out from the route that clears the cookie: the session the cookie names ends too."""
    if not tokens.well_formed(cookie):
        return
    with db.reading() as conn:
        found = conn.execute(select(sessions.c.id, sessions.c.token_hash)
                             .where(sessions.c.token_hash == tokens.digest(cookie))).first()
    if found is not None and tokens.matches(found.token_hash, cookie):
        end_session(db, found.id)


def end_sessions(db: Database, actor: Identity, email: str | None = None, keep: int | None = None) -> int:
    """End every session of an account: one's own ("Logga ut överallt"), or anyone's for the national admin.

    `keep` spares one session (the one asking, after a password change). Returns how many ended.
    """
    with db.writing() as conn:
        who = access.current(conn, actor)
        if email is not None and email.strip().lower() != who.email:
            access.require_admin(who, "manage_users")  # before the address is looked up
            user = conn.execute(select(users.c.id, users.c.email).where(users.c.email == email.strip().lower())).first()
            if user is None:
                return 0
            user_id, address = user.id, user.email
        else:
            if who.user_id is None:
                raise Forbidden(code="unknown_account")
            user_id, address = who.user_id, who.email
        reason = "sign_out_all" if user_id == who.user_id else "admin"
        return revoke_all(conn, who, user_id, address, reason, keep=keep)


def revoke_all(conn: Connection, who: Identity, user_id: int, email: str, reason: str,
               keep: int | None = None) -> int:
    """Inside a transaction: end every live session of the account (disabling it, a new password, an admin)."""
    now = clock.now()
    query = update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
    if keep is not None:
        query = query.where(sessions.c.id != int(keep))
    ended = conn.execute(query.values(revoked_at=now, revoked_by=who.email, revoked_reason=reason)).rowcount
    if ended:
        audit.record(conn, who, "session.revoke", f"user:{email}", new={"sessions": ended, "reason": reason}, at=now)
    return ended


def list_sessions(db: Database, actor: Identity, email: str | None = None) -> list[Session]:
    """Live sessions of an account, newest first: one's own, or anyone's for the national admin."""
    now = clock.now()
    with db.reading() as conn:
        who = access.current(conn, actor)
        address = who.email if email is None else email.strip().lower()
        if address != who.email:
            access.require_admin(who, "manage_users")
        rows = conn.execute(select(sessions, users.c.email).join_from(sessions, users, sessions.c.user_id == users.c.id)
                            .where(users.c.email == address, sessions.c.revoked_at.is_(None),
                                   sessions.c.expires_at > now).order_by(sessions.c.id.desc())).all()
    return [Session(row.id, row.email, row.via, row.user_agent, row.created_at, row.last_seen_at, row.expires_at)
            for row in rows]


def _agent(user_agent: str | None) -> str | None:
    if not user_agent:
        return None
    shown = "".join(ch for ch in str(user_agent) if ch.isprintable())
    return shown[:AGENT] or None
