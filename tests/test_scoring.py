"""The method of docs/method.md: the worked example to the digit, an oracle, and its properties."""

from __future__ import annotations

import dataclasses
import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires.answers import parse
from questionnaires.regions import load_regions
from scoring import plan, region_summary, score
from scoring import sheet as sheets
from tests.conftest import EXAMPLE_ANSWERS

ANSWERS = [0, 1, 2, 3, 4, "na", "dk", None]


def example_scores(example):
    answers, q = parse(EXAMPLE_ANSWERS.read_bytes(), lambda ref: example, [r.code for r in load_regions()], example)
    scores = score(sheets.from_answers_file(answers, q), q)
    return scores, plan(scores, q)


def test_worked_example_indicators(example):
    scores, _ = example_scores(example)
    ind = scores.indicators.loc[("19", "2025")]
    assert ind["value"].to_dict() == pytest.approx(
        {"D1.1": 2.0, "D1.2": 2.5, "D1.3": np.nan, "D2.1": np.nan, "D2.2": 3.0, "D3.1": 1.0, "D3.2": np.nan,
         "D3.3": np.nan}, nan_ok=True)
    assert ind["status"].to_dict() == {
        "D1.1": "value", "D1.2": "value", "D1.3": "unknown", "D2.1": "not_applicable", "D2.2": "value",
        "D3.1": "value", "D3.2": "unknown", "D3.3": "unknown"}
    assert ind.loc["D1.1", "spread"] == 2 and bool(ind.loc["D1.1", "disagreement"])
    assert ind.loc["D2.2", "spread"] == 1 and not ind.loc["D2.2", "disagreement"]
    assert ind.loc["D3.1", "asked"] == 1  # asked of the region role only


def test_worked_example_dimensions_and_overall(example):
    scores, _ = example_scores(example)
    dims = scores.dimensions.loc[("19", "2025")]
    assert dims.loc["D1", "score"] == pytest.approx(7 / 3)
    assert dims.loc["D2", "score"] == pytest.approx(3.0)
    assert math.isnan(dims.loc["D3", "score"]) and dims.loc["D3", "reason"] == "insufficient"
    assert dims["completeness"].tolist() == pytest.approx([2 / 3, 1.0, 1 / 3])
    assert [s if isinstance(s, str) else None for s in dims["stage"]] == ["S2", "S3", None]
    assert dims.loc["D1", ["answered_share", "na_share", "dk_share"]].tolist() == pytest.approx([5 / 9, 1 / 9, 2 / 9])
    assert dims.loc["D3", "answered_share"] == pytest.approx(1 / 7)
    overall = scores.overall.loc[("19", "2025")]
    assert overall["score"] == pytest.approx(23 / 9)
    assert overall["percent"] == pytest.approx(23 / 9 / 4 * 100)
    assert overall["stage"] == "S2"
    assert overall["dimensions_scored"] == 2


def test_worked_example_plan(example):
    _, proposal = example_scores(example)
    rows = proposal.loc[("19", "2025")]
    assert list(rows.index) == ["D1", "D2"]
    assert rows["target"].tolist() == [3.0, 3.5]
    assert rows["gap"].tolist() == pytest.approx([2 / 3, 0.5])
    assert rows["priority"].tolist() == pytest.approx([32 / 9, 1.25])
    assert [a["id"] for a in rows.loc["D1", "actions"]] == ["D1.1:2:1", "D1.2:2:1"]
    assert [a["id"] for a in rows.loc["D2", "actions"]] == ["D2.2:3:1"]


def test_worked_example_summary_json(example):
    scores, proposal = example_scores(example)
    summary = region_summary(scores, proposal, example, "19", "2025", "sv")
    assert summary["overall"] == {"score": 2.556, "percent": 63.889, "stage": "S2", "stage_label": "Under uppbyggnad"}
    assert summary["dimensions"][0] == {"id": "D1", "score": 2.333, "percent": 58.333, "stage": "S2",
                                        "stage_label": "Under uppbyggnad", "completeness": 0.667, "answered": 2,
                                        "not_applicable": 0, "unknown": 1}
    assert summary["dimensions"][2]["score"] is None
    assert [p["priority"] for p in summary["plan"]] == [3.556, 1.25]


def test_target_override(example):
    scores, _ = example_scores(example)
    rows = plan(scores, example, targets={"D1": "S4", ("19", "2025", "D2"): "S3"}).loc[("19", "2025")]
    assert rows.loc["D1", "gap"] == pytest.approx(3.5 - 7 / 3)
    assert rows.loc["D2", "gap"] == 0 and rows.loc["D2", "priority"] == 0


def test_stage_tolerance_absorbs_float_noise(example):
    assert example.stage_for(2.9999999999999996).id == "S3"
    assert example.stage_for(2.9999).id == "S2"


# -- an oracle: the method written plainly, one loop per rule -------------------------------------------------

