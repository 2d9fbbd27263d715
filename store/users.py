"""Accounts and their roles: create, list, disable, and grant or withdraw a role in a region.

The national admin manages every account. A regional lead may create accounts for partners and grant or
withdraw the respondent and viewer roles in the regions they lead, nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from questionnaires import freetext
from store import access, audit, auth, clock, reference
from store.database import Database
from store.errors import Forbidden, Invalid, NotFound, Problem, searchable, text_problems
from store.identity import NATIONAL_ROLES, REGIONAL_ROLES, Identity, RegionRoles
from store.messages import FIELD_NAMES
from store.schema import NAME, memberships, users

EMAIL_PATTERN = freetext.EMAIL_PATTERN  # use freetext.is_email (a full match), not EMAIL_PATTERN.match
DELEGABLE = ("respondent", "viewer")  # what a regional lead may grant


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    national_role: str | None
    regions: Mapping[str, str]
    disabled: bool
    has_password: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    locked_until: dt.datetime | None


def create_user(db: Database, actor: Identity, email: str, name: str, password: str | None = None,
                national_role: str | None = None, regions: Mapping[str, str] | None = None) -> User:
    """A new account. Without a password it can only sign in through OIDC (st.login)."""
    regions = dict(regions or {})
    address = auth.normalise_email(email)
    bad_address = _email_problems(address)
    problems = bad_address + _name_problems(name) + _password_problems(password)
    if national_role is not None and national_role not in NATIONAL_ROLES:
        problems.append(Problem("bad_national_role", {"value": national_role}))
    problems += [Problem("bad_region_role", {"value": role}, (code,)) for code, role in regions.items()
                 if role not in REGIONAL_ROLES]
    hashed = auth.hash_password(password) if password and not problems else None
    with db.writing() as conn:
        who = access.current(conn, actor)
        _require_may_create(who, national_role, regions)
        known = reference.region_codes(conn)
        problems += [Problem("unknown_region", {"value": code}) for code in regions if code not in known]
        # Only a well-formed address is looked up (PostgreSQL refuses a NUL in a query, SQLite does not).
        if not bad_address and conn.execute(select(users.c.id).where(users.c.email == address)).first() is not None:
            problems.append(Problem("email_taken", {"value": address}))
        if problems:
            raise Invalid(problems)
        now = clock.now()
        user_id = conn.execute(users.insert().values(
            email=address, name=name.strip(), password_hash=hashed, national_role=national_role, disabled=False,
            failed_logins=0, created_at=now)).inserted_primary_key[0]
        for code, role in sorted(regions.items()):
            conn.execute(memberships.insert().values(user_id=user_id, region_code=code, role=role))
        audit.record(conn, who, "user.create", f"user:{address}", at=now,
                     new={"email": address, "name": name.strip(), "national_role": national_role,
                          "regions": regions, "password": hashed is not None})
        for code, role in sorted(regions.items()):
            audit.record(conn, who, "membership.set", f"membership:{address}/{code}", region=code, new=role, at=now)
        return _user(conn, user_id)


def _require_may_create(who: Identity, national_role: str | None, regions: Mapping[str, str]) -> None:
    if who.is_admin:
        return
    if national_role is not None or not regions:
        raise Forbidden("manage_users")
    for code, role in regions.items():
        if not who.leads(code) or role not in DELEGABLE:
            raise Forbidden("grant_role", code)


def list_users(db: Database, actor: Identity) -> list[User]:
    """Every account for the national admin; for a lead, the accounts with a role in a region they lead."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        if who.is_admin:
            ids = list(conn.execute(select(users.c.id).order_by(users.c.email)).scalars())
            return [_user(conn, user_id) for user_id in ids]
        led = who.lead_regions()
        if not led:
            raise Forbidden("list_users")
        ids = conn.execute(select(users.c.id).join_from(users, memberships)
                           .where(memberships.c.region_code.in_(led)).distinct()).scalars()
        found = [_user(conn, user_id, visible=set(led)) for user_id in ids]
        return sorted(found, key=lambda user: user.email)


def get_user(db: Database, actor: Identity, email: str) -> User:
    """An account: the admin sees any, everyone their own, a lead the accounts with a role in a region they lead.

    Anyone else is refused before the address is looked up, and a lead asking about an address that has no
    account gets the same refusal as for an account outside their regions: nobody learns who has an account.
    """
    with db.reading() as conn:
        who = access.current(conn, actor)
        own = auth.normalise_email(email) == who.email
        if not (who.is_admin or own or who.lead_regions()):
            raise Forbidden("list_users")
        row = access.concealed(who, "list_users", lambda: _row(conn, email))
        if who.is_admin or row.id == who.user_id:
            return _user(conn, row.id)
        led = set(who.lead_regions())
        user = _user(conn, row.id, visible=led)
        access.require_concealed(bool(user.regions), "list_users")
        return user


def disable_user(db: Database, actor: Identity, email: str) -> None:
    _set_disabled(db, actor, email, True)


def enable_user(db: Database, actor: Identity, email: str) -> None:
    _set_disabled(db, actor, email, False)


def _set_disabled(db: Database, actor: Identity, email: str, disabled: bool) -> None:
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "manage_users")
        row = _row(conn, email)
        if bool(row.disabled) == disabled:
            return
        values: dict = {"disabled": disabled}
        if not disabled:
            values.update(failed_logins=0, locked_until=None)
        conn.execute(users.update().where(users.c.id == row.id).values(**values))
        audit.record(conn, who, "user.disable" if disabled else "user.enable", f"user:{row.email}",
                     old={"disabled": bool(row.disabled)}, new={"disabled": disabled})
        if disabled:  # every browser signed in to the account is signed out at once
            from store import sessions

            sessions.revoke_all(conn, who, row.id, row.email, "disabled")


