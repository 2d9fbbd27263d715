"""Carry forward: last round's answers proposed on the same person's sheet in the follow-up round.

A sheet of the new round is matched to a sheet of the region's previous round by the account that answers it
(`user_email`), never by a typed name: a name says nothing about who answered. For every indicator the two
versions share comparably (store/followup.py), last round's value and comment become a *proposal*
(`carried_answers`, status `pending`). A proposal is not an answer: it is not in the answer sheet, not scored,
not counted as answered, until the person confirms it (`confirm`, one indicator or a whole dimension at once:
ordinary answers written through store/answers.py, with their revision history) or changes it (`change`: a
different value needs a short reason, "Vad har ändrats?", kept in `answer_reasons` beside the revision it
explains). `dismiss` leaves the indicator empty. New and changed indicators are never proposed.

The lead starts the carry (`carry_forward`, one sheet or every matched sheet): a proposal shows a person what
they said last time, so someone who manages the region decides when that happens, and the operation is
audited. Running it again adds only what is missing; a dismissed or answered indicator is not proposed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from questionnaires import freetext
from questionnaires.answers import code, decode
from questionnaires.text import Text
from store import access, audit, clock, lookup
from store.answers import Change, answer_problems, write
from store.assessments import require_editable
from store.database import Database
from store.errors import Invalid, NotEditable, Problem, text_problems
from store.followup import FollowupNotFound, FollowupProblem, Previous, indicator_map, previous_assessment
from store.identity import Identity
from store.messages import FIELD_NAMES, region_label
from store.schema import answer_reasons, answers, carried_answers, respondents, rounds
from store.sql import insert_if_absent

MAX_REASON = 500


@dataclass(frozen=True)
class Carried:
    respondent_id: int
    indicator: str
    value: int | str | None  # last round's answer: 0..4, "na", "dk"
    comment: str | None
    from_respondent_id: int
    from_indicator: str
    from_round: str
    status: str  # pending | confirmed | changed | dismissed


@dataclass(frozen=True)
class SheetFollowup:
    """What Fyll i needs for one sheet: the pending proposals, and why other indicators start empty."""

    previous_round: str | None  # None: the region has no earlier round
    proposals: dict[str, Carried] = field(default_factory=dict)  # indicator → pending proposal
    notes: dict[str, str] = field(default_factory=dict)  # indicator → "new" | "changed" (store.followup)


@dataclass(frozen=True)
class Reason:
    respondent_id: int
    respondent: str  # the sheet's name
    role: str
    indicator: str
    previous_value: int | str | None
    value: int | str | None
    reason: str
    given_at: dt.datetime


# -- starting from last round ---------------------------------------------------------------------------------

def carry_forward(db: Database, actor: Identity, assessment_id: int,
                  respondent_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Propose last round's answers on the matched sheets (all of them, or `respondent_ids`); return sheet id →
    proposals added. Sheets without an account or without a sheet of the same account last round get 0."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "manage_respondents", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.manages_regions(who))
        access.require_concealed(access.may_manage(who, found.region), "manage_respondents")
        require_editable(found)
        previous = previous_assessment(conn, found)
        if previous is None:
            raise FollowupNotFound("no_previous_round", region=region_label(found.region))
        sheets = conn.execute(select(respondents).where(respondents.c.assessment_id == found.id,
                                                        respondents.c.removed_at.is_(None))
                              .order_by(respondents.c.id)).all()
        if respondent_ids is not None:
            wanted = list(respondent_ids)
            known = {sheet.id for sheet in sheets}
            problems = [FollowupProblem("not_this_assessment", {"value": freetext.shown(ident)})
                        for ident in wanted if ident not in known]
            if problems:
                raise Invalid(problems)
            sheets = [sheet for sheet in sheets if sheet.id in set(wanted)]
        q = db.questionnaire(found.questionnaire_ref, conn)
        sources, _ = indicator_map(previous.questionnaire_ref, q)
        matches = _matches(conn, previous, sheets)
        now = clock.now()
        added = {}
        for sheet in sheets:
            match = matches.get(sheet.id)
            added[sheet.id] = 0 if match is None else _carry_sheet(conn, who, found, previous, q, sources, sheet,
                                                                   match, now)
        return added


def _matches(conn: Connection, previous: Previous, sheets) -> dict[int, int]:
    """New sheet id → the previous round's sheet of the same account (the same role preferred, then the newest)."""
    emails = sorted({sheet.user_email for sheet in sheets if sheet.user_email})
    if not emails:
        return {}
    before = conn.execute(select(respondents.c.id, respondents.c.role, respondents.c.user_email)
                          .where(respondents.c.assessment_id == previous.assessment_id,
                                 respondents.c.removed_at.is_(None), respondents.c.user_email.in_(emails))
                          .order_by(respondents.c.id)).all()
    found = {}
    for sheet in sheets:
        candidates = [row for row in before if sheet.user_email and row.user_email == sheet.user_email]
        if candidates:
            same_role = [row for row in candidates if row.role == sheet.role]
            found[sheet.id] = (same_role or candidates)[-1].id
    return found


