"""Who may do what. The single place where the role rules live (docs/store.md has the matrix).

Operations first call `current()` to re-read the actor's roles inside their own transaction, then one of
the `may_*` predicates or `require_*` guards. Guards run before anything is read on the actor's behalf.

Roles: national admin (everything), national analyst (reads submitted and locked results of every
region), and per region: lead (edits drafts, submits, manages respondents, the plan and the region's
respondent and viewer accounts), respondent (answers their own sheets only) and viewer (reads the region).
When the national agency has published a round, everyone may see every region's submitted results in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, select

from store.errors import Forbidden, NotFound
from store.identity import Identity
from store.schema import assessments, memberships, respondents, users

T = TypeVar("T")

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


def regions_to_fill(who: Identity) -> list[str]:
    """Regions whose analysis this person may fill in: every region for the national admin, otherwise the
    regions they lead or answer in."""
    if who.is_admin:
        from questionnaires.regions import load_regions

        return [region.code for region in load_regions()]
    return sorted(code for code, role in who.regions.items() if role in ("lead", "respondent"))


def readable_regions(who: Identity) -> list[str]:
    """Regions whose every assessment (drafts included) this person may read: those they lead or view."""
    return sorted(code for code, role in who.regions.items() if role in ("lead", "viewer"))


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


# -- things looked up by id ------------------------------------------------------------------------------
#
# A refusal must not tell whether an id exists. Operations on something named by an id (an assessment, a
# respondent sheet, an account) therefore fetch it through `concealed` and refuse with `require_concealed`:
# an id the actor may not act on is refused with `Forbidden(op)` naming no region (the region would say that
# the id exists, and where), and so is an unknown id — unless the actor's role is one that works with such
# ids across a whole region (`reveal`): the national admin always; for reading a region's detail the analyst,
# leads and viewers (`reads_regions`); for changing it, leads (`manages_regions`). They are told `NotFound`
# for a mistyped id. A respondent, or an account without a role, learns nothing from trying ids.

def reads_regions(who: Identity) -> bool:
    return who.is_national or any(role in ("lead", "viewer") for role in who.regions.values())


def manages_regions(who: Identity) -> bool:
    return who.is_admin or bool(who.lead_regions())


def concealed(who: Identity, op: str, fetch: Callable[[], T], reveal: bool = False) -> T:
    """`fetch()` (a lookup that raises NotFound); NotFound is refused like a forbidden id unless `reveal` (or admin)."""
    try:
        return fetch()
    except NotFound:
        if who.is_admin or reveal:
            raise
        raise Forbidden(op) from None


def require_concealed(condition: bool, op: str) -> None:
    """The refusal for something fetched through `concealed`: the same whether or not it exists."""
    if not condition:
        raise Forbidden(op)
