"""Invitations: a regional lead brings a partner into the region's analysis without the national admin.

`invite` adds the partner's sheet and a personal link in one transaction. The link is a one-time-link secret
(store/tokens.py: 256 bits, only its SHA-256 stored) valid 30 days and only while the round is open; the lead can
issue it again (`reissue`: the old link stops working) or withdraw it (`revoke`: the link and any session it
opened end). Every issue, use, mailing and withdrawal is in the audit log.

The link opens a landing page that only reads (`preview`): mail scanners fetch links, and a fetch must change
nothing. The partner presses "Börja" (`accept`, an HTTP POST): the partner's account is created if there is none
(no password, no role but the sheet), a session starts, and the partner may choose a password
(store.passwords.set_first_password) or continue without one — then the same link brings them back until it
expires. A link never signs in an account that has a password, a national role, another regional role or sheets
in another region: those people sign in as usual (the lead, who sees the link, cannot borrow anyone's account).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update

from store import access, audit, auth, clock, lookup, respondents, sessions, tokens
from store.assessments import require_editable
from store.database import Database
from store.errors import Forbidden, Invalid, NotFound, Problem
from store.identity import Identity
from store.passwords import LINK_TRIES_PER_CLIENT, Opened, _link, _link_refusal
from store.schema import answers, assessments, link_tokens, memberships, rounds, sheet_receipts, users
from store.schema import respondents as sheets

INVITATION_TTL = dt.timedelta(days=30)
INVITES_PER_HOUR = 100  # per lead: a slip of the hand, not a mailing list


@dataclass(frozen=True)
class Invitation:
    """One partner's sheet as the lead sees it: invited · started · done (or not invited, revoked, expired)."""

    respondent_id: int
    name: str
    organisation: str | None
    role: str
    email: str
    region: str
    round: str
    status: str  # not_invited | invited | started | done | revoked | expired
    invited_by: str | None
    invited_by_name: str | None
    invited_at: dt.datetime | None
    expires_at: dt.datetime | None
    sent_at: dt.datetime | None
    used_at: dt.datetime | None
    done_at: dt.datetime | None
    answered: int
    asked: int


@dataclass(frozen=True)
class LinkView:
    """What the landing page may show for a link, read without changing anything."""

    usable: bool
    reason: str | None  # unknown | revoked | spent | expired | round_closed | removed | has_account | disabled
    email: str | None = None
    name: str | None = None
    organisation: str | None = None
    region: str | None = None
    round: str | None = None
    invited_by: str | None = None
    invited_by_name: str | None = None
    expires_at: dt.datetime | None = None