def _carry_sheet(conn: Connection, who: Identity, found, previous: Previous, q, sources: dict[str, str], sheet,
                 match: int, now: dt.datetime) -> int:
    old = {row.indicator: row for row in conn.execute(select(answers).where(answers.c.respondent_id == match))}
    answered = set(conn.execute(select(answers.c.indicator).where(answers.c.respondent_id == sheet.id,
                                                                  answers.c.value.is_not(None))).scalars())
    made = []
    for ind in q.indicators:
        before = old.get(sources.get(ind.id, ""))
        if before is None or before.value is None or ind.id in answered or not ind.applies_to(sheet.role):
            continue
        if answer_problems(q, sheet.role, ind.id, decode(before.value), None, None):
            continue  # e.g. "Ej relevant" where this version no longer allows it: nothing to propose
        if insert_if_absent(conn, carried_answers, {
                "respondent_id": sheet.id, "indicator": ind.id, "value": before.value, "comment": before.comment,
                "from_respondent_id": match, "from_indicator": before.indicator, "from_round_id": previous.round_id,
                "status": "pending", "created_at": now, "created_by": who.email}):
            made.append(ind.id)
    if made:
        audit.record(conn, who, "answers.carry", f"respondent:{sheet.id}", region=found.region, at=now,
                     new={"from_respondent": match, "from_round": previous.round, "indicators": made})
    return len(made)


# -- reading -------------------------------------------------------------------------------------------------

def sheet_followup(db: Database, actor: Identity, respondent_id: int) -> SheetFollowup:
    """The sheet's pending proposals (without an answer yet) and the notes on new and changed indicators."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        sheet = access.concealed(who, "see_answers", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.reads_regions(who))
        found = sheet.assessment
        access.require_concealed(access.may_see_sheet(who, found.region, found.status, sheet.id), "see_answers")
        previous = previous_assessment(conn, found)
        if previous is None:
            return SheetFollowup(None)
        _, notes = indicator_map(previous.questionnaire_ref, db.questionnaire(found.questionnaire_ref, conn))
        answered = set(conn.execute(select(answers.c.indicator).where(answers.c.respondent_id == sheet.id,
                                                                      answers.c.value.is_not(None))).scalars())
        proposals = {item.indicator: item for item in _carried(conn, sheet.id)
                     if item.status == "pending" and item.indicator not in answered}
        return SheetFollowup(previous.round, proposals, notes)


def carried_answers_of(db: Database, actor: Identity, respondent_id: int) -> list[Carried]:
    """Every proposal the sheet ever had, whatever became of it."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        sheet = access.concealed(who, "see_answers", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.reads_regions(who))
        access.require_concealed(access.may_see_sheet(who, sheet.assessment.region, sheet.assessment.status, sheet.id),
                                 "see_answers")
        return _carried(conn, sheet.id)


