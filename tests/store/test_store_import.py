"""Importing an answers file into the region's assessment: all or nothing, every problem reported."""

from __future__ import annotations

import pytest

import store
from questionnaires import load_regions
from questionnaires.answers import AnswersFile, RespondentAnswers, parse
from tests.conftest import EXAMPLE_ANSWERS


def _parsed(db):
    answers, _ = parse(EXAMPLE_ANSWERS.read_bytes(), db.questionnaire, [r.code for r in load_regions()])
    return answers


def test_import_matches_respondents_by_id_and_creates_new_ones(world, example):
    db, w = world
    result = store.import_answers(db, w.lead, _parsed(db))
    assert (result.region, result.round, result.respondents_created, result.respondents_matched) == ("19", "2025", 1, 2)
    sheet, comments = store.answer_sheet(db, w.lead, example.ref)
    assert sheet["respondent"].tolist() == ["r1", "r2", "r3"]
    assert sheet.set_index("respondent").loc["r1", "D1.1"] == 3
    assert "Beslut i regionstyrelsen 2024" in comments["comment"].tolist()
    again = store.import_answers(db, w.lead, _parsed(db))
    assert again.answers_written == 0 and again.respondents_created == 0  # nothing new the second time


def test_import_creates_the_assessment_when_needed(world):
    db, w = world
    data = _parsed(db)
    moved = AnswersFile(data.questionnaire, "01", data.round, data.respondents)
    result = store.import_answers(db, w.admin, moved)
    assert store.get_assessment(db, w.admin, "01", "2025").id == result.assessment_id
    assert result.respondents_created == 3


def test_unknown_ids_are_all_reported_and_nothing_is_written(world, example):
    db, w = world
    before = store.answer_sheet(db, w.admin, example.ref)[0]
    audit_before = len(store.audit_log(db, w.admin, limit=5000))
    bad = AnswersFile("metodexempel@1", "19", "2025", (
        RespondentAnswers("r1", "kommun", None, None, {"D1.1": 2, "D9.9": 1}, {}, {}),  # r1 is the region's sheet
        RespondentAnswers("r9", "kung", None, None, {"D1.2": 7, "D3.1": 1}, {"D8.8": "?"}, {"D1.2": "sure"}),
        RespondentAnswers("r4", "af", "Ny", None, {"D1.1": 1, "D3.1": 2}, {}, {}),  # D3.1 is asked of the region only
    ))
    with pytest.raises(store.Invalid) as caught:
        store.import_answers(db, w.lead, bad)
    lines = caught.value.lines("en")
    expected = ["respondent r1: the respondent has the role 'region' but the file says 'kommun'",
                "respondent r1: indicator D9.9: unknown indicator 'D9.9'",
                "respondent r9: unknown respondent role 'kung'",
                "respondent r9: indicator D1.2: invalid answer 7",
                "respondent r9: indicator D1.2: the confidence must be low, medium or high",
                "respondent r9: indicator D8.8: unknown indicator 'D8.8'",
                "respondent r4: indicator D3.1: the indicator D3.1 is not asked of the role 'af'"]
    for wanted in expected:
        assert any(line.startswith(wanted) for line in lines), (wanted, lines)
    assert store.answer_sheet(db, w.admin, example.ref)[0].equals(before)
    assert len(store.audit_log(db, w.admin, limit=5000)) == audit_before


def test_unknown_region_round_and_questionnaire_are_reported_together(world):
    db, w = world
    bad = AnswersFile("okänd@3", "99", "1999", (RespondentAnswers("r1", "region", None, None, {"D1.1": 2}, {}, {}),))
    with pytest.raises(store.Invalid) as caught:
        store.import_answers(db, w.admin, bad)
    assert sorted(p.code for p in caught.value.problems) == ["unknown_questionnaire", "unknown_region", "unknown_round"]


def test_import_needs_the_right_role_and_an_editable_assessment(world):
    db, w = world
    for who in (w.lead_other, w.viewer, w.analyst, w.respondent, w.outsider):
        with pytest.raises(store.Forbidden):
            store.import_answers(db, who, _parsed(db))
    store.submit_assessment(db, w.lead, w.assessment)
    with pytest.raises(store.NotEditable):
        store.import_answers(db, w.lead, _parsed(db))
    store.close_round(db, w.admin, "2025")
    moved = AnswersFile("metodexempel@1", "01", "2025", _parsed(db).respondents)
    with pytest.raises(store.RoundClosed):
        store.import_answers(db, w.admin, moved)


def test_a_comment_alone_keeps_the_stored_value(world):
    db, w = world
    only_comment = AnswersFile("metodexempel@1", "19", "2025", (
        RespondentAnswers("r1", "region", None, None, {}, {"D1.1": "nytt belägg"}, {}),))
    store.import_answers(db, w.lead, only_comment)
    latest = store.answer_history(db, w.lead, w.lead_sheet, "D1.1")[-1]
    assert (latest.value, latest.comment) == (3, "nytt belägg")
