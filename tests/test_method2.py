"""Method 2 (docs/method.md, "Metod 2"): an oracle written straight from the rules, and the properties the
issue asks for, over random answer sheets (hypothesis)."""

from __future__ import annotations

import dataclasses
import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from questionnaires import load
from scoring import bootstrap, method2, plan, score
from scoring import sheet as sheets
from scoring.agreement import consensus as cns
from scoring.score import score as score_method_1
from tests.conftest import ROOT

EXAMPLE_2 = ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml"
ANSWERS = [0, 1, 2, 3, 4, "na", "dk", None]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def q2():
    return load(EXAMPLE_2)


Q2 = load(EXAMPLE_2)
ROLES = [role.id for role in Q2.roles]
IDS = [ind.id for ind in Q2.indicators]


def respondent_strategy(roles=ROLES):
    return st.tuples(st.sampled_from(roles), st.fixed_dictionaries({i: st.sampled_from(ANSWERS) for i in IDS}))


def consensus_strategy():
    def value(ind):
        return st.sampled_from([0, 1, 2, 3, 4, "na"] if ind.na_allowed else [0, 1, 2, 3, 4])
    return st.dictionaries(st.sampled_from(IDS), st.just(None), max_size=4).flatmap(
        lambda chosen: st.fixed_dictionaries({i: value(Q2.indicator_by_id[i]) for i in chosen}))


def build(people, region="19", round_="2026", consensus=None):
    rows = [(region, round_, f"r{n}", role, {k: v for k, v in answers.items() if v is not None})
            for n, (role, answers) in enumerate(people)]
    records = [(region, round_, ind, value) for ind, value in (consensus or {}).items()]
    return sheets.from_rows(rows, Q2), records


# -- the oracle: the rules of docs/method.md, one region, plain Python ----------------------------------------

def oracle(q, people, consensus):
    values, statuses, roles_of = {}, {}, {}
    for ind in q.indicators:
        by_role, na, dk = {}, 0, 0
        for role, answers in people:
            answer = answers.get(ind.id)
            if answer is None or not ind.applies_to(role) or (answer == "na" and not ind.na_allowed):
                continue
            if answer == "na":
                na += 1
            elif answer == "dk":
                dk += 1
            else:
                by_role.setdefault(role, []).append(answer)
        medians = {role: statistics.median(levels) for role, levels in by_role.items()}
        roles_of[ind.id] = medians
        if ind.id in consensus:
            agreed = consensus[ind.id]
            values[ind.id] = None if agreed == "na" else float(agreed)
            statuses[ind.id] = "not_applicable" if agreed == "na" else "consensus"
        elif medians:
            values[ind.id], statuses[ind.id] = float(statistics.median(medians.values())), "value"
        else:
            values[ind.id] = None
            statuses[ind.id] = "not_applicable" if na and not dk else "unknown"
    dims = {}
    for dim in q.dimensions:
        valued = [ind for ind in dim.indicators if statuses[ind.id] in ("value", "consensus")]
        applicable = len(dim.indicators) - sum(statuses[ind.id] == "not_applicable" for ind in dim.indicators)
        completeness = len(valued) / applicable if applicable else None
        scored = applicable > 0 and completeness >= q.min_completeness - 1e-12 and len(valued) >= min(3, applicable)
        result = sum(ind.weight * values[ind.id] for ind in valued) / sum(ind.weight for ind in valued) \
            if scored else None
        dims[dim.id] = (result, completeness, stage_of([values[ind.id] for ind in valued]) if scored else None)
    scored = [(dim, dims[dim.id]) for dim in q.dimensions if dims[dim.id][0] is not None]
    total = None
    if scored and len(scored) >= q.required_dimensions:
        total = sum(dim.weight * s[0] for dim, s in scored) / sum(dim.weight for dim, _ in scored)
    total_stage = stage_of([s[2] for _, s in scored]) if total is not None else None
    return values, statuses, roles_of, dims, total, total_stage


def stage_of(values):
    best = None
    for k in range(5):
        if sum(v >= k - 1e-9 for v in values) >= 0.75 * len(values) - 1e-9 and all(v >= k - 1 - 1e-9 for v in values):
            best = k
    return best


