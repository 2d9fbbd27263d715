"""Respondents: the people (or organisations) who fill in a sheet of the region's assessment.

Removing a respondent is soft: the sheet disappears from the assessment and from the scores, but every
answer it ever had stays in the database and comes back if the respondent is restored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from questionnaires import freetext
from questionnaires.model import Questionnaire
from store import access, audit, auth, clock, lookup
from store.assessments import require_editable
from store.database import Database
from store.errors import Invalid, NotFound, Problem, text_problems
from store.identity import Identity
from store.messages import FIELD_NAMES
from store.schema import LABEL, NAME, respondents


@dataclass(frozen=True)
class Respondent:
    id: int
    assessment_id: int
    key: str  # the id in answers files and in the answer sheet, e.g. "r3"
    name: str
    role: str  # one of the questionnaire's respondent roles
    organisation: str | None
    user_email: str | None  # the account that answers this sheet, if any
    created_at: dt.datetime
    removed_at: dt.datetime | None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


def add_respondent(db: Database, actor: Identity, assessment_id: int, name: str, role: str,
                   organisation: str | None = None, user_email: str | None = None, key: str | None = None) -> Respondent:
    """Add a sheet to the assessment. `user_email` lets that account answer it (now or once it exists)."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "manage_respondents", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.manages_regions(who))
        access.require_concealed(access.may_manage(who, found.region), "manage_respondents")
        require_editable(found)
        q = db.questionnaire(found.questionnaire_ref, conn)
        problems = respondent_problems(q, name, role, organisation, user_email, key)
        if problems:
            raise Invalid(problems)
        new_id = insert(conn, who, found.id, found.region, name, role, organisation, user_email, key)
        return _fetch(conn, new_id)


def insert(conn: Connection, who: Identity, assessment_id: int, region: str, name: str, role: str,
           organisation: str | None, user_email: str | None, key: str | None, at: dt.datetime | None = None) -> int:
    """Inside a transaction, after validation: the new respondent's id. Keys "r1", "r2" … when none given."""
    now = at or clock.now()
    email = auth.normalise_email(user_email) if user_email else None
    for attempt in range(20):
        chosen = key or _next_key(conn, assessment_id, attempt)
        try:
            with conn.begin_nested():  # two leads adding at once may pick the same next key
                new_id = conn.execute(respondents.insert().values(
                    assessment_id=assessment_id, key=chosen, name=name.strip(), role=role,
                    organisation=(organisation or "").strip() or None, user_email=email,
                    created_at=now, created_by=who.email)).inserted_primary_key[0]
        except IntegrityError:
            if key is not None:
                raise Invalid([Problem("duplicate_respondent_key", {"value": key})]) from None
            continue
        audit.record(conn, who, "respondent.add", f"respondent:{new_id}", region=region, at=now,
                     new={"assessment": assessment_id, "key": chosen, "name": name.strip(), "role": role,
                          "organisation": organisation, "user_email": email})
        return new_id
    raise RuntimeError("no free respondent key")  # twenty collisions in a row: not a race, a bug


def _next_key(conn: Connection, assessment_id: int, attempt: int) -> str:
    taken = set(conn.execute(select(respondents.c.key).where(respondents.c.assessment_id == assessment_id)).scalars())
    number = len(taken) + 1 + attempt
    while f"r{number}" in taken:
        number += 1
    return f"r{number}"


def list_respondents(db: Database, actor: Identity, assessment_id: int, include_removed: bool = False) -> list[Respondent]:
    """The assessment's sheets in the order they were added. A respondent sees only their own."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_respondents", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.reads_regions(who))
        query = select(respondents).where(respondents.c.assessment_id == found.id).order_by(respondents.c.id)
        if not include_removed:
            query = query.where(respondents.c.removed_at.is_(None))
        if access.may_see_region_detail(who, found.region, found.status):
            return [_respondent(row) for row in conn.execute(query)]
        own = [_respondent(row) for row in conn.execute(query.where(respondents.c.id.in_(sorted(who.respondent_ids))))]
        access.require_concealed(bool(own), "see_respondents")  # a respondent sees their own sheets only
        return own


def get_respondent(db: Database, actor: Identity, respondent_id: int) -> Respondent:
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_respondents", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.reads_regions(who))
        sheet = found.assessment
        access.require_concealed(access.may_see_sheet(who, sheet.region, sheet.status, found.id), "see_respondents")
        return _fetch(conn, found.id)


def remove_respondent(db: Database, actor: Identity, respondent_id: int) -> None:
    _set_removed(db, actor, respondent_id, True)


def restore_respondent(db: Database, actor: Identity, respondent_id: int) -> None:
    _set_removed(db, actor, respondent_id, False)


def _set_removed(db: Database, actor: Identity, respondent_id: int, removed: bool) -> None:
    with db.writing() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "manage_respondents", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.manages_regions(who))
        access.require_concealed(access.may_manage(who, found.assessment.region), "manage_respondents")
        require_editable(found.assessment)
        if found.removed == removed:
            return
        now = clock.now()
        conn.execute(respondents.update().where(respondents.c.id == found.id).values(
            removed_at=now if removed else None, removed_by=who.email if removed else None))
        audit.record(conn, who, "respondent.remove" if removed else "respondent.restore", f"respondent:{found.id}",
                     region=found.assessment.region, old={"removed": found.removed}, new={"removed": removed}, at=now)


def respondent_problems(q: Questionnaire, name: str, role: str, organisation: str | None, user_email: str | None,
                        key: str | None = None) -> list[Problem]:
    problems = []
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME:
        problems.append(Problem("bad_name", {"limit": NAME}))
    else:
        problems += text_problems(freetext.single_line_problems(name, FIELD_NAMES["name"]))
    if role not in q.role_by_id:
        problems.append(Problem("bad_role", {"value": freetext.shown(role), "allowed": ", ".join(q.role_by_id)}))
    if organisation is not None and (not isinstance(organisation, str) or len(organisation) > NAME or "\n" in organisation):
        problems.append(Problem("bad_text", {"field": FIELD_NAMES["organisation"], "limit": NAME}))
    elif organisation is not None:
        problems += text_problems(freetext.single_line_problems(organisation, FIELD_NAMES["organisation"]))
    if user_email and not (isinstance(user_email, str) and freetext.is_email(auth.normalise_email(user_email))):
        problems.append(Problem("bad_email", {"value": freetext.shown(user_email)}))
    if key is not None and (not isinstance(key, str) or not key.strip() or len(key) > LABEL
                            or any(ch in key for ch in "\r\n\t")):
        problems.append(Problem("bad_key", {"value": freetext.shown(key), "limit": LABEL}))
    elif key is not None:
        problems += text_problems(freetext.single_line_problems(key, FIELD_NAMES["key"]))
    return problems


def _fetch(conn: Connection, respondent_id: int) -> Respondent:
    row = conn.execute(select(respondents).where(respondents.c.id == respondent_id)).first()
    if row is None:
        raise NotFound("no_respondent", id=respondent_id)
    return _respondent(row)


def _respondent(row) -> Respondent:
    return Respondent(id=row.id, assessment_id=row.assessment_id, key=row.key, name=row.name, role=row.role,
                      organisation=row.organisation, user_email=row.user_email, created_at=row.created_at,
                      removed_at=row.removed_at)
