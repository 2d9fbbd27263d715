"""Fetch the facts an operation checks before acting: which region, which round, which status.

Each function returns a small read-only row or raises `NotFound`; none of them checks permissions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from store.errors import NotFound
from store.messages import region_label
from store.schema import assessments, regions, respondents, rounds


@dataclass(frozen=True)
class RoundRow:
    id: int
    label: str
    questionnaire_ref: str
    status: str
    published: bool

    @property
    def open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    region: str
    status: str
    questionnaire_ref: str
    round: RoundRow


@dataclass(frozen=True)
class RespondentRow:
    id: int
    key: str
    name: str
    role: str
    removed: bool
    assessment: AssessmentRow


_ROUND = (rounds.c.id.label("round_id"), rounds.c.label, rounds.c.questionnaire_ref.label("round_questionnaire"),
          rounds.c.status.label("round_status"), rounds.c.published)
_ASSESSMENT = (assessments.c.id, assessments.c.region_code, assessments.c.status, assessments.c.questionnaire_ref)


def _round(row) -> RoundRow:
    return RoundRow(row.round_id, row.label, row.round_questionnaire, row.round_status, bool(row.published))


def _assessment(row) -> AssessmentRow:
    return AssessmentRow(row.id, row.region_code, row.status, row.questionnaire_ref, _round(row))


def round_by_label(conn: Connection, label: str) -> RoundRow:
    row = conn.execute(select(*_ROUND).where(rounds.c.label == label)).first()
    if row is None:
        raise NotFound("no_round", round=label)
    return _round(row)


def region(conn: Connection, code: str) -> str:
    if conn.execute(select(regions.c.code).where(regions.c.code == code)).first() is None:
        raise NotFound("no_region", region=code)
    return code


def assessment_by_id(conn: Connection, assessment_id: int) -> AssessmentRow:
    row = conn.execute(select(*_ASSESSMENT, *_ROUND).join_from(assessments, rounds)
                       .where(assessments.c.id == _int(assessment_id, "no_assessment_id"))).first()
    if row is None:
        raise NotFound("no_assessment_id", id=assessment_id)
    return _assessment(row)


def assessment_in(conn: Connection, region_code: str, round_label: str) -> AssessmentRow | None:
    row = conn.execute(select(*_ASSESSMENT, *_ROUND).join_from(assessments, rounds)
                       .where(assessments.c.region_code == region_code, rounds.c.label == round_label)).first()
    return None if row is None else _assessment(row)


def require_assessment_in(conn: Connection, region_code: str, round_label: str) -> AssessmentRow:
    found = assessment_in(conn, region_code, round_label)
    if found is None:
        round_by_label(conn, round_label)  # an unknown round says so, rather than "no assessment"
        region(conn, region_code)
        raise NotFound("no_assessment", region=region_label(region_code), round=round_label)
    return found


def respondent_by_id(conn: Connection, respondent_id: int) -> RespondentRow:
    row = conn.execute(
        select(respondents.c.id.label("respondent_id"), respondents.c.key, respondents.c.name, respondents.c.role,
               respondents.c.removed_at, *_ASSESSMENT, *_ROUND)
        .join_from(respondents, assessments).join(rounds)
        .where(respondents.c.id == _int(respondent_id, "no_respondent"))).first()
    if row is None:
        raise NotFound("no_respondent", id=respondent_id)
    return RespondentRow(row.respondent_id, row.key, row.name, row.role, row.removed_at is not None, _assessment(row))


def _int(value: object, code: str) -> int:
    """Ids come from widgets and URLs: anything that is not a whole number simply does not exist."""
    if isinstance(value, bool):
        raise NotFound(code, id=value)
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound(code, id=value) from None
    if (str(number) != str(value).strip() and not isinstance(value, int)) or not 0 < number < 2**31:
        raise NotFound(code, id=value)
    return number
