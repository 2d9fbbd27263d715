"""Disclosure control: before a round is published, no regional user can recover another region's score.

The attacker here is a regional lead who reads everything the store offers and tries to line the results
up with the roster, as the review did when 14–15 of 15–16 unpublished regions were re-identified.
"""

from __future__ import annotations

import contextlib
import itertools
import json

import pandas as pd
import pytest

import store
from questionnaires.regions import load_regions
from scoring import compare, score
from store.comparison import K

ROUND = "2025"
# Every region of the roster but Stockholm (01) and Gotland (09) submits, each with its own answers, so that
# the peer groups have sizes 1–5 (NUTS2) and the size groups their real sizes.
SUBMITTING = [r.code for r in load_regions() if r.code not in ("01", "09")]


def _answers(q, code: str) -> dict[str, int]:
    """Distinct answers per region: a region's scores identify it if they ever leave the store."""
    seed = int(code)
    return {ind.id: (seed + i) % 5 for i, ind in enumerate(q.indicators)}


def _world(db, example, published: bool = False, regions=SUBMITTING):
    system = store.system_identity("tester")
    store.register_questionnaire(db, system, example)
    store.open_round(db, system, ROUND, example.ref)
    for code in regions:
        assessment = store.ensure_assessment(db, system, code, ROUND)
        for n, role in enumerate(("region", "kommun")):
            sheet = store.add_respondent(db, system, assessment.id, f"Part {n}", role)
            for indicator, value in _answers(example, code).items():
                if example.indicator_by_id[indicator].applies_to(role):
                    store.save_answer(db, system, sheet.id, indicator, (value + n) % 5)
        store.submit_assessment(db, system, assessment.id)
    if published:
        store.close_round(db, system, ROUND)
        store.publish_round(db, system, ROUND)
    store.create_user(db, system, "ledare19@test.se", "Ledare", password="x" * 12, regions={"19": "lead"})
    return store.identity_for_email(db, "ledare19@test.se")


def _truth(db, example) -> pd.DataFrame:
    sheet, _ = store.answer_sheet(db, store.system_identity("tester"), example.ref, rounds=[ROUND])
    return score(sheet, example).dimensions


def _numbers(value) -> list[float]:
    """Every number in a released object, wherever it sits."""
    if isinstance(value, pd.DataFrame):
        return [float(v) for v in value.select_dtypes("number").to_numpy().ravel() if v == v]
    if isinstance(value, pd.Series):
        return [float(v) for v in pd.to_numeric(value, errors="coerce").to_numpy() if v == v]
    return []


def _everything_a_lead_can_read(db, lead, example) -> dict[str, object]:
    """What every read operation of the store gives the lead of 19, for every region."""
    found: dict[str, object] = {}
    basis = store.comparison_basis(db, lead, example.ref)
    found["basis.scores"] = basis.scores
    found["basis.statistics"] = basis.statistics
    found["answer_sheet"] = store.answer_sheet(db, lead, example.ref)
    found["assessments"] = store.list_assessments(db, lead, ROUND)
    system = store.system_identity("tester")
    for code in SUBMITTING:
        if code == "19":
            continue
        other = store.get_assessment(db, system, code, ROUND).id
        for name, call in (("respondents", store.list_respondents), ("answers", store.current_answers),
                           ("plan", store.plan_items)):
            with contextlib.suppress(store.Forbidden, store.NotFound):
                found[f"{name}:{code}"] = call(db, lead, other)
    return found


def test_a_regional_lead_recovers_no_other_regions_score_before_publication(db, example):
    lead = _world(db, example)
    truth = _truth(db, example)
    seen = _everything_a_lead_can_read(db, lead, example)

    # 1. Nothing per region but the own: no vectors, no pseudonyms, no rows of other regions.
    assert set(seen["basis.scores"].overall.index.get_level_values("region")) == {"19"}
    assert set(seen["answer_sheet"][0]["region"]) <= {"19"}
    assert {a.region for a in seen["assessments"]} <= {"19"}
    assert not [key for key in seen if ":" in key], "another region's sheets, answers or plan were readable"

    # 2. The attack of the review: line per-region vectors up with the roster. There is nothing to line up.
    per_region = seen["basis.scores"].dimensions.drop(index="19", level="region", errors="ignore")
    assert per_region.empty

    # 3. Group statistics rest on ≥ k regions other than the lead's own, and equal the others' true figures.
    stats = seen["basis.statistics"]
    others = truth.drop(index="19", level="region")
    expected = compare.national_summary(others)
    released = stats.national[~stats.national["suppressed"]]
    assert (released["n"] >= K).all() and len(released) == len(expected)
    pd.testing.assert_series_equal(released["median"], expected["median"].loc[released.index], check_names=False)
    assert "min" not in stats.national.columns and "max" not in stats.national.columns
    for frame in (stats.peers, stats.peers_overall):
        shown = frame[~frame["suppressed"]]
        assert (shown["n"] >= K).all()
        assert frame[frame["suppressed"]]["median"].isna().all()

    # 4. Recovery attempt: a value is recovered when a released number is within 0.05 of one region's score
    #    and the group behind it is small enough to pin that region down (fewer than k members).
    for frame in (stats.peers,):
        for (peer_by, _, group, dimension), row in frame.iterrows():
            if row["suppressed"]:
                continue
            members = [r.code for r in load_regions() if getattr(r, peer_by) == group and r.code != "19"]
            values = others.xs(dimension, level="dimension")["score"]
            values = values[values.index.get_level_values("region").isin(members)].dropna()
            close = (values - row["median"]).abs() < 0.05
            assert len(values) >= K or not close.any()

    # 5. The same call gives the same answer: nothing random to average away, nothing to link across calls.
    again = store.comparison_basis(db, lead, example.ref).statistics
    pd.testing.assert_frame_equal(again.national, stats.national)
    json.dumps({key: _numbers(value) for key, value in seen.items()})  # everything is plain numbers