def _carried(conn: Connection, respondent_id: int) -> list[Carried]:
    query = (select(carried_answers, rounds.c.label).join_from(carried_answers, rounds,
                                                                carried_answers.c.from_round_id == rounds.c.id)
             .where(carried_answers.c.respondent_id == respondent_id).order_by(carried_answers.c.indicator))
    return [Carried(row.respondent_id, row.indicator, None if row.value is None else decode(row.value), row.comment,
                    row.from_respondent_id, row.from_indicator, row.label, row.status) for row in conn.execute(query)]


def change_reasons(db: Database, actor: Identity, assessment_id: int) -> list[Reason]:
    """Why carried answers were changed, for those who may see the region's answers in detail (else empty)."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_answers", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.reads_regions(who))
        if not access.may_see_region_detail(who, found.region, found.status):
            return []
        query = (select(answer_reasons, respondents.c.name, respondents.c.role, answers.c.value)
                 .join_from(answer_reasons, respondents, answer_reasons.c.respondent_id == respondents.c.id)
                 .join(answers, (answers.c.respondent_id == answer_reasons.c.respondent_id)
                       & (answers.c.indicator == answer_reasons.c.indicator))
                 .where(respondents.c.assessment_id == found.id, respondents.c.removed_at.is_(None))
                 .order_by(answer_reasons.c.indicator, answer_reasons.c.respondent_id, answer_reasons.c.revision))
        latest = {}
        for row in conn.execute(query):  # the newest reason per answer
            latest[(row.respondent_id, row.indicator)] = Reason(
                row.respondent_id, row.name, row.role, row.indicator,
                None if row.previous_value is None else decode(row.previous_value),
                None if row.value is None else decode(row.value), row.reason, row.given_at)
        return list(latest.values())


# -- deciding ------------------------------------------------------------------------------------------------

def _sheet_for_answering(conn: Connection, who: Identity, respondent_id: int):
    sheet = access.concealed(who, "answer", lambda: lookup.respondent_by_id(conn, respondent_id),
                             access.manages_regions(who))
    access.require_concealed(access.may_answer(who, sheet.assessment.region, sheet.id), "answer")
    require_editable(sheet.assessment)
    if sheet.removed:
        raise NotEditable("respondent_removed", name=sheet.name)
    return sheet


def _pending(conn: Connection, sheet_id: int, indicators: Iterable[str] | None = None) -> list:
    query = select(carried_answers).where(carried_answers.c.respondent_id == sheet_id,
                                          carried_answers.c.status == "pending")
    if indicators is not None:
        query = query.where(carried_answers.c.indicator.in_(sorted(set(indicators))))
    answered = set(conn.execute(select(answers.c.indicator).where(answers.c.respondent_id == sheet_id,
                                                                  answers.c.value.is_not(None))).scalars())
    return [row for row in conn.execute(query.order_by(carried_answers.c.indicator)) if row.indicator not in answered]


def _resolve(conn: Connection, who: Identity, sheet_id: int, indicators: list[str], status: str,
             now: dt.datetime) -> None:
    if indicators:
        conn.execute(carried_answers.update()
                     .where(carried_answers.c.respondent_id == sheet_id, carried_answers.c.indicator.in_(indicators),
                            carried_answers.c.status == "pending")
                     .values(status=status, resolved_at=now, resolved_by=who.email))


def confirm(db: Database, actor: Identity, respondent_id: int, indicators: Iterable[str] | None = None, *,
            dimension: str | None = None) -> list[str]:
    """Make pending proposals ordinary answers (value and comment as last round): the given indicators, every
    pending one of `dimension`, or all. Returns the indicators answered. One transaction, audited."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        sheet = _sheet_for_answering(conn, who, respondent_id)
        q = db.questionnaire(sheet.assessment.questionnaire_ref, conn)
        wanted = None if indicators is None else list(indicators)
        if dimension is not None:
            own = {ind.id for ind in q.dimension_by_id[dimension].indicators} if dimension in q.dimension_by_id else set()
            wanted = sorted(own if wanted is None else own & set(wanted))
        rows = _pending(conn, sheet.id, wanted)
        now = clock.now()
        for row in rows:
            write(conn, who, Change(sheet.id, row.indicator, row.value, row.comment or ""), None, q, now)
        done = [row.indicator for row in rows]
        _resolve(conn, who, sheet.id, done, "confirmed", now)
        if done:
            audit.record(conn, who, "answers.carry_confirm", f"respondent:{sheet.id}",
                         region=sheet.assessment.region, new={"indicators": done}, at=now)
        return done