def set_password(db: Database, actor: Identity, email: str, password: str | None) -> None:
    """The admin sets anyone's password, everyone their own. None removes it (OIDC only from then on)."""
    problems = _password_problems(password)
    if problems:
        raise Invalid(problems)
    hashed = auth.hash_password(password) if password else None
    with db.writing() as conn:
        who = access.current(conn, actor)
        if not who.is_admin and auth.normalise_email(email) != who.email:
            raise Forbidden("manage_users")  # before the address is looked up: it says nothing about who exists
        row = _row(conn, email)
        if not who.is_admin and row.id != who.user_id:
            raise Forbidden("manage_users")
        conn.execute(users.update().where(users.c.id == row.id)
                     .values(password_hash=hashed, failed_logins=0, locked_until=None))
        audit.record(conn, who, "user.password", f"user:{row.email}", new={"password": hashed is not None})
        if row.id != who.user_id:  # someone else's password set anew: whoever was signed in with the old one is out
            from store import sessions

            sessions.revoke_all(conn, who, row.id, row.email, "password")


def set_national_role(db: Database, actor: Identity, email: str, role: str | None) -> None:
    if role is not None and role not in NATIONAL_ROLES:
        raise Invalid([Problem("bad_national_role", {"value": role})])
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "manage_users")
        row = _row(conn, email)
        if row.national_role == role:
            return
        conn.execute(users.update().where(users.c.id == row.id).values(national_role=role))
        audit.record(conn, who, "user.national_role", f"user:{row.email}", old=row.national_role, new=role)


def set_membership(db: Database, actor: Identity, email: str, region: str, role: str) -> None:
    """Give `email` the role `role` in `region` (replacing any role they had there)."""
    if role not in REGIONAL_ROLES:
        raise Invalid([Problem("bad_region_role", {"value": role})])
    with db.writing() as conn:
        who = access.current(conn, actor)
        _require_may_grant(who, region, role, None)  # before the address is looked up
        row = _row(conn, email)
        old = _membership(conn, row.id, region)
        _require_may_grant(who, region, role, old)
        if region not in reference.region_codes(conn):
            raise NotFound("no_region", region=region)
        if old == role:
            return
        if old is None:
            conn.execute(memberships.insert().values(user_id=row.id, region_code=region, role=role))
        else:
            conn.execute(memberships.update().where(memberships.c.user_id == row.id,
                                                    memberships.c.region_code == region).values(role=role))
        audit.record(conn, who, "membership.set", f"membership:{row.email}/{region}", region=region, old=old, new=role)


def remove_membership(db: Database, actor: Identity, email: str, region: str) -> None:
    with db.writing() as conn:
        who = access.current(conn, actor)
        _require_may_grant(who, region, "respondent", None)  # before the address is looked up
        row = _row(conn, email)
        old = _membership(conn, row.id, region)
        _require_may_grant(who, region, old or "respondent", old)
        if old is None:
            raise NotFound("no_membership", email=row.email, region=region)
        conn.execute(memberships.delete().where(memberships.c.user_id == row.id, memberships.c.region_code == region))
        audit.record(conn, who, "membership.remove", f"membership:{row.email}/{region}", region=region, old=old)


def _require_may_grant(who: Identity, region: str, role: str, old: str | None) -> None:
    if who.is_admin:
        return
    if not who.leads(region) or role not in DELEGABLE or (old is not None and old not in DELEGABLE):
        raise Forbidden("grant_role", region)


def _membership(conn: Connection, user_id: int, region: str) -> str | None:
    return conn.execute(select(memberships.c.role).where(memberships.c.user_id == user_id,
                                                         memberships.c.region_code == region)).scalar()


def _row(conn: Connection, email: str):
    address = searchable(auth.normalise_email(email), "no_user", "email")
    row = conn.execute(select(users).where(users.c.email == address)).first()
    if row is None:
        raise NotFound("no_user", email=freetext.shown(address))
    return row


def _user(conn: Connection, user_id: int, visible: set[str] | None = None) -> User:
    row = conn.execute(select(users).where(users.c.id == user_id)).one()
    roles = dict(conn.execute(select(memberships.c.region_code, memberships.c.role)
                              .where(memberships.c.user_id == user_id)).all())
    if visible is not None:  # a lead sees the roles in their own regions, not the rest of someone's life
        roles = {code: role for code, role in roles.items() if code in visible}
    return User(id=row.id, email=row.email, name=row.name,
                national_role=row.national_role if visible is None else None, regions=RegionRoles(roles),
                disabled=bool(row.disabled), has_password=row.password_hash is not None, created_at=row.created_at,
                last_login_at=row.last_login_at, locked_until=row.locked_until)


def _email_problems(address: str) -> list[Problem]:
    """The conservative pattern of questionnaires/freetext.py (letters, digits and . _ % + - only)."""
    if not freetext.is_email(address):
        return [Problem("bad_email", {"value": freetext.shown(address)})]
    return []


def _name_problems(name: str) -> list[Problem]:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME:
        return [Problem("bad_name", {"limit": NAME})]
    return text_problems(freetext.single_line_problems(name, FIELD_NAMES["name"]))


def _password_problems(password: str | None) -> list[Problem]:
    if password is None or password == "":
        return []
    if len(password) < auth.MIN_PASSWORD:
        return [Problem("password_short", {"limit": auth.MIN_PASSWORD})]
    if len(password) > auth.MAX_PASSWORD:
        return [Problem("password_long", {"limit": auth.MAX_PASSWORD})]
    return []
