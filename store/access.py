"""Who may do what. The single place where the role rules live (docs/store.md has the matrix).

Operations first call `current()` to re-read the actor's roles inside their own transaction, then one of
the `may_*` predicates or `require_*` guards. Guards run before anything is read on the actor's behalf.

Roles: national admin (everything), national analyst (reads submitted and locked results of every
region), and per region: lead (edits drafts, submits, manages respondents, the plan and the region's
respondent and viewer accounts), respondent (answers their own sheets only) and viewer (reads the region).
When the national agency has published a round, everyone may see every region's submitted results in it.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from store.errors import Forbidden
from store.identity import Identity
from store.schema import assessments, memberships, respondents, users

SUBMITTED = ("submitted", "locked")
EDITABLE = ("draft", "reopened")


def current(conn: Connection, actor: Identity) -> Identity:
    """The actor's roles as the database has them now. Disabled or unknown accounts are refused."""
    if not isinstance(actor, Identity):
        raise Forbidden(code="unknown_account")
    if actor.system:
        return actor
    if actor.user_id is None:
        raise Forbidden(code="unknown_account")
    row = conn.execute(select(users).where(users.c.id == actor.user_id)).first()
    if row is None:
        raise Forbidden(code="unknown_account")
    if row.disabled:
        raise Forbidden(code="account_disabled")
    return identity_of(conn, row)


def identity_of(conn: Connection, user) -> Identity:
    roles = dict(conn.execute(select(memberships.c.region_code, memberships.c.role)
                              .where(memberships.c.user_id == user.id)).all())
    sheets = conn.execute(select(respondents.c.id, assessments.c.region_code).join_from(respondents, assessments)
                          .where(respondents.c.user_email == user.email, respondents.c.removed_at.is_(None))).all()
    for _, region in sheets:  # a sheet of one's own is a reason to be in the region, at least as respondent
        roles.setdefault(region, "respondent")
    return Identity(user_id=user.id, email=user.email, name=user.name, national_role=user.national_role,
                    regions=roles, respondent_ids=frozenset(sheet_id for sheet_id, _ in sheets))


# -- predicates -------------------------------------------------------------------------------------------

def may_manage(who: Identity, region: str) -> bool:
    """Assessment lifecycle, respondents, action plan, import: the region's lead, or the national admin."""
    return who.is_admin or who.leads(region)


def may_see_status(who: Identity, region: str, published: bool) -> bool:
    return who.is_national or region in who.regions or published


def may_see_region_detail(who: Identity, region: str, status: str) -> bool:
    """Everything in an assessment, including who answered what and when."""
    if who.is_admin or who.role_in(region) in ("lead", "viewer"):
        return True
    return who.national_role == "analyst" and status in SUBMITTED


def may_see_sheet(who: Identity, region: str, status: str, respondent_id: int) -> bool:
    return may_see_region_detail(who, region, status) or respondent_id in who.respondent_ids


def may_see_results(who: Identity, region: str, status: str, published: bool) -> bool:
    """Scores and plans: detail access, or a submitted assessment in a published round."""
    return may_see_region_detail(who, region, status) or (published and status in SUBMITTED)


def may_answer(who: Identity, region: str, respondent_id: int) -> bool:
    return may_manage(who, region) or respondent_id in who.respondent_ids


# -- guards -----------------------------------------------------------------------------------------------

def require_admin(who: Identity, op: str) -> None:
    if not who.is_admin:
        raise Forbidden(op)


def require_manage(who: Identity, region: str, op: str = "edit_assessment") -> None:
    if not may_manage(who, region):
        raise Forbidden(op, region)


def require(condition: bool, op: str, region: str | None = None) -> None:
    if not condition:
        raise Forbidden(op, region)
