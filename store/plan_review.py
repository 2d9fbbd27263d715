"""The review of last round's action plan, before the follow-up round's new plan.

For each action of the region's previous plan the lead records a status (klar, pågår, ej påbörjad, stryks),
a short outcome and whether the action continues. `start_new_plan` copies the continuing actions into the new
round's plan — owner, dates, indicators, resources and success indicator as they were, the reviewed status,
and the source in `extra` (`carried_from`, `carried_from_round`) — and refuses until every action of the previous
plan has been reviewed. The old action and its audit trail stay where they were; the review row links the two
(`carried_to`). Everything is audited; nothing is written when any entry is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from questionnaires import freetext
from questionnaires.actionplan import STATUSES, PlanItem
from questionnaires.crosswalk import CrosswalkError
from questionnaires.crosswalk import find as find_crosswalk
from questionnaires.text import Text
from store import access, audit, clock, lookup
from store.database import Database
from store.errors import Invalid, text_problems
from store.followup import FollowupNotEditable, FollowupProblem, previous_assessment
from store.identity import Identity
from store.messages import FIELD_NAMES
from store.plans import editable_plan, items_of, row_values
from store.schema import REVIEW_STATUSES, plan_actions, plan_reviews, plans
from store.sql import insert_if_absent

MAX_OUTCOME = 1000
CONTINUING = ("ongoing", "not_started")  # a finished or dropped action does not continue


@dataclass(frozen=True)
class ReviewEntry:
    """The lead's verdict on one action of last round's plan."""

    action_id: str
    status: str  # done | ongoing | not_started | dropped
    outcome: str = ""
    continues: bool = False


@dataclass(frozen=True)
class Review(ReviewEntry):
    carried_to: str | None = None
    reviewed_at: dt.datetime | None = None
    reviewed_by: str | None = None


@dataclass(frozen=True)
class LastPlan:
    previous_round: str | None  # None: no earlier round in the region
    previous_ref: str | None
    items: list[PlanItem] = field(default_factory=list)
    reviews: dict[str, Review] = field(default_factory=dict)  # action id → review

    @property
    def missing(self) -> list[str]:
        return [item.id for item in self.items if item.id not in self.reviews]

    @property
    def complete(self) -> bool:
        return not self.missing


def last_plan(db: Database, actor: Identity, assessment_id: int) -> LastPlan:
    """Last round's actions and their reviews, for whoever may see the new round's plan."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_plan", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.reads_regions(who))
        access.require_concealed(access.may_see_results(who, found.region, found.status, found.round.published),
                                 "see_plan")
        return _last_plan(conn, found)


def _last_plan(conn: Connection, found) -> LastPlan:
    previous = previous_assessment(conn, found)
    if previous is None:
        return LastPlan(None, None)
    reviews = {row.action_id: Review(row.action_id, row.status, row.outcome, bool(row.continues), row.carried_to,
                                     row.reviewed_at, row.reviewed_by)
               for row in conn.execute(select(plan_reviews).where(plan_reviews.c.assessment_id == found.id))}
    return LastPlan(previous.round, previous.questionnaire_ref, items_of(conn, previous.assessment_id), reviews)


def save_reviews(db: Database, actor: Identity, assessment_id: int, entries: Sequence[ReviewEntry]) -> int:
    """Record (or correct) the review of last round's actions; returns how many changed."""
    with db.writing() as conn:
        who, found = editable_plan(conn, actor, assessment_id)
        last = _last_plan(conn, found)
        problems = _problems(last, entries)
        if problems:
            raise Invalid(problems)
        previous = previous_assessment(conn, found)
        now = clock.now()
        changed = 0
        for entry in entries:
            values = {"status": entry.status, "outcome": freetext.multiline(entry.outcome or "").strip(),
                      "continues": bool(entry.continues)}
            old = last.reviews.get(entry.action_id)
            if old is None:
                conn.execute(plan_reviews.insert().values(assessment_id=found.id, action_id=entry.action_id,
                                                          from_assessment_id=previous.assessment_id, **values,
                                                          reviewed_at=now, reviewed_by=who.email))
            elif (old.status, old.outcome, old.continues) != tuple(values.values()):
                conn.execute(plan_reviews.update().where(plan_reviews.c.assessment_id == found.id,
                                                         plan_reviews.c.action_id == entry.action_id)
                             .values(**values, reviewed_at=now, reviewed_by=who.email))
            else:
                continue
            changed += 1
            audit.record(conn, who, "plan.review", f"plan_action:{entry.action_id}", region=found.region, at=now,
                         old=None if old is None else {"status": old.status, "outcome": old.outcome,
                                                       "continues": old.continues},
                         new={**values, "round": found.round.label})
        return changed


def _place(position: int) -> Text:
    return Text(f"åtgärd {position}", f"action {position}")


