"""The pages anyone may see: the instrument and scoring an uploaded answers file, in both languages."""

from __future__ import annotations

import json

import pytest

from app.widgets import literal
from tests.app.conftest import app
from tests.conftest import EXAMPLE_ANSWERS


@pytest.mark.parametrize(("lang", "title", "heading"), [
    ("sv", "Instrumentet", "Regional analys av strukturer för validering"),
    ("en", "The instrument", "Regional analysis of structures for validation"),
])
def test_instrument_page(lang, title, heading):
    at = app(lang).run()
    at.switch_page("app/views/instrument.py").run()
    assert not at.exception
    assert at.title[0].value == title
    assert at.header[0].value == heading
    assert any("49 " in m.value for m in at.markdown)  # the newest version first: version 2
    at.selectbox(key="instrument_dimension").select("D9").run()
    assert not at.exception
    assert any(m.value.startswith("#### D9.") for m in at.markdown)  # D9's indicators (v2 renumbered D9.1)
    at.selectbox(key="instrument_ref").select("regional-validering@1").run()  # version 1 stays readable
    assert not at.exception and any("46 " in m.value for m in at.markdown)


@pytest.fixture(autouse=True)
def _database(demo_db):
    return demo_db


def score_page(lang="sv"):
    at = app(lang).run()
    at.switch_page("app/views/score_file.py").run()
    return at


def test_score_file_shows_scores():
    data = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    data["questionnaire"] = "regional-validering@1"
    data["respondents"] = [
        {"id": "r1", "role": "region", "answers": {f"D{d}.{i}": 3 for d in range(1, 11) for i in range(1, 5)}},
        {"id": "r2", "role": "kommun", "answers": {f"D{d}.{i}": 1 for d in range(1, 11) for i in range(1, 5)
                                                      if f"D{d}.{i}" != "D9.1"}},
    ]
    at = score_page()
    at.file_uploader(key="score_file_upload").upload("svar.json", json.dumps(data).encode(), "application/json").run()
    assert not at.exception and not at.error
    assert at.header[0].value == "Region Västmanland – omgång 2025"
    # D9.1 is asked of the region only: D9 = (3 + 2 + 2 + 2) / 4 = 2.25; overall = (9 × 2 + 2.25) / 10 = 2.025
    assert [m.value for m in at.metric] == ["2,02", "51\xa0%", "Under uppbyggnad"]
    table = at.table[0].value
    assert table.iloc[0].tolist() == ["2,00", "50\xa0%", "Under uppbyggnad", "80\xa0%"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("sv", "svar.json: okänd regionkod '99'"),
    ("en", "svar.json: unknown region code '99'"),
])
def test_score_file_reports_problems_in_the_users_language(lang, expected):
    data = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    data["region"] = "99"
    at = score_page(lang)
    at.file_uploader(key="score_file_upload").upload("svar.json", json.dumps(data).encode(), "application/json").run()
    assert not at.exception
    assert literal(expected) in at.error[0].value  # shown literally: Markdown-escaped


def test_score_file_refuses_garbage():
    at = score_page()
    at.file_uploader(key="score_file_upload").upload("svar.json", b"\x00\xff garbage", "application/json").run()
    assert not at.exception and literal("inte kodad i UTF-8") in at.error[0].value
