"""Shared data for the report tests: the worked example, and synthetic answers for all 21 regions."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from questionnaires import find, load_regions
from questionnaires.actionplan import PlanItem
from questionnaires.answers import parse
from reports.model import national_report, region_report, region_report_from_answers
from scoring import score
from tests.conftest import EXAMPLE_ANSWERS
from tests.sample_data import synthetic_sheet

GENERATED = dt.datetime(2026, 3, 2, 9, 30)
CODES = [r.code for r in load_regions()]


@pytest.fixture(scope="session")
def example_answers(example):
    answers, _ = parse(EXAMPLE_ANSWERS.read_bytes(), find, CODES, example)
    return answers


@pytest.fixture(scope="session")
def example_report(example, example_answers):
    return region_report_from_answers(example_answers, example, generated_at=GENERATED)


@pytest.fixture(scope="session")
def national_sheet(instrument):
    return synthetic_sheet(instrument, ["2024", "2025"], seed=11)


@pytest.fixture(scope="session")
def national_scores(national_sheet, instrument):
    return score(national_sheet, instrument)


@pytest.fixture(scope="session")
def stored_items(instrument):
    """An action plan as the store would hand it over: stable ids, SMART fields, mixed statuses."""
    return [
        PlanItem(id="a1", dimension="D1", action="Besluta om regionens roll", indicators=("D1.1",), owner="Regiondirektör",
                 start=dt.date(2025, 9, 1), due=dt.date(2026, 1, 31), resources="0,2 åa",
                 success_indicator="Beslut i regionstyrelsen", status="ongoing", source_action="D1.1:0:1"),
        PlanItem(id="a2", dimension="D2", action="Skriv samverkansavtal", indicators=("D2.1", "D2.2"), owner="Kansliet",
                 due=dt.date(2025, 12, 1), status="done"),
        PlanItem(id="a3", dimension="D9", action="=HYPERLINK(\"http://evil.example\",\"klick\")", owner="@SUM(A1)",
                 resources="+46 70", success_indicator="-1", status="not_started"),
    ]


@pytest.fixture(scope="session")
def region_report_19(national_scores, national_sheet, instrument, stored_items):
    return region_report(national_scores, instrument, "19", "2025", sheet=national_sheet, items=stored_items,
                         rounds=["2024", "2025"], generated_at=GENERATED)


@pytest.fixture(scope="session")
def national(national_scores, instrument):
    return national_report(national_scores, instrument, "2025", rounds=["2024", "2025"], seed=5,
                           generated_at=GENERATED)


def answers_document(sheet, q, region: str, round_: str, comments: dict | None = None) -> bytes:
    """One region's rows of an answer sheet as a `mognad-answers/1` file."""
    from questionnaires.answers import decode

    rows = sheet[(sheet["region"] == region) & (sheet["round"] == round_)]
    respondents = []
    for _, row in rows.iterrows():
        answers = {ind.id: decode(int(row[ind.id])) for ind in q.indicators
                   if decode(int(row[ind.id])) is not None and ind.applies_to(row["role"])}
        respondents.append({"id": row["respondent"], "role": row["role"], "answers": answers,
                            "comments": (comments or {}).get(row["respondent"], {})})
    return json.dumps({"format": "mognad-answers/1", "questionnaire": q.ref, "region": region, "round": round_,
                       "respondents": respondents}, ensure_ascii=False).encode()