def invite(db: Database, actor: Identity, assessment_id: int, name: str, role: str, email: str,
           organisation: str | None = None) -> tuple[Invitation, str]:
    """Add the partner's sheet and its link. Returns the invitation and the link's secret (shown or mailed once)."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "manage_respondents", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.manages_regions(who))
        access.require_concealed(access.may_manage(who, found.region), "manage_respondents")
        require_editable(found)
        q = db.questionnaire(found.questionnaire_ref, conn)
        problems = respondents.respondent_problems(q, name, role, organisation, email or "")
        if not (email or "").strip():
            problems.append(Problem("bad_email", {"value": ""}))
        address = auth.normalise_email(email or "")
        if not problems and conn.execute(select(sheets.c.id).where(
                sheets.c.assessment_id == found.id, sheets.c.user_email == address,
                sheets.c.removed_at.is_(None))).first() is not None:
            problems.append(Problem("already_invited", {"value": address}))
        if problems:
            raise Invalid(problems)
        now = clock.now()
        if tokens.over_limit(conn, "invite_actor", who.email, INVITES_PER_HOUR, dt.timedelta(hours=1), now):
            raise Invalid([Problem("rate_limited", {})])
        sheet_id = respondents.insert(conn, who, found.id, found.region, name, role, organisation, address, None, at=now)
        secret = _issue(conn, who, sheet_id, address, found.region, now)
        return _invitation(db, conn, sheet_id), secret


def reissue(db: Database, actor: Identity, respondent_id: int) -> tuple[Invitation, str]:
    """'Skicka om': a new link for the sheet; every earlier link of the sheet stops working."""
    with db.writing() as conn:
        who, found = _managed_sheet(conn, actor, respondent_id)
        require_editable(found.assessment)
        address = conn.execute(select(sheets.c.user_email).where(sheets.c.id == found.id)).scalar()
        if not address:
            raise Invalid([Problem("bad_email", {"value": ""})])
        now = clock.now()
        _revoke_links(conn, who, found.id, found.assessment.region, now)
        secret = _issue(conn, who, found.id, address, found.assessment.region, now)
        return _invitation(db, conn, found.id), secret


def revoke(db: Database, actor: Identity, respondent_id: int) -> None:
    """'Återkalla': the sheet's links stop working, and sessions they opened for a password-less account end."""
    with db.writing() as conn:
        who, found = _managed_sheet(conn, actor, respondent_id)
        now = clock.now()
        _revoke_links(conn, who, found.id, found.assessment.region, now)
        address = conn.execute(select(sheets.c.user_email).where(sheets.c.id == found.id)).scalar()
        account = conn.execute(select(users).where(users.c.email == address)).first() if address else None
        if account is not None and account.password_hash is None:
            ended = conn.execute(update(sessions.sessions).where(
                sessions.sessions.c.user_id == account.id, sessions.sessions.c.via == "invitation",
                sessions.sessions.c.revoked_at.is_(None)).values(
                revoked_at=now, revoked_by=who.email, revoked_reason="invitation")).rowcount
            if ended:
                audit.record(conn, who, "session.revoke", f"user:{account.email}", region=found.assessment.region,
                             new={"sessions": ended, "reason": "invitation"}, at=now)


def mark_sent(db: Database, actor: Identity, respondent_id: int) -> None:
    """The app mailed the sheet's newest link."""
    with db.writing() as conn:
        who, found = _managed_sheet(conn, actor, respondent_id)
        link = _newest_link(conn, found.id)
        if link is None:
            return
        now = clock.now()
        conn.execute(update(link_tokens).where(link_tokens.c.id == link.id).values(sent_at=now))
        audit.record(conn, who, "invitation.sent", f"respondent:{found.id}", region=found.assessment.region,
                     new={"link": link.id, "to": link.email}, at=now)


def list_invitations(db: Database, actor: Identity, assessment_id: int) -> list[Invitation]:
    """Every sheet of the assessment that has an e-mail address or a link, for the region's lead (or the admin)."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "manage_respondents", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.manages_regions(who))
        access.require_concealed(access.may_manage(who, found.region), "manage_respondents")
        linked = select(link_tokens.c.respondent_id).where(link_tokens.c.respondent_id.is_not(None))
        ids = conn.execute(select(sheets.c.id).where(
            sheets.c.assessment_id == found.id, sheets.c.removed_at.is_(None),
            (sheets.c.user_email.is_not(None)) | sheets.c.id.in_(linked)).order_by(sheets.c.id)).scalars().all()
        return [_invitation(db, conn, sheet_id) for sheet_id in ids]


def my_invitations(db: Database, actor: Identity) -> list[Invitation]:
    """The sheets this person answers, with who invited them and until when (the welcome page)."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        ids = sorted(who.respondent_ids)
        return [_invitation(db, conn, sheet_id) for sheet_id in ids]


def preview(db: Database, secret: str) -> LinkView:
    """The landing page's facts for a link. Only reads: a mail scanner's GET must change nothing."""
    with db.reading() as conn:
        row = _link(conn, "invitation", secret)
        if row is None:
            return LinkView(False, "unknown")
        return _view(conn, row, clock.now())