def change(db: Database, actor: Identity, respondent_id: int, indicator: str, value: int | str | None, reason: str,
           comment: str | None = None) -> int:
    """Answer a carried indicator with another value than last round's, saying why; returns the revision.

    The same value as proposed is a confirmation (no reason needed). A different value needs `reason`
    (at most 500 characters); it is stored beside the answer revision it explains. Nothing is written when
    anything is wrong."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        sheet = _sheet_for_answering(conn, who, respondent_id)
        q = db.questionnaire(sheet.assessment.questionnaire_ref, conn)
        place = (f"respondent {sheet.key}", Text(f"indikator {freetext.shown(indicator, 40)}",
                                                 f"indicator {freetext.shown(indicator, 40)}"))
        rows = _pending(conn, sheet.id, [indicator]) if freetext.storable(indicator) else []
        if not rows:
            raise FollowupNotFound("no_proposal", indicator=freetext.shown(indicator, 40))
        (row,) = rows
        problems = [Problem(p.code, p.params, place) for p in answer_problems(q, sheet.role, indicator, value, comment, None)]
        same = value is not None and code(value) == row.value
        text = freetext.multiline(reason) if isinstance(reason, str) else ""
        if not same:
            if not text.strip():
                problems.append(FollowupProblem("reason_missing", {}, place))
            elif len(text.strip()) > MAX_REASON:
                problems.append(FollowupProblem("reason_too_long", {"length": len(text.strip()), "limit": MAX_REASON},
                                                place))
            else:
                problems += text_problems(freetext.multiline_problems(text, FIELD_NAMES["comment"]), place)
        if problems:
            raise Invalid(problems)
        now = clock.now()
        new_comment = comment if comment is not None else (row.comment or "")
        revision = write(conn, who, Change(sheet.id, indicator, None if value is None else code(value), new_comment),
                         None, q, now)
        if same:
            _resolve(conn, who, sheet.id, [indicator], "confirmed", now)
            audit.record(conn, who, "answers.carry_confirm", f"respondent:{sheet.id}",
                         region=sheet.assessment.region, new={"indicators": [indicator]}, at=now)
            return revision
        conn.execute(answer_reasons.insert().values(respondent_id=sheet.id, indicator=indicator, revision=revision,
                                                    reason=text.strip(), previous_value=row.value,
                                                    given_by=who.email, given_at=now))
        _resolve(conn, who, sheet.id, [indicator], "changed", now)
        audit.record(conn, who, "answers.carry_change", f"answer:{sheet.id}/{indicator}",
                     region=sheet.assessment.region, at=now, old={"value": decode(row.value)},
                     new={"value": value, "reason": text.strip(), "revision": revision})
        return revision


def dismiss(db: Database, actor: Identity, respondent_id: int, indicator: str) -> None:
    """Start the indicator empty instead of from last round's answer."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        sheet = _sheet_for_answering(conn, who, respondent_id)
        rows = _pending(conn, sheet.id, [indicator]) if freetext.storable(indicator) else []
        if not rows:
            raise FollowupNotFound("no_proposal", indicator=freetext.shown(indicator, 40))
        now = clock.now()
        _resolve(conn, who, sheet.id, [indicator], "dismissed", now)
        audit.record(conn, who, "answers.carry_dismiss", f"answer:{sheet.id}/{indicator}",
                     region=sheet.assessment.region, old={"value": decode(rows[0].value)}, at=now)

