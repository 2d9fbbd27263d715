"""The answer sheet: one row per respondent, one column per indicator, answers as small integer codes.

This dense layout is what makes scoring linear and fast: a whole country's answers are one uint8 matrix.
Level answers keep their value (0..4); the special answers and a missing answer get reserved codes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from questionnaires.answers import DK_CODE, MISSING, NA_CODE, AnswersFile, code, decode  # noqa: F401 (re-exported)
from questionnaires.model import Questionnaire

ID_COLUMNS = ["region", "round", "respondent", "role"]


def empty(q: Questionnaire) -> pd.DataFrame:
    return from_rows([], q)


def from_rows(rows: Iterable[tuple[str, str, str, str, dict[str, int | str]]], q: Questionnaire) -> pd.DataFrame:
    """Rows of (region, round, respondent, role, {indicator: answer}) → an answer sheet."""
    ids = [ind.id for ind in q.indicators]
    position = {ident: i for i, ident in enumerate(ids)}
    rows = list(rows)
    matrix = np.full((len(rows), len(ids)), MISSING, dtype=np.uint8)
    for r, (*_, answers) in enumerate(rows):
        for indicator, answer in answers.items():
            matrix[r, position[indicator]] = code(answer)
    frame = pd.DataFrame(matrix, columns=ids)
    head = pd.DataFrame([row[:4] for row in rows], columns=ID_COLUMNS, dtype=object)
    return pd.concat([head.astype(str), frame], axis=1)


def from_answers_file(answers: AnswersFile, q: Questionnaire) -> pd.DataFrame:
    """The file's answer sheet. A `mognad-answers/2` file's consensus records travel with it in
    `attrs["consensus"]` (rows of region, round, indicator, value, rationale, evidence, decided_at,
    decided_by), where method 2's `score` finds them."""
    sheet = from_rows(
        ((answers.region, answers.round, r.id, r.role, r.answers) for r in answers.respondents), q
    )
    if answers.consensus:
        sheet.attrs["consensus"] = tuple(
            (answers.region, answers.round, indicator, record.value, record.rationale, record.evidence,
             record.decided_at, record.decided_by)
            for indicator, record in answers.consensus.items())
    return sheet


def from_long(long: pd.DataFrame, q: Questionnaire, respondents: pd.DataFrame | None = None) -> pd.DataFrame:
    """A long frame (region, round, respondent, role, indicator, answer) → an answer sheet.

    `respondents` (region, round, respondent, role) adds respondents who have not answered anything yet,
    so that they count in the data quality figures.
    """
    ids = [ind.id for ind in q.indicators]
    keys = ID_COLUMNS
    frames = [long[keys]]
    if respondents is not None:
        frames.append(respondents[keys])
    people = pd.concat(frames).drop_duplicates(subset=keys[:3]).reset_index(drop=True).astype(str)
    matrix = np.full((len(people), len(ids)), MISSING, dtype=np.uint8)
    if len(long):
        row = pd.MultiIndex.from_frame(people[keys[:3]]).get_indexer(
            pd.MultiIndex.from_frame(long[keys[:3]].astype(str)))
        col = pd.Index(ids).get_indexer(long["indicator"])
        values = np.fromiter((code(a) for a in long["answer"]), dtype=np.int64, count=len(long))
        ok = (row >= 0) & (col >= 0)
        matrix[row[ok], col[ok]] = values[ok].astype(np.uint8)
    return pd.concat([people, pd.DataFrame(matrix, columns=ids)], axis=1)


def to_long(sheet: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """The inverse of `from_long`: one row per given answer (missing answers are left out)."""
    ids = [ind.id for ind in q.indicators]
    long = sheet.melt(id_vars=ID_COLUMNS, value_vars=ids, var_name="indicator", value_name="code")
    long = long[long["code"] != MISSING]
    long["answer"] = [decode(c) for c in long["code"]]
    return long.drop(columns="code").reset_index(drop=True)