def oracle(rows, q):
    """rows: list of (region, round, respondent, role, {indicator: answer}). Returns dims and overall dicts."""
    groups: dict = {}
    for region, round_, _, role, answers in rows:
        groups.setdefault((region, round_), []).append((role, answers))
    dims_out, overall_out = {}, {}
    for key, people in groups.items():
        dim_scores = {}
        for dim in q.dimensions:
            values, weights, counted = [], [], 0
            for ind in dim.indicators:
                given_ = [a.get(ind.id) for role, a in people if ind.applies_to(role)]
                numbers = [v for v in given_ if isinstance(v, int)]
                if numbers:
                    values.append(statistics.median(numbers))
                    weights.append(ind.weight)
                    counted += 1
                elif "na" in given_ and "dk" not in given_:
                    counted += 1
            enough = counted / len(dim.indicators) >= q.min_completeness
            dim_scores[dim.id] = (sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)
                                  if enough and weights else None)
        dims_out[key] = dim_scores
        scored = [(s, q.dimension_by_id[d].weight) for d, s in dim_scores.items() if s is not None]
        overall_out[key] = (sum(s * w for s, w in scored) / sum(w for _, w in scored)
                            if 2 * len(scored) >= len(q.dimensions) and scored else None)
    return dims_out, overall_out


def respondent_rows(draw, q, regions=("01", "19"), rounds=("2025", "2026")):
    rows = []
    n = draw(st.integers(1, 8))
    roles = [r.id for r in q.roles]
    for i in range(n):
        region = draw(st.sampled_from(regions))
        round_ = draw(st.sampled_from(rounds))
        role = draw(st.sampled_from(roles))
        answers = {}
        for ind in q.indicators:
            if ind.applies_to(role):
                value = draw(st.sampled_from(ANSWERS))
                if value is not None:
                    answers[ind.id] = value
        rows.append((region, round_, f"r{i}", role, answers))
    return rows


@st.composite
def answer_rows(draw, q):
    return respondent_rows(draw, q)


def same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def frame_scores(scores, q):
    dims = {}
    for (region, round_, dim), value in scores.dimensions["score"].items():
        dims.setdefault((region, round_), {})[dim] = None if math.isnan(value) else value
    overall = {key: (None if math.isnan(v) else v) for key, v in scores.overall["score"].items()}
    return dims, overall


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.data())
def test_matches_the_oracle(example, data):
    rows = data.draw(answer_rows(example))
    dims, overall = frame_scores(score(sheets.from_rows(rows, example), example), example)
    want_dims, want_overall = oracle(rows, example)
    for key in want_dims:
        for dim, want in want_dims[key].items():
            assert same(dims[key][dim], want), (key, dim)
        assert same(overall[key], want_overall[key]), key


@SETTINGS
@given(data=st.data())
def test_scores_stay_on_the_scale(example, data):
    scores = score(sheets.from_rows(data.draw(answer_rows(example)), example), example)
    for frame, column in ((scores.indicators, "value"), (scores.dimensions, "score"), (scores.overall, "score")):
        values = frame[column].dropna()
        assert ((values >= 0) & (values <= 4)).all()
    assert scores.dimensions["percent"].dropna().between(0, 100).all()


@SETTINGS
@given(data=st.data())
def test_an_na_answer_never_changes_a_dimension_score(example, data):
    rows = data.draw(answer_rows(example))
    before, _ = frame_scores(score(sheets.from_rows(rows, example), example), example)
    r = data.draw(st.integers(0, len(rows) - 1))
    region, round_, ident, role, answers = rows[r]
    open_ = [i.id for i in example.indicators if i.applies_to(role) and i.id not in answers]
    if open_:
        target = data.draw(st.sampled_from(open_))
        changed = [*rows[:r], (region, round_, ident, role, {**answers, target: "na"}), *rows[r + 1:]]
    else:  # nothing left open for that respondent: a new respondent who answers only na
        changed = [*rows, (region, round_, "ny", "region", {example.indicators[0].id: "na"})]
    after, _ = frame_scores(score(sheets.from_rows(changed, example), example), example)
    for key, dims in before.items():
        for dim, value in dims.items():
            if value is not None:
                assert same(after[key][dim], value)


@SETTINGS
@given(data=st.data())
def test_permuting_respondents_changes_nothing(example, data):
    rows = data.draw(answer_rows(example))
    shuffled = data.draw(st.permutations(rows))
    a = score(sheets.from_rows(rows, example), example)
    b = score(sheets.from_rows(shuffled, example), example)
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions)
    pd.testing.assert_frame_equal(a.overall, b.overall)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)


@SETTINGS
@given(data=st.data())
def test_raising_one_answer_never_lowers_any_score(example, data):
    rows = data.draw(answer_rows(example))
    candidates = [(r, ind) for r, row in enumerate(rows) for ind, v in row[4].items() if isinstance(v, int) and v < 4]
    if not candidates:
        return
    r, ind = data.draw(st.sampled_from(candidates))
    region, round_, ident, role, answers = rows[r]
    raised = [*rows[:r], (region, round_, ident, role, {**answers, ind: answers[ind] + 1}), *rows[r + 1:]]
    a = score(sheets.from_rows(rows, example), example)
    b = score(sheets.from_rows(raised, example), example)
    for before, after in ((a.indicators["value"], b.indicators["value"]), (a.dimensions["score"], b.dimensions["score"]),
                          (a.overall["score"], b.overall["score"])):
        both = before.notna()
        assert after[both].notna().all()
        assert (after[both] >= before[both] - 1e-12).all()
    assert (b.dimensions["stage_index"] >= a.dimensions["stage_index"]).all()