def agreement_of(levels):
    if not levels:
        return None
    mean = sum(levels) / len(levels)
    shares = {level: levels.count(level) / len(levels) for level in set(levels)}
    return 1 + sum(p * math.log2(1 - abs(level - mean) / 4) for level, p in shares.items())


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=8), consensus=consensus_strategy())
def test_vectorised_method_2_agrees_with_the_rules(people, consensus):
    sheet, records = build(people, consensus=consensus)
    result = score(sheet, Q2, records, replicates=0)
    values, statuses, roles_of, dims, total, total_stage = oracle(Q2, people, consensus)
    ind = result.indicators.loc[("19", "2026")]
    for ident in IDS:
        assert ind.loc[ident, "status"] == statuses[ident]
        expected = values[ident]
        assert (math.isnan(ind.loc[ident, "value"]) if expected is None else ind.loc[ident, "value"] == expected)
        for role in ROLES:
            median = ind.loc[ident, method2.ROLE_PREFIX + role]
            assert (math.isnan(median) if role not in roles_of[ident] else median == roles_of[ident][role])
        levels = [a for role, answers in people for a in [answers.get(ident)]
                  if isinstance(a, int) and Q2.indicator_by_id[ident].applies_to(role)]
        found = agreement_of(levels)
        assert (math.isnan(ind.loc[ident, "agreement"]) if found is None
                else ind.loc[ident, "agreement"] == pytest.approx(found, abs=1e-12))
        assert bool(ind.loc[ident, "disagreement"]) == (found is not None and found < 0.5 - 1e-9)
    dim = result.dimensions.loc[("19", "2026")]
    for dim_id, (expected, completeness, stage) in dims.items():
        got = dim.loc[dim_id, "score"]
        assert (math.isnan(got) if expected is None else got == pytest.approx(expected, rel=1e-12))
        assert (dim.loc[dim_id, "stage_index"] == -1) if stage is None else dim.loc[dim_id, "stage"] == f"S{stage}"
        if completeness is not None:
            assert dim.loc[dim_id, "completeness"] == pytest.approx(completeness)
    overall = result.overall.loc[("19", "2026")]
    assert (math.isnan(overall["score"]) if total is None else overall["score"] == pytest.approx(total, rel=1e-12))
    assert (overall["stage"] is None) if total_stage is None else overall["stage"] == f"S{total_stage}"


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=7), consensus=consensus_strategy(),
       data=st.data())
def test_permuting_respondents_changes_nothing_not_even_the_intervals(people, consensus, data):
    order = data.draw(st.permutations(range(len(people))))
    first, records = build(people, consensus=consensus)
    second, _ = build([people[i] for i in order], consensus=consensus)
    a, b = score(first, Q2, records, replicates=64), score(second, Q2, records, replicates=64)
    for x, y in ((a.indicators, b.indicators), (a.dimensions, b.dimensions), (a.overall, b.overall)):
        pd.testing.assert_frame_equal(x, y)


@SETTINGS
@given(people=st.lists(respondent_strategy(roles=ROLES[:3]), min_size=1, max_size=6),
       newcomer=respondent_strategy(roles=ROLES[3:]))
