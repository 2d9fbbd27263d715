"""Action plans: the SMART actions a region decides on after its assessment, saved as a whole.

A save is all-or-nothing: every item is validated against the questionnaire first, and a save based on
an outdated plan version is refused with a `Conflict`. Items keep stable ids (uuid4 hex) for their life.
The plan can be followed up (statuses changed) until the round is closed, whatever the assessment status.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import Connection, select

from questionnaires import freetext
from questionnaires.actionplan import COLUMNS, FIELDS, MAX_TEXT, PlanItem, validate
from questionnaires.text import Text
from store import access, audit, clock, lookup
from store.database import Database
from store.errors import Conflict, ForeignProblem, Invalid, Problem, RoundClosed, text_problems
from store.identity import Identity
from store.messages import FIELD_NAMES, extra_field
from store.schema import NAME, REF, plan_actions, plans
from store.sql import insert_if_absent

_FIELDS = (*COLUMNS[1:], "extra")  # the plan's columns (questionnaires.actionplan.COLUMNS) without the id


def plan_items(db: Database, actor: Identity, assessment_id: int) -> list[PlanItem]:
    with db.reading() as conn:
        found = _readable(conn, actor, assessment_id)
        return items_of(conn, found.id)


def plan_version(db: Database, actor: Identity, assessment_id: int) -> int:
    """0 until the plan is first saved; every save that changes something adds one."""
    with db.reading() as conn:
        found = _readable(conn, actor, assessment_id)
        return _version(conn, found.id)[0]


def editable_plan(conn: Connection, actor: Identity, assessment_id: int):
    """(who, assessment) when the actor may change this assessment's plan now: a manager of its region while the
    round is open. Concealed as "not found" for anyone who may not know the assessment exists."""
    who = access.current(conn, actor)
    found = access.concealed(who, "edit_plan", lambda: lookup.assessment_by_id(conn, assessment_id),
                             access.manages_regions(who))
    access.require_concealed(access.may_manage(who, found.region), "edit_plan")
    if not found.round.open:
        raise RoundClosed("round_closed", round=found.round.label)
    return who, found


def save_plan(db: Database, actor: Identity, assessment_id: int, items: Sequence[PlanItem],
              deleted_ids: Iterable[str] = (), base_version: int | None = None) -> int:
    """Save `items` (new ones have id None) and delete `deleted_ids`; return the plan's new version.

    Items not mentioned stay as they are. The plan's order: `items` in the order given, then the
    untouched items in their previous order.
    """
    items = [_normalised(item) for item in items]
    deleted = [str(ident) for ident in deleted_ids]
    with db.writing() as conn:
        who, found = editable_plan(conn, actor, assessment_id)
        now = clock.now()
        # The plan's row is the lock every save of this plan queues on (a first save creates it at version 0).
        insert_if_absent(conn, plans, {"assessment_id": found.id, "version": 0, "updated_at": now,
                                       "updated_by": who.email})
        version, updated_by, updated_at = _version(conn, found.id)
        if base_version is not None and base_version != version:
            raise Conflict("plan_conflict", stored=items_of(conn, found.id), attempted=items, stored_revision=version,
                           attempted_revision=base_version, who=updated_by or "?",
                           when=updated_at.strftime("%Y-%m-%d %H:%M UTC"))
        stored = {row.id: row for row in conn.execute(select(plan_actions).where(plan_actions.c.assessment_id == found.id))}
        q = db.questionnaire(found.questionnaire_ref, conn)
        problems = _problems(items, deleted, stored, q)
        if problems:
            raise Invalid(problems)
        if not _apply(conn, who, found, items, deleted, stored):
            return version
        conn.execute(plans.update().where(plans.c.assessment_id == found.id)
                     .values(version=version + 1, updated_at=now, updated_by=who.email))
        return version + 1


def _readable(conn: Connection, actor: Identity, assessment_id: int):
    who = access.current(conn, actor)
    found = access.concealed(who, "see_plan", lambda: lookup.assessment_by_id(conn, assessment_id), access.reads_regions(who))
    access.require_concealed(access.may_see_results(who, found.region, found.status, found.round.published), "see_plan")
    return found


def _version(conn: Connection, assessment_id: int) -> tuple[int, str | None, dt.datetime | None]:
    # FOR UPDATE: two saves of the same plan queue up on PostgreSQL instead of both reading version n.
    row = conn.execute(select(plans.c.version, plans.c.updated_by, plans.c.updated_at)
                       .where(plans.c.assessment_id == assessment_id).with_for_update()).first()
    return (row.version, row.updated_by, row.updated_at) if row else (0, None, None)


def _place(position: int) -> Text:
    return Text(f"åtgärd {position}", f"action {position}")


def _problems(items: list[PlanItem], deleted: list[str], stored: dict, q) -> list:
    problems: list = []
    seen: set[str] = set()
    for position, item in enumerate(items, start=1):
        if not isinstance(item, PlanItem):
            problems.append(Problem("unknown_plan_item", {"value": repr(item)[:60]}, (_place(position),)))
            continue
        if item.id is not None:
            if item.id not in stored:
                problems.append(Problem("unknown_plan_item", {"value": item.id}, (_place(position),)))
            elif item.id in seen:
                problems.append(Problem("duplicate_plan_item", {"value": item.id}, (_place(position),)))
            elif item.id in deleted:
                problems.append(Problem("deleted_and_saved", {"value": item.id}, (_place(position),)))
            seen.add(item.id)
        problems += [ForeignProblem(problem, (_place(position),)) for problem in validate(item, q)]
        problems += text_problems(_text_problems(item), (_place(position),))
        try:
            json.dumps(item.extra)
        except (TypeError, ValueError, RecursionError):
            problems.append(Problem("bad_text", {"field": "extra", "limit": 0}, (_place(position),)))
    problems += [Problem("unknown_plan_item", {"value": ident}) for ident in deleted if ident not in stored]
    return problems


# The plan's free text (questionnaires/freetext.py): multi-line fields, with their labels as people see them.
TEXT_FIELDS = ("action", "owner", "resources", "success_indicator")
EXTRA_DEPTH = 4  # fields another tool added are flat values, or lists and objects a few levels deep at most


def _normalised(item: PlanItem) -> PlanItem:
    """Line breaks pasted from Word or PowerPoint become LF, in the text fields and in the extras' text."""
    if not isinstance(item, PlanItem):
        return item
    changes = {name: freetext.multiline(getattr(item, name)) for name in TEXT_FIELDS}
    if isinstance(item.extra, dict):
        changes["extra"] = _normalised_extra(item.extra, 0)
    return replace(item, **changes)


