"""One answers file's result without the database: the contract of `mognad score --format json`, also shown
on "Räkna på en svarsfil"."""

from __future__ import annotations

from questionnaires.answers import AnswersFile
from questionnaires.model import Questionnaire
from scoring import plan, region_summary, score
from scoring.sheet import from_answers_file


def answers_summary(answers: AnswersFile, q: Questionnaire, lang: str) -> dict:
    scores = score(from_answers_file(answers, q), q)
    return region_summary(scores, plan(scores, q), q, answers.region, answers.round, lang)
