"""The comparison frame: the scoring layout, and exactly what each actor may see."""

from __future__ import annotations

import numpy as np
import pytest

import store
from scoring import score
from scoring.sheet import DK_CODE, ID_COLUMNS, MISSING, NA_CODE


def test_the_sheet_has_the_scoring_layout(world, example):
    db, w = world
    store.save_answer(db, w.lead, w.lead_sheet, "D1.2", "na")
    store.save_answer(db, w.lead, w.lead_sheet, "D2.1", "dk", comment="vet inte")
    store.add_respondent(db, w.lead, w.assessment, "Tom", "utbildning")  # no answers yet: still a row
    sheet, comments = store.answer_sheet(db, w.admin, example.ref, regions=["19"])
    assert list(sheet.columns) == ID_COLUMNS + [ind.id for ind in example.indicators]
    assert all(sheet[ind.id].dtype == np.uint8 for ind in example.indicators)
    assert sheet[ID_COLUMNS].values.tolist() == [["19", "2025", "r1", "region"], ["19", "2025", "r2", "kommun"],
                                                 ["19", "2025", "r3", "utbildning"]]
    assert sheet["D1.1"].tolist() == [3, 2, MISSING]
    assert sheet.loc[0, "D1.2"] == NA_CODE and sheet.loc[0, "D2.1"] == DK_CODE
    assert comments.values.tolist() == [["19", "2025", "r1", "D1.1", "belägg"], ["19", "2025", "r1", "D2.1", "vet inte"],
                                        ["19", "2025", "r2", "D1.1", "belägg"]]
    scores = score(sheet, example)  # the scoring method takes it as it is
    assert ("19", "2025") in scores.overall.index


def _regions(db, who, example, **kwargs) -> set[str]:
    sheet, _ = store.answer_sheet(db, who, example.ref, **kwargs)
    return set(sheet["region"])


def test_visibility_by_role_and_status(world, example):
    db, w = world
    assert _regions(db, w.admin, example) == {"19", "03"}
    assert _regions(db, w.analyst, example) == set()  # drafts are the region's own business
    assert _regions(db, w.lead, example) == {"19"}
    assert _regions(db, w.viewer_other, example) == {"03"}
    assert _regions(db, w.outsider, example) == set()
    respondent_sheet, _ = store.answer_sheet(db, w.respondent, example.ref)
    assert respondent_sheet["respondent"].tolist() == ["r2"]  # their own sheet only
    store.submit_assessment(db, w.lead, w.assessment)
    assert _regions(db, w.analyst, example) == {"19"}
    assert _regions(db, w.lead_other, example) == {"03"}  # not published yet
    store.close_round(db, w.admin, "2025")
    store.publish_round(db, w.admin, "2025")
    assert _regions(db, w.lead_other, example) == {"19", "03"}  # 19 submitted and published; 03 its own draft
    assert _regions(db, w.outsider, example) == {"19"}


def test_removed_respondents_are_left_out(world, example):
    db, w = world
    store.remove_respondent(db, w.lead, w.own_sheet)
    sheet, comments = store.answer_sheet(db, w.lead, example.ref)
    assert sheet["respondent"].tolist() == ["r1"]
    assert comments["respondent"].tolist() == ["r1"]


def test_filters_and_an_unknown_round(world, example):
    db, w = world
    assert _regions(db, w.admin, example, rounds=["2025"], regions=["03"]) == {"03"}
    with pytest.raises(store.NotFound):
        store.answer_sheet(db, w.admin, example.ref, rounds=["1999"])
    with pytest.raises(store.NotFound):
        store.answer_sheet(db, w.admin, "okänd@1")


def test_an_empty_comparison_is_an_empty_sheet(db, admin, instrument):
    sheet, comments = store.answer_sheet(db, admin, instrument.ref)
    assert sheet.shape == (0, 4 + len(instrument.indicators))
    assert list(comments.columns) == ["region", "round", "respondent", "indicator", "comment"]