def _normalised_extra(value, depth: int):
    if isinstance(value, str):
        return freetext.multiline(value)
    if depth > EXTRA_DEPTH:
        return value
    if isinstance(value, dict):
        return {key: _normalised_extra(inner, depth + 1) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised_extra(inner, depth + 1) for inner in value]
    return value


def _text_problems(item: PlanItem) -> list:
    """The free-text rule for every text an item holds: at most one problem per field."""
    found = []
    for name in TEXT_FIELDS:  # their lengths are checked by questionnaires.actionplan.validate
        found += freetext.multiline_problems(getattr(item, name), FIELDS[name])
    if item.source_action is not None:
        found += freetext.single_line_problems(item.source_action, FIELD_NAMES["source_action"], REF)
    if not isinstance(item.extra, dict):
        found.append(freetext.TextProblem("not_text", FIELD_NAMES["extra_key"]))
        return found
    for key, value in item.extra.items():
        key_problems = freetext.single_line_problems(key, FIELD_NAMES["extra_key"], NAME)
        found += key_problems
        if not key_problems:
            found += _extra_problems(value, extra_field(key), 0)
    return found


def _extra_problems(value, field, depth: int) -> list:
    if isinstance(value, str):
        return freetext.multiline_problems(value, field, MAX_TEXT)
    if value is None or isinstance(value, bool | int | float):
        return []
    if depth < EXTRA_DEPTH and isinstance(value, list | tuple):
        for inner in value:
            problems = _extra_problems(inner, field, depth + 1)
            if problems:
                return problems
        return []
    if depth < EXTRA_DEPTH and isinstance(value, dict):
        for key, inner in value.items():
            problems = (freetext.single_line_problems(key, field, NAME)
                        or _extra_problems(inner, field, depth + 1))
            if problems:
                return problems
        return []
    return [freetext.TextProblem("not_text", field)]


