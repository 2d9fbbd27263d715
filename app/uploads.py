"""Uploaded answers files, JSON or the offline Excel questionnaire, read with one set of rules."""

from __future__ import annotations

from app.i18n import lang
from questionnaires import find, load_regions
from questionnaires.answers import AnswersError, parse


def read_answers_upload(name: str, raw: bytes):
    """((answers, questionnaire), []) or (None, [one line per problem, in the user's language])."""
    codes = [r.code for r in load_regions()]
    try:
        if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            from reports.offline import read_answers_workbook

            return read_answers_workbook(raw, find, codes, filename=name), []
        return parse(raw, find, codes), []
    except AnswersError as exc:
        return None, [p.render(lang(), name) for p in exc.problems]