def accept(db: Database, secret: str, *, user_agent: str | None = None, client: str | None = None) -> Opened:
    """'Börja' (an HTTP POST): the partner's account if needed, and a session. `NotFound('link_invalid')` or
    `Forbidden(code='invitation_has_account')` when the link may not sign anyone in."""
    refusal: Exception | None = None
    with db.writing() as conn:
        now = clock.now()
        row = _link(conn, "invitation", secret)
        view = LinkView(False, "unknown") if row is None else _view(conn, row, now)
        if not view.usable:
            if tokens.over_limit(conn, "link_client", client or "-", *LINK_TRIES_PER_CLIENT, now):
                view = LinkView(False, "limited")
            if row is not None:
                audit.record(conn, Identity(None, row.email, row.email), "link.refused", f"link:{row.id}",
                             region=view.region, new={"purpose": "invitation", "reason": view.reason}, at=now)
            refusal = (Forbidden(code="invitation_has_account") if view.reason == "has_account"
                       else NotFound("link_invalid"))
        else:
            account = conn.execute(select(users).where(users.c.email == row.email)).first()
            system = Identity(None, f"link:{row.id}", "invitation")
            if account is None:
                user_id = conn.execute(users.insert().values(
                    email=row.email, name=view.name, password_hash=None, national_role=None, disabled=False,
                    failed_logins=0, created_at=now)).inserted_primary_key[0]
                audit.record(conn, system, "user.create", f"user:{row.email}", at=now,
                             new={"email": row.email, "name": view.name, "national_role": None, "regions": {},
                                  "password": False, "via": "invitation"})
                account = conn.execute(select(users).where(users.c.id == user_id)).one()
            first = row.used_at is None
            conn.execute(update(link_tokens).where(link_tokens.c.id == row.id).values(
                user_id=account.id, used_at=row.used_at or now))
            conn.execute(update(users).where(users.c.id == account.id).values(last_login_at=now))
            who = access.identity_of(conn, account)
            audit.record(conn, who, "invitation.use", f"respondent:{row.respondent_id}", region=view.region,
                         new={"link": row.id, "first": first}, at=now)
            session_id, cookie = sessions.open_session(conn, who, via="invitation", user_agent=user_agent,
                                                       cookie=True, now=now)
            return Opened(who, session_id, cookie)
    raise refusal


# -- inside -------------------------------------------------------------------------------------------------

def _issue(conn: Connection, who: Identity, sheet_id: int, address: str, region: str, now: dt.datetime) -> str:
    secret = tokens.new_secret()
    link_id = conn.execute(link_tokens.insert().values(
        purpose="invitation", token_hash=tokens.digest(secret), email=address, respondent_id=sheet_id,
        created_at=now, created_by=who.email, expires_at=now + INVITATION_TTL)).inserted_primary_key[0]
    audit.record(conn, who, "invitation.issue", f"respondent:{sheet_id}", region=region,
                 new={"link": link_id, "to": address, "expires_at": now + INVITATION_TTL}, at=now)
    return secret


def _revoke_links(conn: Connection, who: Identity, sheet_id: int, region: str, now: dt.datetime) -> None:
    live = conn.execute(select(link_tokens).where(
        link_tokens.c.respondent_id == sheet_id, link_tokens.c.revoked_at.is_(None))).all()
    if not live:
        return
    conn.execute(update(link_tokens).where(link_tokens.c.id.in_([row.id for row in live]))
                 .values(revoked_at=now, revoked_by=who.email))
    audit.record(conn, who, "invitation.revoke", f"respondent:{sheet_id}", region=region,
                 old={"links": [row.id for row in live]}, at=now)


def _managed_sheet(conn: Connection, actor: Identity, respondent_id: int):
    who = access.current(conn, actor)
    found = access.concealed(who, "manage_respondents", lambda: lookup.respondent_by_id(conn, respondent_id),
                             access.manages_regions(who))
    access.require_concealed(access.may_manage(who, found.assessment.region), "manage_respondents")
    if found.removed:
        raise NotFound("no_respondent", id=respondent_id)
    return who, found


def _newest_link(conn: Connection, sheet_id: int):
    return conn.execute(select(link_tokens).where(link_tokens.c.respondent_id == sheet_id, link_tokens.c.purpose ==
                                                  "invitation").order_by(link_tokens.c.id.desc()).limit(1)).first()


