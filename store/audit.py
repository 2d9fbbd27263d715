"""The append-only audit log: who did what, when, and what it was before and after.

Every operation that changes something records it here in the same transaction as the change. Answer
saves are not copied into it: their revision history is already an append-only record of who, when, old
and new, and `audit_log` merges it in so that a region's log reads as one story.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from questionnaires.answers import decode
from store import access, clock
from store.database import Database
from store.errors import Forbidden
from store.identity import Identity
from store.schema import answer_revisions, assessments, audit, respondents, rounds

MAX_LIMIT = 5000


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str  # e.g. "assessment.submit", "answer.save"
    region: str | None
    target: str  # e.g. "assessment:12", "answer:34/D1.1"
    old: object  # JSON-ready value before the change (None when created)
    new: object  # JSON-ready value after the change (None when removed)


def dumps(value: object) -> str | None:
    """Canonical JSON (sorted keys, dates as ISO) so equal values always store the same text."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)  # type: ignore[return-value]
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def record(conn: Connection, actor: Identity, action: str, target: str, *, region: str | None = None,
           old: object = None, new: object = None, at: dt.datetime | None = None) -> None:
    conn.execute(audit.insert().values(at=at or clock.now(), actor=actor.email, action=action, region_code=region,
                                       target=target, old=dumps(old), new=dumps(new)))


def audit_log(db: Database, actor: Identity, region: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first. The national admin sees everything; a regional lead sees the regions they lead."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    with db.reading() as conn:
        who = access.current(conn, actor)
        if who.is_admin:
            scope = None if region is None else [region]
        elif region is not None:
            access.require(who.leads(region), "see_audit", region)
            scope = [region]
        else:
            scope = list(who.lead_regions())
            if not scope:
                raise Forbidden("see_audit")
        entries = _entries(conn, scope, limit) + _answer_entries(conn, scope, limit)
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return [entry for _, _, entry in entries[:limit]]


def _entries(conn: Connection, scope: list[str] | None, limit: int) -> list[tuple]:
    query = select(audit).order_by(audit.c.id.desc()).limit(limit)
    if scope is not None:
        query = query.where(audit.c.region_code.in_(scope))
    return [(row.at, (0, row.id), AuditEntry(row.at, row.actor, row.action, row.region_code, row.target,
                                             _loads(row.old), _loads(row.new)))
            for row in conn.execute(query)]


def _answer_entries(conn: Connection, scope: list[str] | None, limit: int) -> list[tuple]:
    now, before = answer_revisions, answer_revisions.alias("before")
    query = (
        select(now.c.respondent_id, now.c.indicator, now.c.revision, now.c.value, now.c.comment, now.c.confidence,
               now.c.saved_by, now.c.saved_at, before.c.value.label("old_value"), before.c.comment.label("old_comment"),
               before.c.confidence.label("old_confidence"), respondents.c.key, assessments.c.region_code,
               rounds.c.label)
        .join_from(now, respondents, now.c.respondent_id == respondents.c.id)
        .join(assessments, respondents.c.assessment_id == assessments.c.id)
        .join(rounds, assessments.c.round_id == rounds.c.id)
        .outerjoin(before, and_(before.c.respondent_id == now.c.respondent_id, before.c.indicator == now.c.indicator,
                                before.c.revision == now.c.revision - 1))
        .order_by(now.c.saved_at.desc()).limit(limit)
    )
    if scope is not None:
        query = query.where(assessments.c.region_code.in_(scope))
    result = []
    for row in conn.execute(query):
        old = None if row.revision == 1 else _answer(row.old_value, row.old_comment, row.old_confidence)
        entry = AuditEntry(row.saved_at, row.saved_by, "answer.save", row.region_code,
                           f"answer:{row.respondent_id}/{row.indicator}",
                           old, {**_answer(row.value, row.comment, row.confidence), "revision": row.revision,
                                 "round": row.label, "respondent": row.key})
        result.append((row.saved_at, (1, row.respondent_id, row.revision), entry))
    return result


def _answer(value, comment, confidence) -> dict:
    return {"value": None if value is None else decode(value), "comment": comment, "confidence": confidence}


def _loads(text: str | None) -> object:
    return None if text is None else json.loads(text)