def test_a_respondent_of_a_new_role_changes_a_value_only_through_its_role_median(people, newcomer):
    before = score(build(people)[0], Q2, replicates=0).indicators.loc[("19", "2026")]
    after = score(build([*people, newcomer])[0], Q2, replicates=0).indicators.loc[("19", "2026")]
    role, answers = newcomer
    for ind in Q2.indicators:
        answer = answers.get(ind.id)
        medians = [before.loc[ind.id, method2.ROLE_PREFIX + r] for r in ROLES[:3]]
        medians = [m for m in medians if not math.isnan(m)]
        if isinstance(answer, int) and ind.applies_to(role):
            assert after.loc[ind.id, method2.ROLE_PREFIX + role] == answer
            assert after.loc[ind.id, "value"] == statistics.median([*medians, answer])
        elif medians:
            assert after.loc[ind.id, "value"] == before.loc[ind.id, "value"]


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=6), consensus=consensus_strategy())
def test_consensus_values_are_never_changed_by_answers(people, consensus):
    assume(consensus)
    sheet, records = build(people, consensus=consensus)
    ind = score(sheet, Q2, records, replicates=0).indicators.loc[("19", "2026")]
    for ident, agreed in consensus.items():
        if agreed == "na":
            assert ind.loc[ident, "status"] == "not_applicable" and math.isnan(ind.loc[ident, "value"])
        else:
            assert ind.loc[ident, "status"] == "consensus" and ind.loc[ident, "value"] == agreed
        assert bool(ind.loc[ident, "consensus"])


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=6), data=st.data())
def test_raising_one_answer_never_lowers_a_role_median_a_value_a_score_or_a_stage(people, data):
    numeric = [(p, i) for p, (role, answers) in enumerate(people) for i in IDS
               if isinstance(answers.get(i), int) and answers[i] < 4]
    assume(numeric)
    p, ident = data.draw(st.sampled_from(numeric))
    raised = [(role, dict(answers)) for role, answers in people]
    raised[p][1][ident] = data.draw(st.integers(raised[p][1][ident] + 1, 4))
    a = score(build(people)[0], Q2, replicates=0)
    b = score(build(raised)[0], Q2, replicates=0)
    for column in ["value", *(method2.ROLE_PREFIX + r for r in ROLES)]:
        x, y = a.indicators[column].to_numpy(), b.indicators[column].to_numpy()
        assert (np.isnan(x) == np.isnan(y)).all() and (np.nan_to_num(y) >= np.nan_to_num(x)).all()
    x, y = a.dimensions["score"].to_numpy(), b.dimensions["score"].to_numpy()
    assert (np.isnan(x) == np.isnan(y)).all() and (np.nan_to_num(y) >= np.nan_to_num(x) - 1e-12).all()
    assert (b.dimensions["stage_index"].to_numpy() >= a.dimensions["stage_index"].to_numpy()).all()
    assert b.overall["stage_index"].iloc[0] >= a.overall["stage_index"].iloc[0]


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=6), consensus=consensus_strategy(),
       factor=st.sampled_from([0.5, 3.0, 7.25]))
def test_scaling_every_weight_changes_no_score_stage_or_plan_order(people, consensus, factor):
    scaled = dataclasses.replace(Q2, dimensions=tuple(
        dataclasses.replace(dim, weight=dim.weight * factor, indicators=tuple(
            dataclasses.replace(ind, weight=ind.weight * factor) for ind in dim.indicators))
        for dim in Q2.dimensions))
    sheet, records = build(people, consensus=consensus)
    a, b = score(sheet, Q2, records, replicates=32), score(sheet, scaled, records, replicates=32)
    for x, y in ((a.dimensions, b.dimensions), (a.overall, b.overall)):
        assert np.allclose(x["score"], y["score"], equal_nan=True, rtol=1e-12, atol=0)
        assert x["stage"].tolist() == y["stage"].tolist()
        assert np.allclose(x["interval_lo"], y["interval_lo"], equal_nan=True, rtol=1e-12, atol=0)
    assert list(plan(a, Q2).index) == list(plan(b, scaled).index)


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=8), consensus=consensus_strategy())
def test_a_stage_never_exceeds_the_level_three_quarters_of_the_indicators_reach(people, consensus):
    sheet, records = build(people, consensus=consensus)
    result = score(sheet, Q2, records, replicates=0)
    ind = result.indicators.loc[("19", "2026")]
    for dim in Q2.dimensions:
        row = result.dimensions.loc[("19", "2026", dim.id)]
        if row["stage_index"] < 0:
            continue
        values = [ind.loc[i.id, "value"] for i in dim.indicators if ind.loc[i.id, "status"] in ("value", "consensus")]
        k = row["stage_index"]
        assert sum(v >= k for v in values) >= 0.75 * len(values) and min(values) >= k - 1


# -- agreement -------------------------------------------------------------------------------------------------

@given(st.lists(st.integers(0, 20), min_size=5, max_size=5))
def test_agreement_lies_between_zero_and_one(counts):
    found = cns(np.array(counts))
    assert math.isnan(found) if sum(counts) == 0 else 0.0 <= found <= 1.0


