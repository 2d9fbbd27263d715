"""Measurement rounds, opened, closed and published by the national agency.

A round measures with one questionnaire version. Closing it makes it read-only and locks every submitted
assessment in it; publishing a closed round lets every region see the others' submitted results by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from questionnaires import freetext
from store import access, audit, clock, lookup, reference
from store.database import Database
from store.errors import Invalid, NotFound, Problem, RoundClosed, searchable, text_problems
from store.identity import Identity
from store.messages import FIELD_NAMES
from store.schema import LABEL, assessments, rounds


@dataclass(frozen=True)
class Round:
    id: int
    label: str
    questionnaire: str  # id@version
    status: str  # "open" | "closed"
    published: bool
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    published_at: dt.datetime | None = None

    @property
    def open(self) -> bool:
        return self.status == "open"


def open_round(db: Database, actor: Identity, label: str, questionnaire_ref: str) -> Round:
    problems = label_problems(label)
    label = label.strip() if isinstance(label, str) else label
    try:
        q = db.questionnaire(questionnaire_ref)
    except NotFound:
        q = None
        problems.append(Problem("unknown_questionnaire", {"value": questionnaire_ref}))
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "manage_rounds")
        if not problems and conn.execute(select(rounds.c.id).where(rounds.c.label == label)).first() is not None:
            problems.append(Problem("round_exists", {"value": label}))
        if problems:
            raise Invalid(problems)
        reference.register(conn, q)
        now = clock.now()
        conn.execute(rounds.insert().values(label=label, questionnaire_ref=q.ref, status="open", published=False,
                                            opened_at=now, opened_by=who.email))
        audit.record(conn, who, "round.open", f"round:{label}", new={"label": label, "questionnaire": q.ref}, at=now)
    return _get(db, label)


def close_round(db: Database, actor: Identity, label: str) -> Round:
    """Close the round: nothing in it can change any more, and submitted assessments become locked."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "manage_rounds")
        found = lookup.round_by_label(conn, searchable(label, "no_round", "round"))
        if not found.open:
            raise RoundClosed("round_already_closed", round=found.label)
        now = clock.now()
        locked = list(conn.execute(select(assessments.c.id, assessments.c.region_code).where(
            assessments.c.round_id == found.id, assessments.c.status == "submitted")).all())
        conn.execute(assessments.update().where(assessments.c.round_id == found.id, assessments.c.status == "submitted")
                     .values(status="locked", locked_at=now, updated_at=now))
        conn.execute(rounds.update().where(rounds.c.id == found.id).values(status="closed", closed_at=now))
        audit.record(conn, who, "round.close", f"round:{found.label}", old={"status": "open"},
                     new={"status": "closed"}, at=now)
        for assessment_id, region in locked:
            audit.record(conn, who, "assessment.lock", f"assessment:{assessment_id}", region=region,
                         old={"status": "submitted"}, new={"status": "locked"}, at=now)
    return _get(db, label)


def publish_round(db: Database, actor: Identity, label: str, published: bool = True) -> Round:
    """Let every region see the round's submitted results (published=False withdraws that)."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "manage_rounds")
        found = lookup.round_by_label(conn, searchable(label, "no_round", "round"))
        if published and found.open:
            raise Invalid([Problem("round_not_closed", {"round": found.label})])
        if found.published != published:
            now = clock.now()
            conn.execute(rounds.update().where(rounds.c.id == found.id)
                         .values(published=published, published_at=now if published else None))
            audit.record(conn, who, "round.publish" if published else "round.unpublish", f"round:{found.label}",
                         old={"published": found.published}, new={"published": published}, at=now)
    return _get(db, label)


def list_rounds(db: Database, actor: Identity) -> list[Round]:
    """Every round, oldest first. Rounds are not secret: anyone signed in may list them."""
    with db.reading() as conn:
        access.current(conn, actor)
        return [_round(row) for row in conn.execute(select(rounds).order_by(rounds.c.opened_at, rounds.c.id))]


def get_round(db: Database, actor: Identity, label: str) -> Round:
    with db.reading() as conn:
        access.current(conn, actor)
        lookup.round_by_label(conn, searchable(label, "no_round", "round"))
        return _round(conn.execute(select(rounds).where(rounds.c.label == label)).one())


def _get(db: Database, label: str) -> Round:
    with db.reading() as conn:
        return _round(conn.execute(select(rounds).where(rounds.c.label == label)).one())


def _round(row) -> Round:
    return Round(id=row.id, label=row.label, questionnaire=row.questionnaire_ref, status=row.status,
                 published=bool(row.published), opened_at=row.opened_at, closed_at=row.closed_at,
                 published_at=row.published_at)


def label_problems(label: object) -> list[Problem]:
    """A round's label as typed (surrounding spaces are trimmed when stored): 1–40 characters, no control character."""
    if (not isinstance(label, str) or not label.strip() or len(label.strip()) > LABEL
            or any(ch in label for ch in "\r\n\t")):
        return [Problem("bad_label", {"limit": LABEL, "value": freetext.shown(label)})]
    return text_problems(freetext.single_line_problems(label, FIELD_NAMES["label"]))
