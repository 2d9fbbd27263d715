"""scoring.compare: national distributions, peer groups with suppression, stages, change, strengths and gaps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires import load_regions
from scoring import compare


def frame(values: dict[tuple[str, str, str], float | None], stages: dict | None = None) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(list(values), names=["region", "round", "dimension"])
    data = pd.DataFrame({"score": [np.nan if v is None else v for v in values.values()]}, index=index)
    data["stage"] = [(stages or {}).get(key) for key in values]
    return data


def test_national_summary_matches_numpy_and_skips_missing_scores():
    data = frame({("01", "2025", "D1"): 1.0, ("03", "2025", "D1"): 2.0, ("04", "2025", "D1"): 4.0,
                  ("05", "2025", "D1"): None, ("01", "2025", "D2"): None})
    summary = compare.national_summary(data)
    d1 = summary.loc[("2025", "D1")]
    assert d1["n"] == 3 and d1["median"] == 2.0 and d1["min"] == 1.0 and d1["max"] == 4.0
    assert d1["q1"] == pytest.approx(np.percentile([1, 2, 4], 25)) and d1["q3"] == pytest.approx(3.0)
    d2 = summary.loc[("2025", "D2")]
    assert d2["n"] == 0 and math.isnan(d2["median"])  # no region scored: nothing, not zero


def test_national_summary_of_overall_scores(national_scores):
    summary = compare.national_summary(national_scores.overall)
    assert list(summary.index) == ["2024", "2025"] and list(summary.columns) == compare.STATS
    assert summary.loc["2025", "n"] == 21


def test_peer_groups_come_from_the_roster():
    groups = compare.peer_groups(load_regions())
    assert groups["01"] == "A" and groups["09"] == "D" and len(groups) == 21
    assert compare.peer_groups(load_regions(), "nuts2")["01"] == "SE11"
    with pytest.raises(ValueError):
        compare.peer_groups(load_regions(), "county")


def test_peer_median_is_suppressed_below_k():
    data = frame({("01", "r", "D1"): 1.0, ("03", "r", "D1"): 3.0, ("04", "r", "D1"): 2.0, ("05", "r", "D1"): 4.0})
    groups = {"01": "X", "03": "X", "04": "X", "05": "Y"}
    peers = compare.peer_summary(data, groups, k=3)
    assert peers.loc[("r", "X", "D1"), "median"] == 2.0 and not peers.loc[("r", "X", "D1"), "suppressed"]
    assert math.isnan(peers.loc[("r", "Y", "D1"), "median"]) and peers.loc[("r", "Y", "D1"), "suppressed"]
    assert "region" not in peers.index.names  # only anonymous aggregates leave the function


def test_region_comparison_suppresses_national_figures_with_fewer_than_k_regions():
    data = frame({("01", "r", "D1"): 1.0, ("03", "r", "D1"): 3.0})
    row = compare.region_comparison(data, "01", "r", {"01": "A", "03": "A"}, k=3).loc["D1"]
    assert row["score"] == 1.0 and row["national_n"] == 2 and row["national_suppressed"]
    assert math.isnan(row["national_median"]) and math.isnan(row["national_min"]) and row["peer_suppressed"]


def test_region_comparison_for_dimensions_and_overall(national_scores):
    groups = compare.peer_groups(load_regions())
    dims = compare.region_comparison(national_scores.dimensions, "19", "2025", groups)
    national = compare.national_summary(national_scores.dimensions).xs("2025", level="round")
    assert list(dims.index) == [f"D{i}" for i in range(1, 11)]
    assert (dims["national_median"] == national["median"]).all()
    assert dims["versus_national"].equals(dims["score"] - dims["national_median"])
    overall = compare.region_comparison(national_scores.overall, "19", "2025", groups)
    assert list(overall.index) == ["2025"] and overall.iloc[0]["peer_group"] == "C"


def test_stage_distribution_counts_every_stage_and_the_unscored(example):
    data = frame({("01", "r", "D1"): 1.0, ("03", "r", "D1"): None, ("04", "r", "D1"): 3.2},
                 {("01", "r", "D1"): "S1", ("04", "r", "D1"): "S3"})
    counts = compare.stage_distribution(data, example)
    assert list(counts.loc[("r", "D1")].index) == ["S0", "S1", "S2", "S3", "S4", compare.NO_STAGE]
    assert counts.loc[("r", "D1", "S1"), "regions"] == 1 and counts.loc[("r", "D1", compare.NO_STAGE), "regions"] == 1
    assert counts.loc[("r", "D1"), "share"].sum() == pytest.approx(1.0)


def test_changes_follow_the_callers_round_order():
    data = frame({("01", "vår", "D1"): 2.0, ("01", "höst", "D1"): 1.5, ("03", "höst", "D1"): 3.0})
    change = compare.changes(data, ["höst", "vår"])  # autumn came first
    assert list(change.index) == [("01", "vår", "D1")]
    row = change.iloc[0]
    assert row["previous_round"] == "höst" and row["previous"] == 1.5 and row["change"] == 0.5
    assert compare.changes(data, ["vår"]).empty


def test_strengths_and_gaps_never_overlap():
    data = frame({("01", "r", "D1"): 1.0, ("01", "r", "D2"): 3.0, ("01", "r", "D3"): 2.0, ("01", "r", "D4"): None})
    strengths, gaps = compare.strengths_and_gaps(data, "01", "r", n=3)
    assert strengths == ["D2", "D3"] and gaps == ["D1"]
    single = frame({("01", "r", "D1"): 2.0})
    assert compare.strengths_and_gaps(single, "01", "r") == (["D1"], [])


scores_strategy = st.lists(st.one_of(st.none(), st.floats(0, 4, allow_nan=False)), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(values=scores_strategy, k=st.integers(1, 5))
def test_properties_of_the_aggregates(values, k):
    codes = [r.code for r in load_regions()][: len(values)]
    data = frame({(code, "r", "D1"): value for code, value in zip(codes, values, strict=False)})
    present = [v for v in values[: len(codes)] if v is not None]
    summary = compare.national_summary(data).loc[("r", "D1")]
    assert summary["n"] == len(present)
    if present:
        assert summary["min"] <= summary["q1"] <= summary["median"] <= summary["q3"] <= summary["max"]
        assert summary["median"] == pytest.approx(float(np.median(present)))
    groups = {code: "G" for code in codes}
    peers = compare.peer_summary(data, groups, k).loc[("r", "G", "D1")]
    assert bool(peers["suppressed"]) == (len(present) < k)
    assert math.isnan(peers["median"]) == (len(present) < k or not present)
