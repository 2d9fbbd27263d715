"""Import a `mognad-answers/1` file (or the offline Excel workbook, parsed the same way) into the region's
assessment for the round named in the file.

All or nothing: every unknown id (region, round, questionnaire, indicator) and every other problem is
reported at once, and nothing is written unless there are none. Respondents are matched by their key —
the offline form's token when the file has one (never the typed name), else their id — and created when
new. Importing the same file twice writes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from questionnaires.answers import AnswerProblem, AnswersFile, code
from questionnaires.freetext import shown
from questionnaires.text import Text
from store import access, assessments, audit, clock, lookup, reference
from store import respondents as sheets
from store.answers import KEEP, Change, answer_problems, write_many
from store.database import Database
from store.errors import (
    Forbidden,
    ForeignProblem,
    Invalid,
    NotFound,
    Problem,
    RoundClosed,
    StoreUnavailable,
    searchable,
)
from store.identity import Identity
from store.schema import respondents


@dataclass(frozen=True)
class ImportResult:
    assessment_id: int
    region: str
    round: str
    respondents_created: int
    respondents_matched: int
    answers_written: int  # revisions written; answers identical to the stored ones are not rewritten


def import_answers(db: Database, actor: Identity, answers_file: AnswersFile) -> ImportResult:
    for _ in range(3):
        try:
            return _import(db, actor, answers_file)
        except IntegrityError:  # someone answered the same new question at the same moment: start over
            continue
    raise StoreUnavailable("busy")


def _import(db: Database, actor: Identity, data: AnswersFile) -> ImportResult:
    with db.writing() as conn:
        who = access.current(conn, actor)
        if not who.is_admin and not who.lead_regions():
            raise Forbidden("import")
        problems: list = []
        region_known = data.region in reference.region_codes(conn)
        if region_known:
            access.require_manage(who, data.region, "import")
        else:
            problems.append(Problem("unknown_region", {"value": data.region}))
        try:
            the_round = lookup.round_by_label(conn, searchable(data.round, "no_round", "round"))
        except NotFound:
            the_round = None
            problems.append(Problem("unknown_round", {"value": shown(data.round)}))
        if the_round is not None and the_round.questionnaire_ref != data.questionnaire:
            problems.append(Problem("round_questionnaire", {"round": the_round.label, "expected": the_round.questionnaire_ref,
                                                            "value": data.questionnaire}))
        try:
            q = db.questionnaire(searchable(data.questionnaire, "no_questionnaire", "ref"), conn)
        except NotFound:
            q = None
            problems.append(Problem("unknown_questionnaire", {"value": shown(data.questionnaire)}))
        existing = {}
        if region_known and the_round is not None:
            found = lookup.assessment_in(conn, data.region, the_round.label)
            if found is not None:
                assessments.require_editable(found)
                existing = {row.key: row for row in conn.execute(
                    select(respondents).where(respondents.c.assessment_id == found.id))}
            elif not the_round.open:
                raise RoundClosed("round_closed", round=the_round.label)
            problems += _tokens_elsewhere(conn, data, found.id if found is not None else None)
        if q is not None:
            problems += _content_problems(data, q, existing)
        if problems:
            raise Invalid(problems)

        assessment_id = assessments.ensure(conn, who, data.region, the_round.label)
        now = clock.now()
        created = 0
        changes = []
        for person in data.respondents:
            row = existing.get(person.key)  # the offline form's token when it has one: never the typed name
            if row is None:
                respondent_id = sheets.insert(conn, who, assessment_id, data.region, person.name or person.id,
                                              person.role, person.organisation, None, person.key, at=now)
                created += 1
            else:
                respondent_id = row.id
            indicators = sorted(set(person.answers) | set(person.comments) | set(person.confidence))
            changes += [Change(respondent_id, indicator,
                               _coded(person.answers[indicator]) if indicator in person.answers else KEEP,
                               person.comments.get(indicator), person.confidence.get(indicator))
                        for indicator in indicators]
        written = write_many(conn, who, changes, at=now)
        result = ImportResult(assessment_id, data.region, the_round.label, created, len(data.respondents) - created,
                              written)
        audit.record(conn, who, "answers.import", f"assessment:{assessment_id}", region=data.region, at=now,
                     new={"respondents_created": created, "respondents_matched": result.respondents_matched,
                          "answers_written": written, "questionnaire": data.questionnaire})
        return result


def _coded(value):
    return None if value is None else code(value)


def _content_problems(data: AnswersFile, q, existing: dict) -> list:
    problems: list = []
    seen: set[str] = set()
    for person in data.respondents:
        place = f"respondent {person.id}"
        if person.key in seen:
            problems.append(Problem("duplicate_respondent_key", {"value": person.key}, (place,)))
        seen.add(person.key)
        row = existing.get(person.key)
        if row is not None and row.removed_at is not None:
            problems.append(Problem("respondent_gone", {}, (place,)))
        if row is not None and row.role != person.role:
            problems.append(Problem("role_mismatch", {"stored": row.role, "value": person.role}, (place,)))
        if row is None:
            problems += [Problem(p.code, p.params, (place,)) for p in
                         sheets.respondent_problems(q, person.name or person.id, person.role, person.organisation, None,
                                                    person.key)]
        for indicator in sorted(set(person.answers) | set(person.comments) | set(person.confidence)):
            found = answer_problems(q, person.role, indicator, person.answers.get(indicator),
                                    person.comments.get(indicator), person.confidence.get(indicator))
            if indicator not in person.answers:  # a comment alone is fine whoever it is asked of
                found = [p for p in found if p.code != "not_for_role"]
            problems += [Problem(p.code, p.params, (place, Text(f"indikator {indicator}", f"indicator {indicator}")))
                         for p in found]
    return problems


def _tokens_elsewhere(conn, data: AnswersFile, assessment_id: int | None) -> list:
    """An offline form's token already used by a respondent of another assessment: the form (or its hidden
    sheet) was pointed at another region or round. Refused, never merged."""
    tokens = {person.token: person for person in data.respondents if person.token}
    if not tokens:
        return []
    query = select(respondents.c.key).where(respondents.c.key.in_(sorted(tokens)))
    if assessment_id is not None:
        query = query.where(respondents.c.assessment_id != assessment_id)
    return [ForeignProblem(AnswerProblem("token_elsewhere", respondent=tokens[key].id))
            for key in sorted(set(conn.execute(query).scalars()))]
