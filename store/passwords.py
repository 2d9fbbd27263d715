"""Password self-service: change one's own, a reset link from the national admin, "Glömt lösenord".

A reset link is a one-time link (`link_tokens`, purpose `reset`; store/tokens.py has the rules for its secret):
from the admin it is valid 24 hours, from "Glömt lösenord" one hour; a newer link revokes the older ones; using it
sets the password, spends the link, ends every session of the account and starts a new one. Asking for a link
never tells whether the address has an account (the answer and its timing are the same; the app mails in the
background) and is limited to 3 an hour per address and 10 an hour per client. A wrong current password counts
towards the account's lockout like a wrong sign-in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from questionnaires import freetext
from store import access, audit, auth, clock, sessions, tokens, users
from store.database import Database
from store.errors import AuthFailed, Forbidden, Invalid, NotFound, Problem
from store.identity import Identity
from store.schema import link_tokens, memberships
from store.schema import users as users_table

ADMIN_RESET_TTL = dt.timedelta(hours=24)
SELF_RESET_TTL = dt.timedelta(hours=1)
PER_ADDRESS = (3, dt.timedelta(hours=1))
PER_CLIENT = (10, dt.timedelta(hours=1))
LINK_TRIES_PER_CLIENT = (30, dt.timedelta(hours=1))  # wrong or stale links tried from one client


@dataclass(frozen=True)
class Opened:
    """A link that signed someone in: who, and the session (with its cookie secret) the route sets."""

    identity: Identity
    session_id: int
    cookie: str


def change_password(db: Database, actor: Identity, current: str, new: str, keep_session: int | None = None) -> None:
    """One's own password, the current one required. Every other session of the account ends."""
    _require_new(new)
    with db.reading() as conn:
        who = access.current(conn, actor)
        row = conn.execute(select(users_table).where(users_table.c.id == who.user_id)).first()
    if row is None or row.password_hash is None:
        raise Forbidden(code="unknown_account")
    if auth._locked(row, clock.now()):
        raise AuthFailed("locked", until=auth._local_time(row.locked_until))
    correct = auth._verify(row.password_hash, current or "")
    hashed = auth.hash_password(new) if correct else None
    refusal: AuthFailed | None = None
    with db.writing() as conn:
        now = clock.now()
        held = conn.execute(select(users_table).where(users_table.c.id == row.id).with_for_update()).one()
        if held.password_hash != row.password_hash:  # changed meanwhile: judge against what is stored
            correct = auth._verify(held.password_hash, current or "") if held.password_hash else False
            hashed = auth.hash_password(new) if correct else None
        if auth._locked(held, now):
            refusal = AuthFailed("locked", until=auth._local_time(held.locked_until))
        elif not correct:
            auth._failed(conn, held, now)
            refusal = AuthFailed("wrong_current")
        else:
            conn.execute(update(users_table).where(users_table.c.id == held.id)
                         .values(password_hash=hashed, failed_logins=0, locked_until=None))
            audit.record(conn, who, "user.password", f"user:{held.email}", new={"password": True, "how": "change"},
                         at=now)
            sessions.revoke_all(conn, who, held.id, held.email, "password", keep=keep_session)
    if refusal is not None:
        raise refusal  # the counted failure is committed first


def set_first_password(db: Database, actor: Identity, new: str, keep_session: int | None = None) -> None:
    """A partner who came in through an invitation chooses a password: only an account that has none.

    From then on the invitation link no longer signs anyone in; the person signs in with the password.
    """
    _require_new(new)
    hashed = auth.hash_password(new)
    with db.writing() as conn:
        who = access.current(conn, actor)
        held = conn.execute(select(users_table).where(users_table.c.id == who.user_id).with_for_update()).one()
        if held.password_hash is not None:
            raise Forbidden(code="has_password")
        now = clock.now()
        conn.execute(update(users_table).where(users_table.c.id == held.id).values(password_hash=hashed))
        spent = conn.execute(update(link_tokens).where(
            link_tokens.c.purpose == "invitation", link_tokens.c.email == held.email, link_tokens.c.spent_at.is_(None),
        ).values(spent_at=now)).rowcount
        audit.record(conn, who, "user.password", f"user:{held.email}",
                     new={"password": True, "how": "first", "links_spent": spent}, at=now)
        sessions.revoke_all(conn, who, held.id, held.email, "password", keep=keep_session)


