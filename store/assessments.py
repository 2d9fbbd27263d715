"""Assessments: one per region and round, measured with the round's questionnaire version.

Status: draft → submitted → (reopened → submitted …) → locked. Answers and respondents change only in a
draft or a reopened assessment of an open round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, exists, select
from sqlalchemy.exc import IntegrityError

from questionnaires.text import Text
from store import access, audit, clock, lookup
from store.database import Database
from store.errors import Forbidden, Invalid, NotEditable, Problem, RoundClosed
from store.identity import Identity
from store.lookup import AssessmentRow
from store.messages import ASSESSMENT_STATUSES, region_label
from store.schema import answers, assessments, respondents, rounds

_VERBS = {
    "submit": ("lämnas in", "submitted"),
    "reopen": ("öppnas igen", "reopened"),
    "lock": ("låsas", "locked"),
}


@dataclass(frozen=True)
class Assessment:
    id: int
    region: str
    round: str  # the round's label
    questionnaire: str  # id@version
    status: str  # "draft" | "submitted" | "reopened" | "locked"
    round_open: bool
    round_published: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    submitted_by: str | None
    locked_at: dt.datetime | None

    @property
    def editable(self) -> bool:
        """Answers and respondents may change (given the right role)."""
        return self.round_open and self.status in access.EDITABLE


def get_assessment(db: Database, actor: Identity, region: str, round: str) -> Assessment:
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = lookup.require_assessment_in(conn, region, round)
        access.require(access.may_see_status(who, found.region, found.round.published), "see_assessment", region)
        return _fetch(conn, found.id)


def get_assessment_by_id(db: Database, actor: Identity, assessment_id: int) -> Assessment:
    with db.reading() as conn:
        who = access.current(conn, actor)
        # an id tells nothing by its refusal: unknown and not-yours are refused alike (store/access.py)
        found = access.concealed(who, "see_assessment", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 reveal=access.reads_regions(who))
        access.require_concealed(access.may_see_status(who, found.region, found.round.published), "see_assessment")
        return _fetch(conn, found.id)


def ensure_assessment(db: Database, actor: Identity, region: str, round: str) -> Assessment:
    """The region's assessment in the round, created as a draft if there is none yet."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_manage(who, region)
        assessment_id = ensure(conn, who, region, round)
        return _fetch(conn, assessment_id)


def ensure(conn: Connection, who: Identity, region: str, round_label: str) -> int:
    """Inside a transaction: the assessment id, creating the draft if needed (no permission check)."""
    found = lookup.assessment_in(conn, region, round_label)
    if found is not None:
        return found.id
    the_round = lookup.round_by_label(conn, round_label)
    lookup.region(conn, region)
    if not the_round.open:
        raise RoundClosed("round_closed", round=the_round.label)
    now = clock.now()
    try:
        with conn.begin_nested():  # another lead may create it at the same moment
            new_id = conn.execute(assessments.insert().values(
                round_id=the_round.id, region_code=region, questionnaire_ref=the_round.questionnaire_ref,
                status="draft", created_at=now, created_by=who.email, updated_at=now)).inserted_primary_key[0]
    except IntegrityError:
        return lookup.assessment_in(conn, region, round_label).id
    audit.record(conn, who, "assessment.create", f"assessment:{new_id}", region=region,
                 new={"round": the_round.label, "questionnaire": the_round.questionnaire_ref, "status": "draft"}, at=now)
    return new_id


def submit_assessment(db: Database, actor: Identity, assessment_id: int) -> Assessment:
    return _transition(db, actor, assessment_id, "submit")


def reopen_assessment(db: Database, actor: Identity, assessment_id: int) -> Assessment:
    return _transition(db, actor, assessment_id, "reopen")


def lock_assessment(db: Database, actor: Identity, assessment_id: int) -> Assessment:
    return _transition(db, actor, assessment_id, "lock")