@given(st.integers(0, 4), st.integers(1, 50))
def test_agreement_is_one_when_everyone_gives_the_same_level(level, n):
    counts = np.zeros(5)
    counts[level] = n
    assert cns(counts) == 1.0


@given(st.integers(1, 50))
def test_agreement_is_zero_for_an_even_split_between_the_ends(n):
    assert cns(np.array([n, 0, 0, 0, n])) == 0.0


def test_agreement_of_the_worked_example():
    assert round(float(cns(np.array([0, 2, 1, 1, 0]))), 3) == 0.692  # D1.1: 1, 1, 2, 3
    assert round(float(cns(np.array([1, 1, 0, 0, 1]))), 3) == 0.232  # D1.2: 0, 1, 4


# -- uncertainty ------------------------------------------------------------------------------------------------

@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=8), consensus=consensus_strategy())
def test_every_interval_is_ordered_and_the_share_is_a_share(people, consensus):
    sheet, records = build(people, consensus=consensus)
    result = score(sheet, Q2, records, replicates=100)
    for frame in (result.dimensions, result.overall):
        lo, hi = frame["interval_lo"].to_numpy(float), frame["interval_hi"].to_numpy(float)
        assert (np.isnan(lo) == np.isnan(hi)).all() and (lo[~np.isnan(lo)] <= hi[~np.isnan(hi)]).all()
        share = frame["scored_share"].to_numpy(float)
        assert ((share >= 0) & (share <= 1)).all()


@SETTINGS
@given(answers=st.fixed_dictionaries({i: st.sampled_from(ANSWERS) for i in IDS}),
       roles=st.lists(st.sampled_from(ROLES), min_size=1, max_size=8))
def test_identical_answers_from_everyone_give_a_zero_width_interval_at_the_score(answers, roles):
    sheet, _ = build([(role, answers) for role in roles])
    result = score(sheet, Q2, replicates=200)
    for frame in (result.dimensions, result.overall):
        scored = ~frame["score"].isna()
        assert (frame.loc[scored, "interval_lo"] == frame.loc[scored, "score"]).all()
        assert (frame.loc[scored, "interval_hi"] == frame.loc[scored, "score"]).all()
        assert (frame.loc[scored, "scored_share"] == 1.0).all()


@SETTINGS
@given(people=st.lists(respondent_strategy(), min_size=1, max_size=6),
       agreed=st.fixed_dictionaries({i: st.integers(0, 4) for i in IDS}))
def test_all_consensus_values_give_a_zero_width_interval_at_the_score(people, agreed):
    sheet, records = build(people, consensus=agreed)
    result = score(sheet, Q2, records, replicates=200)
    for frame in (result.dimensions, result.overall):
        scored = ~frame["score"].isna()
        assert scored.any()
        assert (frame.loc[scored, "interval_lo"] == frame.loc[scored, "score"]).all()
        assert (frame.loc[scored, "interval_hi"] == frame.loc[scored, "score"]).all()


def test_the_bootstrap_is_reproducible_and_a_region_does_not_depend_on_the_others():
    from tests.sample_data import synthetic_sheet

    sheet = synthetic_sheet(Q2, rounds=("2025", "2026"), regions=["01", "03", "19"], respondents=12, seed=3)
    together = score(sheet, Q2, replicates=300)
    again = score(sheet.sample(frac=1.0, random_state=1).reset_index(drop=True), Q2, replicates=300)
    alone = score(sheet[sheet["region"] == "19"].reset_index(drop=True), Q2, replicates=300)
    columns = ["interval_lo", "interval_hi", "scored_share"]
    pd.testing.assert_frame_equal(together.dimensions[columns], again.dimensions[columns])
    pd.testing.assert_frame_equal(together.dimensions.loc[["19"], columns], alone.dimensions[columns])
    pd.testing.assert_frame_equal(together.overall.loc[["19"], columns], alone.overall[columns])
    assert (together.dimensions["interval_hi"] > together.dimensions["interval_lo"]).any()  # it does vary