def issue_reset(db: Database, actor: Identity, email: str) -> tuple[str, str]:
    """The national admin's reset link for an account: (address, secret), valid 24 hours and once."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "manage_users")  # before the address is looked up
        row = users._row(conn, email)
        secret = _issue(conn, who, row, ADMIN_RESET_TTL)
        return row.email, secret


def request_reset(db: Database, email: str, client: str | None = None) -> tuple[str, str] | None:
    """'Glömt lösenord': (address, secret) to mail when the address may get a link, otherwise None.

    The caller says the same thing either way. None also when the address or the client asked too often.
    """
    address = auth.normalise_email(email)
    if not address or not freetext.is_email(address):
        return None
    with db.writing() as conn:
        now = clock.now()
        limited = tokens.over_limit(conn, "forgot_email", address, *PER_ADDRESS, now)
        limited = tokens.over_limit(conn, "forgot_client", client or "-", *PER_CLIENT, now) or limited
        if limited:
            return None
        row = conn.execute(select(users_table).where(users_table.c.email == address)).first()
        if row is None or row.disabled or not _may_reset_by_mail(conn, row):
            return None
        secret = _issue(conn, Identity(None, "self-service", "self-service"), row, SELF_RESET_TTL, now=now)
        return row.email, secret


def reset_address(db: Database, secret: str) -> str | None:
    """The address a live reset link is for (the page shows it), or None. Reads only: a GET changes nothing."""
    with db.reading() as conn:
        row = _link(conn, "reset", secret)
        if row is None or _link_refusal(row, clock.now()) is not None:
            return None
        return row.email


def use_reset(db: Database, secret: str, new: str, *, user_agent: str | None = None,
              client: str | None = None) -> Opened:
    """Set the password with a reset link: once. Ends every session of the account and opens a new one."""
    _require_new(new)
    hashed = auth.hash_password(new)
    refusal: Exception | None = None
    with db.writing() as conn:
        now = clock.now()
        row = _link(conn, "reset", secret)
        reason = "unknown" if row is None else _link_refusal(row, now)
        account = None
        if reason is None:
            account = conn.execute(select(users_table).where(users_table.c.id == row.user_id)).first()
            if account is None or account.disabled:
                reason = "disabled"
        if reason is not None:
            if tokens.over_limit(conn, "link_client", client or "-", *LINK_TRIES_PER_CLIENT, now):
                reason = "limited"
            if row is not None:  # OWASP: log uses of expired, spent or revoked links
                audit.record(conn, Identity(None, row.email, row.email), "link.refused", f"link:{row.id}",
                             new={"purpose": "reset", "reason": reason}, at=now)
            refusal = NotFound("link_invalid")
        else:
            conn.execute(update(link_tokens).where(link_tokens.c.id == row.id).values(used_at=now, spent_at=now))
            conn.execute(update(users_table).where(users_table.c.id == account.id)
                         .values(password_hash=hashed, failed_logins=0, locked_until=None))
            who = access.identity_of(conn, account)
            audit.record(conn, who, "password.reset_use", f"user:{account.email}", new={"link": row.id}, at=now)
            sessions.revoke_all(conn, who, account.id, account.email, "password_reset")
            session_id, cookie = sessions.open_session(conn, who, via="reset", user_agent=user_agent, cookie=True,
                                                       now=now)
            return Opened(who, session_id, cookie)
    raise refusal


# -- shared with invitations ------------------------------------------------------------------------------

def _link(conn: Connection, purpose: str, secret: str):
    if not tokens.well_formed(secret):
        return None
    row = conn.execute(select(link_tokens).where(link_tokens.c.token_hash == tokens.digest(secret),
                                                 link_tokens.c.purpose == purpose)).first()
    if row is None or not tokens.matches(row.token_hash, secret):
        return None
    return row


def _link_refusal(row, now: dt.datetime) -> str | None:
    if row.revoked_at is not None:
        return "revoked"
    if row.spent_at is not None:
        return "spent"
    if row.expires_at <= now:
        return "expired"
    return None


def _issue(conn: Connection, who: Identity, account, ttl: dt.timedelta, now: dt.datetime | None = None) -> str:
    now = now or clock.now()
    conn.execute(update(link_tokens).where(
        link_tokens.c.purpose == "reset", link_tokens.c.user_id == account.id, link_tokens.c.spent_at.is_(None),
        link_tokens.c.revoked_at.is_(None)).values(revoked_at=now, revoked_by=who.email))
    secret = tokens.new_secret()
    link_id = conn.execute(link_tokens.insert().values(
        purpose="reset", token_hash=tokens.digest(secret), email=account.email, user_id=account.id, created_at=now,
        created_by=who.email, expires_at=now + ttl)).inserted_primary_key[0]
    audit.record(conn, who, "password.reset_issue", f"user:{account.email}",
                 new={"link": link_id, "expires_at": now + ttl}, at=now)
    return secret


def _may_reset_by_mail(conn: Connection, row) -> bool:
    """A local password, or a partner account (no national role, no regional role but respondent).

    An account kept for the organisation's identity provider (OIDC, no password) gets no password by mail.
    """
    if row.password_hash is not None:
        return True
    if row.national_role is not None:
        return False
    roles = set(conn.execute(select(memberships.c.role).where(memberships.c.user_id == row.id)).scalars())
    return roles <= {"respondent"}


def _require_new(new: str) -> None:
    if not new:
        raise Invalid([Problem("password_short", {"limit": auth.MIN_PASSWORD})])
    problems = users._password_problems(new)
    if problems:
        raise Invalid(problems)
