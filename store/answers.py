"""Answers, saved one at a time as people click (autosave), with their full history.

Every save appends a revision; the current answer is the newest one. A save may say which revision it
was based on: if someone else has saved since, it is refused with a `Conflict` holding both values, and
nothing is overwritten. Writes are compare-and-swap on the revision number, so they are safe across
threads, processes and both database backends.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from questionnaires import freetext
from questionnaires.answers import CONFIDENCE, MAX_COMMENT, code, decode
from questionnaires.model import DK, NA, Questionnaire
from questionnaires.text import Text
from store import access, clock, lookup
from store.assessments import require_editable
from store.database import Database
from store.errors import Conflict, Invalid, NotEditable, Problem, StoreUnavailable, text_problems
from store.identity import Identity
from store.messages import FIELD_NAMES
from store.schema import answer_revisions, answers, respondents
from store.sql import insert_if_absent

RETRIES = 20  # compare-and-swap attempts for a save that names no base revision


@dataclass(frozen=True)
class AnswerRecord:
    respondent_id: int
    indicator: str
    value: int | str | None  # 0..4, "na", "dk", or None (not answered / cleared)
    comment: str | None
    confidence: str | None  # "low" | "medium" | "high" | None
    revision: int
    saved_by: str
    saved_at: dt.datetime


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # as a Change's value: leave the stored value as it is (a comment arrives on its own)


@dataclass(frozen=True)
class Change:
    """One answer to write (value as the sheet code, None = cleared; comment/confidence None = keep)."""

    respondent_id: int
    indicator: str
    value: int | None | _Keep
    comment: str | None = None
    confidence: str | None = None


def save_answer(db: Database, actor: Identity, respondent_id: int, indicator: str, value: int | str | None,
                comment: str | None = None, confidence: str | None = None, base_revision: int | None = None) -> int:
    """Save one answer and return its new revision number.

    `value` None clears the answer. `comment` and `confidence` None keep what is stored; "" clears them.
    `base_revision` is the revision the person saw (0 for "no answer yet"); if the stored one differs, the
    save is refused with `Conflict`. Without it the save goes through whatever is stored.
    """
    if base_revision is not None and (isinstance(base_revision, bool) or not isinstance(base_revision, numbers.Integral)
                                      or base_revision < 0):
        raise Invalid([Problem("bad_revision", {"value": base_revision})])
    with db.writing() as conn:
        who = access.current(conn, actor)
        sheet = access.concealed(who, "answer", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.manages_regions(who))
        found = sheet.assessment
        access.require_concealed(access.may_answer(who, found.region, sheet.id), "answer")
        require_editable(found)
        if sheet.removed:
            raise NotEditable("respondent_removed", name=sheet.name)
        q = db.questionnaire(found.questionnaire_ref, conn)
        problems = answer_problems(q, sheet.role, indicator, value, comment, confidence)
        if problems:
            raise Invalid([Problem(p.code, p.params, (f"respondent {sheet.key}", _indicator_place(indicator)))
                           for p in problems])
        change = Change(sheet.id, indicator, None if value is None else code(value), comment, confidence)
        return write(conn, who, change, base_revision, q)


def answer_problems(q: Questionnaire, role: str, indicator: str, value: object, comment: object,
                    confidence: object) -> list[Problem]:
    problems = []
    spec = q.indicator_by_id.get(indicator) if isinstance(indicator, str) else None
    if spec is None:
        problems.append(Problem("unknown_indicator", {"value": freetext.shown(indicator)}))
    elif not spec.applies_to(role):
        problems.append(Problem("not_for_role", {"indicator": indicator, "role": role}))
    if not (value is None or value in (NA, DK) or (isinstance(value, numbers.Integral) and not isinstance(value, bool)
                                                   and 0 <= int(value) <= q.scale_max)):
        problems.append(Problem("bad_value", {"value": repr(value), "top": q.scale_max}))
    elif value == NA and spec is not None and not spec.na_allowed:  # method 2: only where it can truly apply
        problems.append(Problem("na_not_allowed", {"indicator": indicator}))
    if comment is not None and not isinstance(comment, str):
        problems.append(Problem("comment_not_text"))
    elif comment is not None:
        comment = freetext.multiline(comment)  # the length counts what will be stored
        if len(comment) > MAX_COMMENT:
            problems.append(Problem("comment_too_long", {"length": len(comment), "limit": MAX_COMMENT}))
        else:
            problems += text_problems(freetext.multiline_problems(comment, FIELD_NAMES["comment"]))
    if confidence not in (None, "", *CONFIDENCE):
        problems.append(Problem("bad_confidence", {"value": repr(confidence)}))
    return problems


def write(conn: Connection, who: Identity, change: Change, base_revision: int | None, q: Questionnaire,
          at: dt.datetime | None = None) -> int:
    """Inside a transaction, after checks: compare-and-swap the current answer and append the revision."""
    key = (answers.c.respondent_id == change.respondent_id) & (answers.c.indicator == change.indicator)
    for _ in range(RETRIES):
        stored = conn.execute(select(answers).where(key)).first()
        stored_revision = stored.revision if stored is not None else 0
        if base_revision is not None and base_revision != stored_revision:
            raise _conflict(stored, change, base_revision, q)
        row = _merged(change, stored, who, at or clock.now())
        row["revision"] = stored_revision + 1
        if stored is None:
            swapped = insert_if_absent(conn, answers, {**row, "respondent_id": change.respondent_id,
                                                          "indicator": change.indicator})
        else:
            swapped = conn.execute(answers.update().where(key, answers.c.revision == stored_revision)
                                   .values(**row)).rowcount == 1
        if swapped:
            conn.execute(answer_revisions.insert().values(respondent_id=change.respondent_id,
                                                          indicator=change.indicator, **row))
            return row["revision"]
        # Someone saved between our read and our write (PostgreSQL; SQLite serialises writers): look again.
    raise StoreUnavailable("busy")  # twenty writers in a row got in first: ask the person to try again


def _merged(change: Change, stored, who: Identity, now: dt.datetime) -> dict:
    def keep(new, old):
        if new is None:
            return old
        return new or None  # "" clears

    comment = freetext.multiline(change.comment) if isinstance(change.comment, str) else change.comment
    return {
        "value": (stored.value if stored is not None else None) if change.value is KEEP else change.value,
        "comment": keep(comment, stored.comment if stored is not None else None),
        "confidence": keep(change.confidence, stored.confidence if stored is not None else None),
        "saved_by": who.email,
        "saved_at": now,
    }


def _conflict(stored, change: Change, base_revision: int, q: Questionnaire) -> Conflict:
    record = _record(stored) if stored is not None else None
    attempted = {"value": None if change.value is None else decode(change.value), "comment": change.comment,
                 "confidence": change.confidence}
    return Conflict(
        "answer_conflict", stored=record, attempted=attempted,
        stored_revision=stored.revision if stored is not None else 0, attempted_revision=base_revision,
        indicator=change.indicator, who=stored.saved_by if stored is not None else "?",
        when=stored.saved_at.strftime("%Y-%m-%d %H:%M UTC") if stored is not None else "?",
        stored_value=_shown(record.value if record else None, q), attempted_value=_shown(attempted["value"], q))


def _shown(value: int | str | None, q: Questionnaire) -> Text | str:
    if value is None:
        return Text("(tomt)", "(empty)")
    if value in (NA, DK):
        return q.special_name(value)
    return str(value)


def write_many(conn: Connection, who: Identity, changes: Sequence[Change], at: dt.datetime | None = None) -> int:
    """Inside a transaction: save many answers at once (import, demo). Unchanged answers are skipped.

    Existing answers are locked first (PostgreSQL), so a concurrent autosave waits and then sees a newer
    revision; a concurrent first answer to the same question makes the insert fail and the caller retry.
    Returns the number of revisions written.
    """
    if not changes:
        return 0
    now = at or clock.now()
    ids = sorted({change.respondent_id for change in changes})
    stored = {}
    for chunk in _chunks(ids, 500):
        query = select(answers).where(answers.c.respondent_id.in_(chunk)).with_for_update()
        stored.update({(row.respondent_id, row.indicator): row for row in conn.execute(query)})
    updates, inserts, revisions = [], [], []
    for change in changes:
        old = stored.get((change.respondent_id, change.indicator))
        row = _merged(change, old, who, now)
        if old is not None and (old.value, old.comment, old.confidence) == (row["value"], row["comment"], row["confidence"]):
            continue
        row.update(respondent_id=change.respondent_id, indicator=change.indicator,
                   revision=(old.revision if old is not None else 0) + 1)
        (updates if old is not None else inserts).append(row)
        revisions.append(row)
    if inserts:
        conn.execute(answers.insert(), inserts)
    if updates:
        statement = (answers.update()
                     .where(answers.c.respondent_id == bindparam("key_respondent"), answers.c.indicator == bindparam("key_indicator"))
                     .values({name: bindparam(name) for name in ("value", "comment", "confidence", "revision", "saved_by",
                                                                   "saved_at")}))
        conn.execute(statement, [{**row, "key_respondent": row["respondent_id"], "key_indicator": row["indicator"]}
                                 for row in updates])
    if revisions:
        conn.execute(answer_revisions.insert(), revisions)
    return len(revisions)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def current_answers(db: Database, actor: Identity, assessment_id: int) -> list[AnswerRecord]:
    """The newest revision of every answer in the assessment that the actor may see (removed sheets left out).

    Cleared answers are included (value None) so that the next save can name its base revision.
    """
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_answers", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.reads_regions(who))
        query = (select(answers).join_from(answers, respondents)
                 .where(respondents.c.assessment_id == found.id, respondents.c.removed_at.is_(None))
                 .order_by(answers.c.respondent_id, answers.c.indicator))
        if not access.may_see_region_detail(who, found.region, found.status):
            mine = sorted(who.respondent_ids)
            owned = conn.execute(select(respondents.c.id).where(respondents.c.assessment_id == found.id,
                                                                respondents.c.id.in_(mine))).scalars().all()
            access.require_concealed(bool(owned), "see_answers")
            query = query.where(answers.c.respondent_id.in_(owned))
        return [_record(row) for row in conn.execute(query)]


def answer_history(db: Database, actor: Identity, respondent_id: int, indicator: str) -> list[AnswerRecord]:
    """Every saved revision of one answer, oldest first."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        sheet = access.concealed(who, "see_answers", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.reads_regions(who))
        found = sheet.assessment
        access.require_concealed(access.may_see_sheet(who, found.region, found.status, sheet.id), "see_answers")
        if not freetext.storable(indicator):  # no such indicator; PostgreSQL would refuse to even look
            return []
        query = (select(answer_revisions).where(answer_revisions.c.respondent_id == sheet.id,
                                                answer_revisions.c.indicator == indicator)
                 .order_by(answer_revisions.c.revision))
        return [_record(row) for row in conn.execute(query)]


def _record(row) -> AnswerRecord:
    return AnswerRecord(respondent_id=row.respondent_id, indicator=row.indicator,
                        value=None if row.value is None else decode(row.value), comment=row.comment,
                        confidence=row.confidence, revision=row.revision, saved_by=row.saved_by, saved_at=row.saved_at)


def _indicator_place(indicator: object) -> Text:
    shown = freetext.shown(indicator, 40)
    return Text(f"indikator {shown}", f"indicator {shown}")