def scaled(q, factor):
    dims = tuple(
        dataclasses.replace(
            d, weight=d.weight * factor,
            indicators=tuple(dataclasses.replace(i, weight=i.weight * factor) for i in d.indicators))
        for d in q.dimensions)
    return dataclasses.replace(q, dimensions=dims)


@SETTINGS
@given(data=st.data(), factor=st.sampled_from([0.001, 0.1, 3.0, 7.0, 1000.0]))
def test_scaling_all_weights_changes_nothing(example, data, factor):
    rows = data.draw(answer_rows(example))
    heavy = scaled(example, factor)
    a = score(sheets.from_rows(rows, example), example)
    b = score(sheets.from_rows(rows, heavy), heavy)
    np.testing.assert_allclose(a.dimensions["score"], b.dimensions["score"], rtol=1e-9)
    np.testing.assert_allclose(a.overall["score"], b.overall["score"], rtol=1e-9)
    assert a.dimensions["stage"].tolist() == b.dimensions["stage"].tolist()
    pa, pb = plan(a, example), plan(b, heavy)
    assert [list(g.index.get_level_values("dimension")) for _, g in pa.groupby(level=[0, 1])] == \
           [list(g.index.get_level_values("dimension")) for _, g in pb.groupby(level=[0, 1])]


@SETTINGS
@given(data=st.data())
def test_one_respondent_is_its_own_median(example, data):
    rows = data.draw(answer_rows(example))[:1]
    scores = score(sheets.from_rows(rows, example), example)
    region, round_, _, role, answers = rows[0]
    values = scores.indicators.loc[(region, round_)]
    for ind in example.indicators:
        answer = answers.get(ind.id)
        if isinstance(answer, int):
            assert values.loc[ind.id, "value"] == answer
            assert values.loc[ind.id, "spread"] == 0
        else:
            assert math.isnan(values.loc[ind.id, "value"])


def test_median_of_even_counts_and_status_rules(example):
    rows = [("01", "2025", f"r{i}", "region", {"D1.1": v}) for i, v in enumerate([0, 4, 1, 3])]
    rows += [("01", "2025", "na1", "region", {"D1.2": "na"}), ("01", "2025", "dk1", "region", {"D1.2": "na", "D1.3": "dk"})]
    values = score(sheets.from_rows(rows, example), example).indicators.loc[("01", "2025")]
    assert values.loc["D1.1", "value"] == 2.0  # median of 0, 1, 3, 4
    assert values.loc["D1.1", "spread"] == 4
    assert values.loc["D1.2", "status"] == "not_applicable"
    assert values.loc["D1.3", "status"] == "unknown"


def test_many_groups_at_once_equal_one_at_a_time(example):
    rng = np.random.default_rng(7)
    rows = []
    for region, round_ in [("01", "2025"), ("09", "2025"), ("01", "2026"), ("25", "2024")]:
        for i in range(rng.integers(1, 6)):
            rows.append((region, round_, f"r{i}", "region",
                         {ind.id: ANSWERS[rng.integers(0, 7)] for ind in example.indicators}))
    together = score(sheets.from_rows(rows, example), example).dimensions
    for key in {(r[0], r[1]) for r in rows}:
        alone = score(sheets.from_rows([r for r in rows if (r[0], r[1]) == key], example), example).dimensions
        pd.testing.assert_frame_equal(together.loc[key], alone.loc[key])


def test_answers_to_questions_not_asked_of_the_role_do_not_count(example):
    # D3.1 is asked of the region role only; a sheet built elsewhere might still carry a kommun answer
    rows = [("19", "2025", "k", "kommun", {"D3.1": 4}), ("19", "2025", "r", "region", {"D3.1": 1})]
    values = score(sheets.from_rows(rows, example), example).indicators.loc[("19", "2025")]
    assert values.loc["D3.1", "value"] == 1.0 and values.loc["D3.1", "asked"] == 1


def test_long_and_wide_sheets_agree(example):
    answers, q = parse(EXAMPLE_ANSWERS.read_bytes(), lambda ref: example, [r.code for r in load_regions()], example)
    wide = sheets.from_answers_file(answers, q)
    long = sheets.to_long(wide, q)
    again = sheets.from_long(long, q)
    pd.testing.assert_frame_equal(wide, again)


def test_empty_sheet_gives_empty_frames(example):
    scores = score(sheets.empty(example), example)
    assert scores.dimensions.empty and scores.overall.empty and scores.indicators.empty
    assert plan(scores, example).empty