def _transition(db: Database, actor: Identity, assessment_id: int, verb: str) -> Assessment:
    with db.writing() as conn:
        who = access.current(conn, actor)
        op = "lock_assessment" if verb == "lock" else "edit_assessment"
        found = access.concealed(who, op, lambda: lookup.assessment_by_id(conn, assessment_id),
                                 reveal=access.manages_regions(who))
        access.require_concealed(access.manages_regions(who), op)  # nobody else may change any assessment
        _authorise(who, found, verb)
        if not found.round.open:
            raise RoundClosed("round_closed", round=found.round.label)
        allowed = {"submit": ("draft", "reopened"), "reopen": ("submitted", "locked"), "lock": ("submitted",)}[verb]
        if found.status not in allowed:
            sv, en = _VERBS[verb]
            raise NotEditable("bad_transition", region=region_label(found.region), round=found.round.label,
                              status=ASSESSMENT_STATUSES[found.status], op=Text(sv, en))
        if verb == "submit" and not _has_answers(conn, found.id):
            raise Invalid([Problem("nothing_answered", {"region": region_label(found.region), "round": found.round.label})])
        now = clock.now()
        values: dict = {"updated_at": now}
        if verb == "submit":
            values.update(status="submitted", submitted_at=now, submitted_by=who.email)
        elif verb == "reopen":
            values.update(status="reopened", locked_at=None)
        else:
            values.update(status="locked", locked_at=now)
        conn.execute(assessments.update().where(assessments.c.id == found.id).values(**values))
        audit.record(conn, who, f"assessment.{verb}", f"assessment:{found.id}", region=found.region,
                     old={"status": found.status}, new={"status": values["status"]}, at=now)
        return _fetch(conn, found.id)


def _authorise(who: Identity, found: AssessmentRow, verb: str) -> None:
    if verb == "lock":
        access.require_admin(who, "lock_assessment")
    elif verb == "reopen" and found.status == "locked":
        if not who.is_admin:
            raise Forbidden("unlock_assessment", found.region)
    else:
        access.require_manage(who, found.region)


def _has_answers(conn: Connection, assessment_id: int) -> bool:
    return bool(conn.execute(select(exists().where(
        answers.c.respondent_id == respondents.c.id, respondents.c.assessment_id == assessment_id,
        respondents.c.removed_at.is_(None), answers.c.value.is_not(None)))).scalar())


def list_assessments(db: Database, actor: Identity, round: str | None = None) -> list[Assessment]:
    """The assessments whose status the actor may see, by round (oldest first) and region code."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        query = _select().order_by(rounds.c.opened_at, rounds.c.id, assessments.c.region_code)
        if round is not None:
            lookup.round_by_label(conn, round)
            query = query.where(rounds.c.label == round)
        if not who.is_national:
            query = query.where(assessments.c.region_code.in_(list(who.regions)) | rounds.c.published)
        return [_assessment(row) for row in conn.execute(query)]


def regions_with_results(db: Database, actor: Identity, round: str) -> list[str]:
    """Regions whose results in the round this person may open: every region with an assessment for
    national users and in a published round, otherwise the regions they lead or view."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = lookup.round_by_label(conn, round)
        if not (who.is_national or found.published):
            return access.readable_regions(who)
        regions = conn.execute(select(assessments.c.region_code).where(assessments.c.round_id == found.id)
                               .distinct()).scalars()
        return sorted(regions)


def _select():
    return select(assessments, rounds.c.label, rounds.c.status.label("round_status"),
                  rounds.c.published).join_from(assessments, rounds)


def _fetch(conn: Connection, assessment_id: int) -> Assessment:
    return _assessment(conn.execute(_select().where(assessments.c.id == assessment_id)).one())


def _assessment(row) -> Assessment:
    return Assessment(id=row.id, region=row.region_code, round=row.label, questionnaire=row.questionnaire_ref,
                      status=row.status, round_open=row.round_status == "open", round_published=bool(row.published),
                      created_at=row.created_at, updated_at=row.updated_at, submitted_at=row.submitted_at,
                      submitted_by=row.submitted_by, locked_at=row.locked_at)


def require_editable(found: AssessmentRow) -> None:
    """Answers and respondents change only in a draft or reopened assessment of an open round."""
    if not found.round.open:
        raise RoundClosed("round_closed", round=found.round.label)
    if found.status not in access.EDITABLE:
        raise NotEditable("assessment_not_editable", region=region_label(found.region), round=found.round.label,
                          status=ASSESSMENT_STATUSES[found.status])