def _problems(last: LastPlan, entries: Sequence[ReviewEntry]) -> list:
    known = {item.id: number for number, item in enumerate(last.items, start=1)}  # the action's place in its plan
    problems: list = []
    for position, entry in enumerate(entries, start=1):
        place = (_place(known.get(getattr(entry, "action_id", None), position)),)
        if not isinstance(entry, ReviewEntry) or entry.action_id not in known:
            shown = freetext.shown(getattr(entry, "action_id", entry), 40)
            problems.append(FollowupProblem("review_unknown_action", {"value": shown}, place))
            continue
        if entry.status not in REVIEW_STATUSES:
            problems.append(FollowupProblem("review_bad_status", {"value": freetext.shown(entry.status, 40),
                                                                   "allowed": ", ".join(REVIEW_STATUSES)}, place))
        elif entry.continues and entry.status not in CONTINUING:
            problems.append(FollowupProblem("review_cannot_continue", {"status": STATUSES[entry.status]}, place))
        outcome = entry.outcome if isinstance(entry.outcome, str) else None
        if outcome is None:
            problems.append(FollowupProblem("outcome_too_long", {"length": "?", "limit": MAX_OUTCOME}, place))
        elif len(freetext.multiline(outcome).strip()) > MAX_OUTCOME:
            problems.append(FollowupProblem("outcome_too_long", {"length": len(freetext.multiline(outcome).strip()),
                                                                 "limit": MAX_OUTCOME}, place))
        else:
            problems += text_problems(freetext.multiline_problems(outcome, FIELD_NAMES["comment"]), place)
    return problems


def start_new_plan(db: Database, actor: Identity, assessment_id: int) -> list[str]:
    """Copy every reviewed, continuing action of last round's plan into this round's plan (once); returns the
    new action ids. Refused until every action of last round's plan has been reviewed."""
    with db.writing() as conn:
        who, found = editable_plan(conn, actor, assessment_id)
        last = _last_plan(conn, found)
        if not last.complete:
            raise FollowupNotEditable("review_missing", count=len(last.missing), total=len(last.items))
        q = db.questionnaire(found.questionnaire_ref, conn)
        convert = _converter(last.previous_ref, q)
        now = clock.now()
        insert_if_absent(conn, plans, {"assessment_id": found.id, "version": 0, "updated_at": now,
                                       "updated_by": who.email})
        version = conn.execute(select(plans.c.version).where(plans.c.assessment_id == found.id)
                               .with_for_update()).scalar_one()
        position = conn.execute(select(func.count()).select_from(plan_actions)
                                .where(plan_actions.c.assessment_id == found.id)).scalar_one()
        made = []
        for item in last.items:
            review = last.reviews[item.id]
            if not review.continues or review.carried_to is not None:
                continue
            dimension, indicators = convert(item)
            copy = PlanItem(id=None, dimension=dimension, action=item.action, indicators=indicators, owner=item.owner,
                            start=item.start, due=item.due, resources=item.resources,
                            success_indicator=item.success_indicator, status=review.status,
                            source_action=item.source_action,
                            extra={**item.extra, "carried_from": item.id, "carried_from_round": last.previous_round})
            values = row_values(copy)
            ident = uuid.uuid4().hex
            conn.execute(plan_actions.insert().values(id=ident, assessment_id=found.id, position=position, **values,
                                                      created_at=now, created_by=who.email, updated_at=now,
                                                      updated_by=who.email))
            conn.execute(plan_reviews.update().where(plan_reviews.c.assessment_id == found.id,
                                                     plan_reviews.c.action_id == item.id).values(carried_to=ident))
            audit.record(conn, who, "plan.carry", f"plan_action:{ident}", region=found.region, at=now,
                         new={**values, "indicators": json.loads(values["indicators"]),
                              "extra": json.loads(values["extra"])})
            position += 1
            made.append(ident)
        if made:
            conn.execute(plans.update().where(plans.c.assessment_id == found.id)
                         .values(version=version + 1, updated_at=now, updated_by=who.email))
        return made


def _converter(previous_ref: str | None, q):
    """Old action → (dimension, indicators) in this round's version: the same ids within a version; across
    versions only indicators the crosswalk keeps comparable, and the dimension if this version has it."""
    crosswalk = None
    if previous_ref is not None and previous_ref != q.ref:
        try:
            crosswalk = find_crosswalk(previous_ref, q.ref)
        except (KeyError, CrosswalkError):
            crosswalk = None

    def convert(item: PlanItem) -> tuple[str, tuple[str, ...]]:
        if previous_ref == q.ref:
            return item.dimension, item.indicators
        mapped = [crosswalk.comparable(ind) for ind in item.indicators] if crosswalk is not None else []
        indicators = tuple(ind for ind in mapped if ind is not None and ind in q.indicator_by_id)
        dimension = item.dimension if item.dimension in q.dimension_by_id else (
            q.indicator_by_id[indicators[0]].dimension if indicators else q.dimensions[0].id)
        return dimension, indicators

    return convert


def review_gate(db: Database, actor: Identity, assessment_id: int) -> tuple[int, int]:
    """(actions of last round's plan, of which not yet reviewed): what the app says beside "Skapa ny plan"."""
    last = last_plan(db, actor, assessment_id)
    return len(last.items), len(last.missing)