def test_the_seed_depends_on_instrument_region_and_round():
    seeds = {bootstrap.seed(*parts) for parts in [("a@1", "19", "2026"), ("a@2", "19", "2026"),
                                                   ("a@1", "01", "2026"), ("a@1", "19", "2025")]}
    assert len(seeds) == 4 and bootstrap.seed("a@1", "19", "2026") == bootstrap.seed("a@1", "19", "2026")


def test_draws_are_uniform_enough():
    picked = bootstrap.draws(np.array([1, 2], dtype=np.uint64), np.array([0, 0]), 5, 20_000)
    counts = np.bincount(picked.ravel(), minlength=5) / picked.size
    assert np.allclose(counts, 0.2, atol=0.01) and not np.array_equal(picked[0], picked[1])


def test_intervals_take_the_percentiles_of_the_replicates_that_have_a_score():
    replicates = np.array([[1.0, 2.0, np.nan, 3.0, 4.0], [np.nan] * 5])
    lo, hi, share = bootstrap.interval(replicates)
    assert lo[0] == pytest.approx(np.quantile([1, 2, 3, 4], 0.05)) and hi[0] == pytest.approx(np.quantile([1, 2, 3, 4], 0.95))
    assert np.isnan(lo[1]) and share.tolist() == [0.8, 0.0]


def test_low_confidence_says_why_in_plain_words():
    from scoring.explain import uncertain

    sheet, _ = build([("region", {i: 3 for i in IDS if i != "D3.3"})])
    dims = score(sheet, Q2, replicates=50).dimensions.loc[("19", "2026")]
    assert bool(dims.loc["D1", "low_confidence"]) and bool(dims.loc["D1", "low_respondents"])
    assert bool(dims.loc["D1", "low_roles"]) and not bool(dims.loc["D1", "low_interval"])
    assert uncertain(["respondents", "roles"], "sv", respondents=1) == \
        "Osäkert: bara en partner har svarat; alla svar kommer från samma slags aktör."
    assert uncertain(["respondents"], "en", respondents=2) == "Uncertain: only 2 partners have answered."
    assert uncertain([], "sv") == ""


def test_a_dimension_valued_only_by_consensus_needs_no_panel():
    sheet, records = build([("region", {})], consensus={i: 3 for i in IDS if i.startswith("D1")})
    dims = score(sheet, Q2, records, replicates=50).dimensions.loc[("19", "2026")]
    assert dims.loc["D1", "score"] == 3.0 and not bool(dims.loc["D1", "low_confidence"])


# -- comparison: tiers and rank intervals -------------------------------------------------------------------------

def test_tiers_and_rank_intervals_from_joint_replicates():
    people = {"01": 1, "03": 2, "04": 2, "05": 3, "19": 4}
    rows = []
    for region, level in people.items():
        for n, role in enumerate(["region", "kommun", "kommun", "af"]):
            rows.append((region, "2026", f"{region}-{n}", role, {i: level for i in IDS if i != "D3.3"}))
    result = score(sheets.from_rows(rows, Q2), Q2, replicates=100).overall.xs("2026", level="round")
    assert result.loc["19", "tier"] == method2.ABOVE and result.loc["01", "tier"] == method2.BELOW
    assert result.loc["03", "tier"] == method2.WITHIN
    assert (result.loc["19", "rank_median"], result.loc["19", "rank_lo"], result.loc["19", "rank_hi"]) == (1, 1, 1)
    assert (result.loc["03", "rank_lo"], result.loc["03", "rank_hi"]) == (3, 3)  # shares the rank with 04
    single = score(sheets.from_rows(rows[:4], Q2), Q2, replicates=10).overall
    assert single["tier"].iloc[0] is None  # fewer than three regions: no tier


# -- the dispatcher -------------------------------------------------------------------------------------------------

def test_a_questionnaire_without_method_2_is_scored_by_method_1_unchanged(example):
    from tests.sample_data import synthetic_sheet

    assert example.method == 1
    sheet = synthetic_sheet(example, rounds=("2025",), regions=["01", "19"])
    a, b = score(sheet, example), score_method_1(sheet, example)
    for x, y in ((a.indicators, b.indicators), (a.dimensions, b.dimensions), (a.overall, b.overall)):
        pd.testing.assert_frame_equal(x, y)