def test_the_own_region_is_left_out_of_its_own_comparison(db, example):
    lead = _world(db, example)
    truth = _truth(db, example)
    stats = store.comparison_basis(db, lead, example.ref).statistics
    with_own = compare.national_summary(truth)
    without = compare.national_summary(truth.drop(index="19", level="region"))
    assert (stats.national["n"] == without["n"]).all() and (stats.national["n"] < with_own["n"]).all()
    # a change of the own region's answers after submission cannot move the others' statistics
    assessment = store.get_assessment(db, lead, "19", ROUND)
    system = store.system_identity("tester")
    store.reopen_assessment(db, system, assessment.id)
    sheet = store.list_respondents(db, lead, assessment.id)[0]
    store.save_answer(db, lead, sheet.id, example.indicators[0].id, 4)
    store.submit_assessment(db, system, assessment.id)
    pd.testing.assert_frame_equal(store.comparison_basis(db, lead, example.ref).statistics.national, stats.national)


@pytest.mark.parametrize(("submitting", "others", "released"), [
    # NUTS2 SE21 = 06, 07, 08, 09 (four regions); the lead is in 06
    (["06", "07"], 1, False),
    (["06", "07", "08"], 2, False),  # a group of 3 with the own region: the "peer median" was a neighbour's score
    (["06", "07", "08", "09"], 3, True),
    (["07", "08", "09"], 3, True),  # the own region has not submitted: the group is still 3 others
])
def test_the_k_rule_counts_regions_other_than_the_callers_own(db, example, submitting, others, released):
    system = store.system_identity("tester")
    store.register_questionnaire(db, system, example)
    store.open_round(db, system, ROUND, example.ref)
    for code in submitting:
        assessment = store.ensure_assessment(db, system, code, ROUND)
        sheet = store.add_respondent(db, system, assessment.id, "Part", "region")
        for indicator, value in _answers(example, code).items():
            store.save_answer(db, system, sheet.id, indicator, value)
        store.submit_assessment(db, system, assessment.id)
    store.create_user(db, system, "ledare06@test.se", "Ledare", password="x" * 12, regions={"06": "lead"})
    lead = store.identity_for_email(db, "ledare06@test.se")
    stats = store.comparison_basis(db, lead, example.ref).statistics
    peers = stats.peers.xs(("nuts2", ROUND, "SE21"), level=[0, 1, 2])
    assert (peers["n"] == others).all()
    assert (~peers["suppressed"]).all() == released
    assert peers["median"].notna().all() == released
    national = stats.national
    assert (national["n"] == others).all() and (~national["suppressed"]).all() == released
    assert bool(stats.regions.get(ROUND, 0)) == released


def test_national_roles_and_published_rounds_see_regions_by_name(db, example):
    lead = _world(db, example, published=True)
    basis = store.comparison_basis(db, lead, example.ref)
    assert set(basis.scores.overall.index.get_level_values("region")) == set(SUBMITTING)
    assert basis.statistics is None


def test_no_two_released_groups_differ_by_fewer_than_k_regions(db, example):
    """A difference of two medians must not point at one or two regions (complementary suppression)."""
    lead = _world(db, example)
    truth = _truth(db, example).drop(index="19", level="region")
    stats = store.comparison_basis(db, lead, example.ref).statistics
    roster = {r.code: r for r in load_regions()}
    for dimension in example.dimensions:
        scored = set(truth.xs((ROUND, dimension.id), level=["round", "dimension"])["score"].dropna().index)
        released = []
        if not stats.national.loc[(ROUND, dimension.id), "suppressed"]:
            released.append(scored)
        for (peer_by, _, group, dim), row in stats.peers.iterrows():
            if dim == dimension.id and not row["suppressed"]:
                released.append({c for c in scored if getattr(roster[c], peer_by) == group})
        for a, b in itertools.combinations(released, 2):
            assert len(a ^ b) == 0 or len(a ^ b) >= K, (dimension.id, sorted(a), sorted(b))
    # Västmanland's NUTS2 peers (03, 04, 05, 18) differ from its size group's (03, 04, 05, 06, 13, 18) by two
    # regions: the smaller group is suppressed although it has four members
    se12 = stats.peers.xs(("nuts2", ROUND, "SE12"), level=[0, 1, 2])
    assert (se12["n"] == 4).all() and se12["suppressed"].all() and se12["median"].isna().all()