def _view(conn: Connection, row, now: dt.datetime) -> LinkView:
    sheet = conn.execute(select(sheets, assessments.c.region_code, rounds.c.label, rounds.c.status.label("round_status"))
                         .join_from(sheets, assessments, sheets.c.assessment_id == assessments.c.id)
                         .join(rounds, assessments.c.round_id == rounds.c.id)
                         .where(sheets.c.id == row.respondent_id)).first()
    if sheet is None:
        return LinkView(False, "unknown")
    inviter = conn.execute(select(users.c.name).where(users.c.email == row.created_by)).scalar()
    facts = {"email": row.email, "name": sheet.name, "organisation": sheet.organisation, "region": sheet.region_code,
             "round": sheet.label, "invited_by": row.created_by, "invited_by_name": inviter,
             "expires_at": row.expires_at}
    reason = _link_refusal(row, now)
    if reason is None and sheet.round_status != "open":
        reason = "round_closed"
    if reason is None and (sheet.removed_at is not None or sheet.user_email != row.email):
        reason = "removed"
    if reason is None:
        reason = _account_refusal(conn, row.email, sheet.region_code)
    return LinkView(reason is None, reason, **facts)


def _account_refusal(conn: Connection, address: str, region: str) -> str | None:
    """May a link sign this address in? Only a new account, or one that is nothing but a partner's in `region`."""
    account = conn.execute(select(users).where(users.c.email == address)).first()
    if account is None:
        return None
    if account.disabled:
        return "disabled"
    if account.password_hash is not None or account.national_role is not None:
        return "has_account"
    roles = conn.execute(select(memberships.c.region_code, memberships.c.role)
                         .where(memberships.c.user_id == account.id)).all()
    if any(role != "respondent" or code != region for code, role in roles):
        return "has_account"
    elsewhere = conn.execute(select(func.count()).select_from(sheets)
                             .join(assessments, sheets.c.assessment_id == assessments.c.id)
                             .where(sheets.c.user_email == address, sheets.c.removed_at.is_(None),
                                    assessments.c.region_code != region)).scalar_one()
    return "has_account" if elsewhere else None


def _invitation(db: Database, conn: Connection, sheet_id: int) -> Invitation:
    sheet = conn.execute(select(sheets, assessments.c.region_code, assessments.c.questionnaire_ref, rounds.c.label)
                         .join_from(sheets, assessments, sheets.c.assessment_id == assessments.c.id)
                         .join(rounds, assessments.c.round_id == rounds.c.id).where(sheets.c.id == sheet_id)).one()
    link = _newest_link(conn, sheet_id)
    receipt = conn.execute(select(sheet_receipts).where(sheet_receipts.c.respondent_id == sheet_id)).first()
    answered = conn.execute(select(func.count()).select_from(answers).where(
        answers.c.respondent_id == sheet_id, answers.c.value.is_not(None))).scalar_one()
    q = db.questionnaire(sheet.questionnaire_ref, conn)
    asked = sum(1 for indicator in q.indicators if indicator.applies_to(sheet.role))
    now = clock.now()
    if receipt is not None:
        status = "done"
    elif link is None:
        status = "started" if answered else "not_invited"
    elif link.revoked_at is not None:
        status = "revoked"
    elif answered or link.used_at is not None:
        status = "started"
    elif link.expires_at <= now:
        status = "expired"
    else:
        status = "invited"
    inviter = (conn.execute(select(users.c.name).where(users.c.email == link.created_by)).scalar()
               if link is not None else None)
    return Invitation(
        respondent_id=sheet.id, name=sheet.name, organisation=sheet.organisation, role=sheet.role,
        email=sheet.user_email or (link.email if link is not None else ""), region=sheet.region_code, round=sheet.label,
        status=status, invited_by=link.created_by if link is not None else None, invited_by_name=inviter,
        invited_at=link.created_at if link is not None else None, expires_at=link.expires_at if link is not None else None,
        sent_at=link.sent_at if link is not None else None, used_at=link.used_at if link is not None else None,
        done_at=receipt.done_at if receipt is not None else None, answered=answered, asked=asked)