def _apply(conn: Connection, who: Identity, found, items: list[PlanItem], deleted: list[str], stored: dict) -> bool:
    now = clock.now()
    given = {item.id for item in items if item.id is not None}
    rest = sorted((row for ident, row in stored.items() if ident not in given and ident not in deleted),
                  key=lambda row: row.position)
    changed = False
    for ident in deleted:
        row = stored[ident]
        conn.execute(plan_actions.delete().where(plan_actions.c.id == ident))
        audit.record(conn, who, "plan.delete", f"plan_action:{ident}", region=found.region, old=_readable_values(_public(row)),
                     at=now)
        changed = True
    ordered = [(item, stored.get(item.id)) for item in items] + [(None, row) for row in rest]
    moved = False
    for position, (item, old) in enumerate(ordered):
        if item is None:  # untouched: only its place may move
            if old.position != position:
                conn.execute(plan_actions.update().where(plan_actions.c.id == old.id).values(position=position))
                moved = changed = True
            continue
        values = row_values(item)
        if old is None:
            ident = uuid.uuid4().hex
            conn.execute(plan_actions.insert().values(id=ident, assessment_id=found.id, position=position, **values,
                                                      created_at=now, created_by=who.email, updated_at=now,
                                                      updated_by=who.email))
            audit.record(conn, who, "plan.add", f"plan_action:{ident}", region=found.region,
                         new=_readable_values(values), at=now)
            changed = True
        elif _public(old) != values:
            conn.execute(plan_actions.update().where(plan_actions.c.id == old.id)
                         .values(position=position, **values, updated_at=now, updated_by=who.email))
            audit.record(conn, who, "plan.change", f"plan_action:{old.id}", region=found.region,
                         old=_readable_values(_public(old)), new=_readable_values(values), at=now)
            changed = True
        elif old.position != position:
            conn.execute(plan_actions.update().where(plan_actions.c.id == old.id).values(position=position))
            moved = changed = True
    if moved:
        order = [item.id if item is not None else row.id for item, row in ordered]
        audit.record(conn, who, "plan.reorder", f"plan:{found.id}", region=found.region, new=[i for i in order if i],
                     at=now)
    return changed


def row_values(item: PlanItem) -> dict:
    """The stored form of an item's fields (lists and extras as canonical JSON text)."""
    return {
        "dimension": item.dimension,
        "indicators": json.dumps(list(item.indicators), ensure_ascii=False),
        "action": item.action.strip(),
        "owner": item.owner.strip(),
        "start": item.start,
        "due": item.due,
        "resources": item.resources.strip(),
        "success_indicator": item.success_indicator.strip(),
        "status": item.status,
        "source_action": item.source_action,
        "extra": json.dumps(item.extra or {}, ensure_ascii=False, sort_keys=True),
    }


def _public(row) -> dict:
    return {name: getattr(row, name) for name in _FIELDS}


def _readable_values(values: dict) -> dict:
    """For the audit log: lists and extras as JSON values, not as JSON text inside JSON."""
    return {**values, "indicators": json.loads(values["indicators"]), "extra": json.loads(values["extra"])}


def items_of(conn: Connection, assessment_id: int) -> list[PlanItem]:
    rows = conn.execute(select(plan_actions).where(plan_actions.c.assessment_id == assessment_id)
                        .order_by(plan_actions.c.position, plan_actions.c.id))
    return [PlanItem(id=row.id, dimension=row.dimension, action=row.action, indicators=tuple(json.loads(row.indicators)),
                     owner=row.owner, start=row.start, due=row.due, resources=row.resources,
                     success_indicator=row.success_indicator, status=row.status, source_action=row.source_action,
                     extra=json.loads(row.extra)) for row in rows]
