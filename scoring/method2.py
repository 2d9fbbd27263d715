"""Method 2 of docs/method.md ("Metod 2"), vectorised over any number of regions, rounds and respondents.

Per region and round: consensus values where a workshop recorded one, otherwise the role-balanced value
(the median of the role medians); Tastle–Wierman agreement; completeness over the indicators that apply;
non-compensatory stages; the overall score only with enough dimensions; the foundation flag; a stratified
bootstrap over respondents (within each role) for 90 % intervals, low-confidence flags and rank intervals.

Every figure, the point estimate and each bootstrap replicate alike, goes through the same array functions:
per stratum (region, round, role) the counts of each answer, then the role medians, the group's value,
the dimensions and the overall score. A replicate only changes how often each respondent counts, so the
counts of all replicates are one batched matrix product (weights × answers) and no Python loop runs per
replicate or per region. The result has the layout of method 1's frames (`scoring.score.Scores`) with
the columns of method 2 added, so every reader of method 1 reads method 2 too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from questionnaires.answers import NA as NA_ANSWER
from questionnaires.model import STAGE_TOLERANCE, Questionnaire
from scoring import bootstrap as boot
from scoring.agreement import consensus as agreement
from scoring.compare import MIN_GROUP
from scoring.plan import MAX_INDICATORS_PER_DIMENSION, priority
from scoring.score import (
    INSUFFICIENT,
    NOT_APPLICABLE,
    NOTHING_APPLICABLE,
    UNKNOWN,
    VALUE,
    Scores,
    _groups,
)
from scoring.score import score as score_method_1
from scoring.sheet import DK_CODE, MISSING, NA_CODE

CONSENSUS = "consensus"  # indicator status: the value a workshop agreed
STAGE_SHARE = 0.75  # stage k: at least this share of the valued indicators at k or above, none below k − 1
MIN_VALUED = 3  # a dimension needs min(3, applicable indicators) valued indicators
LOW_RESPONDENTS, LOW_ROLES, LOW_WIDTH, LOW_COMPLETENESS = 3, 2, 1.0, 0.9
FOUNDATION_BELOW, FOUNDATION_OVERALL = 2.0, 2.5
FOUNDATION = "foundation"  # the region-level flag "instabil grund"
ABOVE, WITHIN, BELOW = "above", "within", "below"  # tiers against the national median
CONSENSUS_COLUMNS = ["region", "round", "indicator", "value", "rationale", "evidence", "decided_at", "decided_by"]
ROLE_PREFIX = "role:"  # indicator columns with each role's median
LOW_COLUMNS = ("low_confidence", "low_respondents", "low_roles", "low_interval", "low_completeness")
EPSILON = 1e-9

_UNKNOWN, _VALUE, _NOT_APPLICABLE, _CONSENSUS = 0, 1, 2, 3
_STATUS = np.array([UNKNOWN, VALUE, NOT_APPLICABLE, CONSENSUS], dtype=object)
_NONE = 255  # no role median (the role gave no level)
_GROUP_BLOCK = 16_000_000  # role medians in one chunk of groups (roles × groups × replicates × indicators)
_BLOCK = 1_000_000  # floats in one batch of replicate counts (strata × replicates × features × indicators)


def score(sheet: pd.DataFrame, q: Questionnaire, consensus: pd.DataFrame | Iterable | None = None,
          replicates: int = boot.REPLICATES) -> Scores:
    """Method 2 for every (region, round) in `sheet`.

    `consensus`: the consensus records, a frame with CONSENSUS_COLUMNS (value 0..top or "na"), or rows in that
    order; default: `sheet.attrs["consensus"]` (set by `scoring.sheet.from_answers_file`). `replicates`: the
    bootstrap's B (0: no intervals).
    """
    if consensus is None:
        consensus = sheet.attrs.get("consensus")
    ind_ids = [ind.id for ind in q.indicators]
    top = q.scale_max
    codes = _clean(sheet, q)
    base = score_method_1(_with_codes(sheet, ind_ids, codes), q)
    groups, keys = _groups(sheet)
    n_groups, n_ind = len(keys), len(ind_ids)
    if n_groups == 0:
        return _empty(base, q)
    starts_d = _dimension_starts(q)

    # strata: (group, role), rows sorted by stratum and, within it, by the answers themselves, so that the
    # bootstrap's j-th respondent of a stratum does not depend on the order of the rows
    role_keys, role_names = _role_keys(sheet, q)
    n_role_keys = len(role_names)
    stratum_key = groups.astype(np.int64) * n_role_keys + role_keys
    order = np.lexsort([*(codes[:, i] for i in range(n_ind - 1, -1, -1)), stratum_key])
    codes = codes[order]
    strata, starts, sizes = np.unique(stratum_key[order], return_index=True, return_counts=True)
    s_group, s_role = strata // n_role_keys, strata % n_role_keys
    first_of_group = np.searchsorted(s_group, np.arange(n_groups))
    s_slot = np.arange(len(strata)) - first_of_group[s_group]
    n_slots = int(s_slot.max()) + 1

    features = _features(codes, top)  # (rows, features, indicators)
    counts = np.add.reduceat(features, starts, axis=0)  # (strata, features, indicators): the point estimate
    med2, has_na, has_dk = _role_stats(counts[..., None], top)  # the point estimate is one "replicate"
    fixed = _consensus(consensus, keys, q)
    value, status, _ = _values(med2, has_na, has_dk, s_group, s_slot, n_groups, n_slots, fixed)
    dims = {key: data[..., 0] for key, data in _dimensions(value, status, q, starts_d).items()}
    overall = _overall(dims["score"][..., None], q)[..., 0]
    value, status = value[..., 0], status[..., 0]

    # levels pooled over the roles, for agreement
    levels = _levels(counts, top)
    pooled = np.add.reduceat(levels, first_of_group, axis=0)  # (groups, indicators, levels)
    cns = agreement(pooled)
    flagged = np.nan_to_num(cns, nan=1.0) < q.disagreement_below - EPSILON

    # stages
    valued = (status == _VALUE) | (status == _CONSENSUS)
    dim_stage = np.where(np.isnan(dims["score"]), -1, _stage(value, valued, starts_d, top))
    dim_scored = dim_stage >= 0
    overall_stage = np.where(np.isnan(overall), -1,
                             _stage(dim_stage.astype(np.float64), dim_scored, np.array([0]), top)[:, 0])

    # the panel: respondents and roles who gave a level in each dimension (and anywhere)
    panel, panel_roles = _panel(codes, top, starts, first_of_group, s_group, starts_d, n_groups)
    by_answers = np.add.reduceat((status == _VALUE).astype(np.int64), starts_d, axis=-1)

    # the bootstrap
    seeds = np.array([boot.seed(q.ref, str(r), str(o)) for r, o in zip(keys["region"], keys["round"], strict=True)],
                     dtype=np.uint64)
    if replicates > 0:
        dim_reps, overall_reps = _replicates(features, starts, sizes, s_group, s_role, s_slot, n_slots, n_groups,
                                             first_of_group, seeds, fixed, q, starts_d, replicates,
                                             (med2, has_na, has_dk))
        dim_lo, dim_hi, dim_share = boot.interval(dim_reps)
        all_lo, all_hi, all_share = boot.interval(overall_reps)
    else:
        overall_reps = np.full((n_groups, 0), np.nan)
        dim_lo = dim_hi = dim_share = np.full(dims["score"].shape, np.nan)
        all_lo = all_hi = all_share = np.full(n_groups, np.nan)

    # low confidence: thin panel (unless every value is a workshop's consensus), wide interval, or incomplete
    dim_why = _low_confidence(dims["score"], by_answers == 0, panel[:, 1:], panel_roles[:, 1:], dim_lo, dim_hi,
                              dims["completeness"])
    n_valued_all, n_na_all = dims["valued"].sum(-1), dims["not_applicable"].sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        completeness_all = np.where(n_ind > n_na_all, n_valued_all / np.maximum(n_ind - n_na_all, 1), np.nan)
    all_why = _low_confidence(overall, by_answers.sum(-1) == 0, panel[:, 0], panel_roles[:, 0], all_lo, all_hi,
                              completeness_all)

    foundation_dims = np.array([dim.foundation for dim in q.dimensions], dtype=bool)
    weak_foundation = (foundation_dims & (dims["score"] < FOUNDATION_BELOW - EPSILON)).any(-1)
    foundation_flag = weak_foundation & (overall >= FOUNDATION_OVERALL - EPSILON)
    rank_median, rank_lo, rank_hi, tier = _tiers(keys, overall, all_lo, all_hi, overall_reps)

    # the frames: method 1's layout and data-quality columns, method 2's figures
    indicators = base.indicators.copy()
    indicators["value"] = value.ravel()
    indicators["status"] = _STATUS[status].ravel()
    indicators["agreement"] = cns.ravel()
    indicators["disagreement"] = flagged.ravel()
    indicators["consensus"] = (fixed["status"] != _UNKNOWN).ravel()
    for column in CONSENSUS_COLUMNS[4:]:
        indicators[column] = fixed[column].ravel()
    role_medians = np.full((len(role_names), n_groups, n_ind), np.nan)
    role_medians[s_role, s_group] = np.where(med2[..., 0] == _NONE, np.nan, med2[..., 0] / 2.0)
    for r, role in enumerate(q.roles):
        indicators[ROLE_PREFIX + role.id] = role_medians[r].ravel()

    dimensions = base.dimensions.copy()
    n_indicators = np.diff(np.append(starts_d, n_ind))
    for column, data in _stage_columns(q, dims["score"], dim_stage).items():
        dimensions[column] = data.to_numpy()
    for column, data in {
        "completeness": dims["completeness"],
        "sufficient": ~np.isnan(dims["score"]),
        "reason": np.where(~np.isnan(dims["score"]), "",
                           np.where(dims["applicable"] == 0, NOTHING_APPLICABLE, INSUFFICIENT)).astype(object),
        "answered": dims["valued"],
        "not_applicable": dims["not_applicable"],
        "unknown": n_indicators - dims["valued"] - dims["not_applicable"],
        "disagreements": np.add.reduceat(flagged.astype(np.int64), starts_d, axis=-1),
        "interval_lo": dim_lo, "interval_hi": dim_hi, "scored_share": dim_share,
        **dim_why,
        "panel": panel[:, 1:], "panel_roles": panel_roles[:, 1:],
        "foundation": np.broadcast_to(foundation_dims, dim_why["low_confidence"].shape),
    }.items():
        dimensions[column] = np.asarray(data).ravel()

    overall_frame = base.overall.copy()
    for column, data in _stage_columns(q, overall, overall_stage).items():
        overall_frame[column] = data.to_numpy()
    for column, data in {
        "dimensions_scored": dim_scored.sum(-1),
        "completeness": completeness_all,
        "interval_lo": all_lo, "interval_hi": all_hi, "scored_share": all_share,
        **all_why,
        "panel": panel[:, 0], "panel_roles": panel_roles[:, 0],
        "foundation_flag": foundation_flag,
        "rank_median": rank_median, "rank_lo": rank_lo, "rank_hi": rank_hi, "tier": tier,
    }.items():
        overall_frame[column] = data
    return Scores(indicators, dimensions, overall_frame)


def _low_confidence(scores, exempt, respondents, roles, lo, hi, completeness) -> dict[str, np.ndarray]:
    """`low_confidence` and why: fewer than 3 respondents or 2 roles gave a level (not asked when every value
    is a workshop's consensus), an interval wider than 1.0, or completeness below 0.9. Only for a score."""
    has = ~np.isnan(scores)
    with np.errstate(invalid="ignore"):
        why = {
            "low_respondents": has & ~exempt & (respondents < LOW_RESPONDENTS),
            "low_roles": has & ~exempt & (roles < LOW_ROLES),
            "low_interval": has & (hi - lo > LOW_WIDTH + EPSILON),
            "low_completeness": has & (completeness < LOW_COMPLETENESS - EPSILON),
        }
    return {"low_confidence": np.logical_or.reduce(list(why.values())), **why}


# -- the answers --------------------------------------------------------------------------------------------

def _clean(sheet: pd.DataFrame, q: Questionnaire) -> np.ndarray:
    """The codes method 2 counts: "na" where the indicator does not allow it, and answers to questions not
    asked of the respondent's role, count as missing."""
    ind_ids = [ind.id for ind in q.indicators]
    codes = sheet[ind_ids].to_numpy(dtype=np.uint8, copy=True) if len(sheet) else np.zeros((0, len(ind_ids)), np.uint8)
    refused = ~np.array([ind.na_allowed for ind in q.indicators], dtype=bool)
    if refused.any():
        codes[(codes == NA_CODE) & refused[None, :]] = MISSING
    roles = sheet["role"].astype(str).to_numpy() if len(sheet) else np.zeros(0, dtype=object)
    for role in pd.unique(roles):
        asked = np.array([ind.applies_to(role) for ind in q.indicators], dtype=bool)
        if not asked.all():
            codes[np.ix_(roles == role, ~asked)] = MISSING
    return codes


def _with_codes(sheet: pd.DataFrame, ind_ids: list[str], codes: np.ndarray) -> pd.DataFrame:
    if len(sheet) and np.array_equal(sheet[ind_ids].to_numpy(dtype=np.uint8), codes):
        return sheet
    rest = [column for column in sheet.columns if column not in set(ind_ids)]
    return pd.concat([sheet[rest].reset_index(drop=True), pd.DataFrame(codes, columns=ind_ids)], axis=1)


def _role_keys(sheet: pd.DataFrame, q: Questionnaire) -> tuple[np.ndarray, list[str]]:
    """Each row's role as its position among the questionnaire's roles (stable across sheets); a role the
    questionnaire does not know comes after them."""
    names = [role.id for role in q.roles]
    roles = sheet["role"].astype(str)
    extra = sorted(set(roles) - set(names))
    names += extra
    return pd.Index(names).get_indexer(roles).astype(np.int64), names


def _features(codes: np.ndarray, top: int) -> np.ndarray:
    """Per respondent (rows, features, indicators), float32: for k = 0..top−1, 2·[level ≤ k] − [any level];
    then [any level], ["na"], ["dk"]. Summed over respondents, the first ones are d_k = 2·c_k − n with c_k the
    number of levels ≤ k and n the number of levels: all a median needs, and linear in the weights."""
    numeric = codes <= top
    parts = [2 * (codes <= k).astype(np.int8) - numeric for k in range(top)]
    parts += [numeric, codes == NA_CODE, codes == DK_CODE]
    return np.stack(parts, axis=1).astype(np.float32)


def _levels(counts: np.ndarray, top: int) -> np.ndarray:
    """Counts per level 0..top, (strata, indicators, levels), from the summed features."""
    n = counts[:, top]
    cumulative = np.concatenate([(counts[:, :top] + n[:, None]) / 2.0, n[:, None]], axis=1)
    return np.moveaxis(np.diff(cumulative, axis=1, prepend=0.0), 1, -1)


def _role_stats(counts: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Twice each role's median (uint8, _NONE without a level), and whether it has "na" and "dk" answers:
    (strata, features, indicators, replicates) → (strata, indicators, replicates).

    The lower middle answer is the number of levels k < top with c_k ≤ ⌊(n − 1)/2⌋, i.e. with d_k < 0; the
    upper one counts the k with c_k ≤ ⌊n/2⌋, i.e. d_k ≤ 0 (d_k = 2·c_k − n, see `_features`).
    """
    med2 = np.zeros((counts.shape[0], *counts.shape[2:]), dtype=np.uint8)
    for k in range(top):
        d = counts[:, k]
        med2 += d < 0
        med2 += d <= 0
    med2[counts[:, top] < 0.5] = _NONE
    return med2, counts[:, top + 1] > 0.5, counts[:, top + 2] > 0.5


def _consensus(consensus, keys: pd.DataFrame, q: Questionnaire) -> dict[str, np.ndarray]:
    """The consensus records as (groups × indicators) arrays: status (_CONSENSUS, _NOT_APPLICABLE or
    _UNKNOWN for none), value, and the record's texts."""
    n_groups, n_ind = len(keys), len(q.indicators)
    fixed = {"status": np.full((n_groups, n_ind), _UNKNOWN, dtype=np.int8),
             "value": np.full((n_groups, n_ind), np.nan)}
    for column in CONSENSUS_COLUMNS[4:]:
        fixed[column] = np.full((n_groups, n_ind), None, dtype=object)
    frame = consensus_frame(consensus)
    if frame.empty:
        return fixed
    group = pd.MultiIndex.from_frame(keys.astype(str)).get_indexer(
        pd.MultiIndex.from_arrays([frame["region"].astype(str), frame["round"].astype(str)]))
    position = pd.Index([ind.id for ind in q.indicators]).get_indexer(frame["indicator"])
    for g, i, row in zip(group, position, frame.itertuples(index=False), strict=True):
        if g < 0 or i < 0:
            continue
        if row.value == NA_ANSWER:
            if not q.indicators[i].na_allowed:
                continue
            fixed["status"][g, i] = _NOT_APPLICABLE
        else:
            fixed["status"][g, i] = _CONSENSUS
            fixed["value"][g, i] = float(row.value)
        for column in CONSENSUS_COLUMNS[4:]:
            text = getattr(row, column)
            fixed[column][g, i] = text if isinstance(text, str) and text else None
    return fixed


def consensus_frame(consensus) -> pd.DataFrame:
    """Consensus records as a frame with CONSENSUS_COLUMNS, from a frame or from rows in that order."""
    if consensus is None:
        return pd.DataFrame(columns=CONSENSUS_COLUMNS)
    if isinstance(consensus, pd.DataFrame):
        frame = consensus.copy()
        for column in CONSENSUS_COLUMNS[4:]:
            if column not in frame:
                frame[column] = None
        return frame[CONSENSUS_COLUMNS]
    return pd.DataFrame([tuple(row) + (None,) * (len(CONSENSUS_COLUMNS) - len(row)) for row in consensus],
                        columns=CONSENSUS_COLUMNS)


# -- the value of an indicator ------------------------------------------------------------------------------

def _values(med2, has_na, has_dk, s_group, s_slot, n_groups, n_slots, fixed) -> tuple[np.ndarray, ...]:
    """The group's value and status per replicate: (strata, indicators, B) → (groups, indicators, B).

    The value is the median of the role medians (the mean of the two middle ones for an even count); with no
    level: not applicable when some "na" and no "dk", else unknown; a consensus record overrides both.
    """
    shape = (n_slots, n_groups, *med2.shape[1:])
    flags = np.zeros(shape, dtype=np.uint8)  # bit 1: some "na", bit 2: some "dk"
    flags[s_slot, s_group] = has_na.view(np.uint8) | (has_dk.view(np.uint8) << 1)
    flags = np.bitwise_or.reduce(flags, axis=0)
    na_any, dk_any = (flags & 1) > 0, (flags & 2) > 0
    dense = np.full(shape, _NONE, dtype=np.uint8)
    dense[s_slot, s_group] = med2
    _sort_first_axis(dense)  # the role medians of each cell in order, the missing ones (_NONE) last
    roles = (dense != _NONE).sum(0, dtype=np.int8)
    below, above = np.maximum(roles - 1, 0) // 2, roles // 2
    lower, upper = dense[0].copy(), dense[0].copy()
    for j in range(1, n_slots):
        np.copyto(lower, dense[j], where=below == j)
        np.copyto(upper, dense[j], where=above == j)
    value = np.where(roles > 0, (lower.astype(np.float64) + upper) / 4.0, np.nan)
    status = np.where(roles > 0, _VALUE, np.where(na_any & ~dk_any, _NOT_APPLICABLE, _UNKNOWN)).astype(np.int8)
    agreed = fixed["status"][..., None]
    value = np.where(agreed == _CONSENSUS, fixed["value"][..., None],
                     np.where(agreed == _NOT_APPLICABLE, np.nan, value))
    status = np.where(agreed != _UNKNOWN, agreed, status)
    return value, status, roles


def _sort_first_axis(x: np.ndarray) -> None:
    """Sort in place along the first (short) axis: odd–even transposition, elementwise over the rest."""
    n = x.shape[0]
    for step in range(n):
        for i in range(step % 2, n - 1, 2):
            low = np.minimum(x[i], x[i + 1])
            np.maximum(x[i], x[i + 1], out=x[i + 1])
            x[i] = low


# -- dimensions, overall, stages ----------------------------------------------------------------------------

def _dimension_starts(q: Questionnaire) -> np.ndarray:
    """Each dimension's first indicator: the indicators of a dimension are consecutive."""
    sizes = [len(dim.indicators) for dim in q.dimensions]
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def _dimensions(value, status, q, starts) -> dict[str, np.ndarray]:
    """Per dimension: valued and not-applicable counts, completeness, score; (…, indicators, B) → (…, dims, B)."""
    valued = (status == _VALUE) | (status == _CONSENSUS)
    weights = np.array([ind.weight for ind in q.indicators])[:, None]
    n_valued = np.add.reduceat(valued.astype(np.int64), starts, axis=-2)
    n_na = np.add.reduceat((status == _NOT_APPLICABLE).astype(np.int64), starts, axis=-2)
    numerator = np.add.reduceat(np.where(valued, value, 0.0) * weights, starts, axis=-2)
    denominator = np.add.reduceat(valued * weights, starts, axis=-2)
    n_indicators = np.diff(np.append(starts, len(q.indicators)))[:, None]
    applicable = n_indicators - n_na
    with np.errstate(invalid="ignore", divide="ignore"):
        completeness = n_valued / applicable
        raw = numerator / denominator
    enough = (applicable > 0) & (completeness >= q.min_completeness - 1e-12) \
        & (n_valued >= np.minimum(MIN_VALUED, applicable))
    return {"score": np.where(enough, raw, np.nan), "completeness": np.where(applicable > 0, completeness, np.nan),
            "valued": n_valued, "not_applicable": n_na, "applicable": applicable}


def _overall(scores: np.ndarray, q: Questionnaire) -> np.ndarray:
    """The weighted mean of the dimension scores when at least `min_dimensions` have one: (…, dims, B) → (…, B)."""
    weights = np.array([dim.weight for dim in q.dimensions])[:, None]
    has = ~np.isnan(scores)
    n_scored = has.sum(-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = (np.where(has, scores, 0.0) * weights).sum(-2) / (has * weights).sum(-2)
    return np.where((n_scored >= q.required_dimensions) & (n_scored > 0), raw, np.nan)


def _stage(values: np.ndarray, mask: np.ndarray, starts: np.ndarray, top: int) -> np.ndarray:
    """The non-compensatory stage per segment of the last axis: the highest k such that at least 75 % of
    the masked values are ≥ k and none is < k − 1; -1 for a segment without values."""
    n = np.add.reduceat(mask.astype(np.int64), starts, axis=-1)
    best = np.full(n.shape, -1, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        for k in range(top + 1):
            at_least = np.add.reduceat((mask & (values >= k - STAGE_TOLERANCE)).astype(np.int64), starts, axis=-1)
            below = np.add.reduceat((mask & (values < k - 1 - STAGE_TOLERANCE)).astype(np.int64), starts, axis=-1)
            reached = (n > 0) & (at_least >= STAGE_SHARE * n - EPSILON) & (below == 0)
            best = np.where(reached, k, best)
    return best


def _stage_columns(q: Questionnaire, scores: np.ndarray, stage: np.ndarray) -> pd.DataFrame:
    flat, index = scores.ravel(), stage.ravel()
    ids = np.array([s.id for s in q.stages], dtype=object)
    has = index >= 0
    return pd.DataFrame({
        "score": flat,
        "percent": flat / q.scale_max * 100.0,
        "stage": np.where(has, ids[np.clip(index, 0, len(ids) - 1)], None),
        "stage_index": np.where(has, np.minimum(index, len(ids) - 1), -1),
    })


def _panel(codes, top, starts, first_of_group, s_group, starts_d, n_groups) -> tuple[np.ndarray, np.ndarray]:
    """Respondents and roles with a level (groups × (all, dimension 1, …)): a partner who only answered
    "vet ej" or nothing is not part of the evidence."""
    has = codes <= top
    per_dim = np.add.reduceat(has.astype(np.int64), starts_d, axis=-1) > 0
    per_row = np.concatenate([has.any(-1, keepdims=True), per_dim], axis=-1).astype(np.int64)
    per_stratum = np.add.reduceat(per_row, starts, axis=0)
    respondents = np.add.reduceat(per_stratum, first_of_group, axis=0)
    roles = np.add.reduceat((per_stratum > 0).astype(np.int64), first_of_group, axis=0)
    assert respondents.shape[0] == n_groups
    return respondents, roles


# -- the bootstrap ------------------------------------------------------------------------------------------

def _replicates(features, starts, sizes, s_group, s_role, s_slot, n_slots, n_groups, first_of_group, seeds,
                fixed, q, starts_d, replicates, point) -> tuple[np.ndarray, np.ndarray]:
    """Dimension and overall scores of each bootstrap replicate: (groups, dimensions, B) and (groups, B).

    Within each stratum (region, round, role) the respondents are drawn with replacement, as many as there
    are; consensus values stay fixed. Groups are processed in chunks only to bound the memory.
    """
    n_features, n_ind = features.shape[1], features.shape[2]
    n_dims = len(q.dimensions)
    dim_reps = np.full((n_groups, n_dims, replicates), np.nan)
    overall_reps = np.full((n_groups, replicates), np.nan)
    per_stratum = replicates * n_ind * n_features
    batch = max(1, _BLOCK // per_stratum)  # strata per matrix product
    group_chunk = max(1, _GROUP_BLOCK // max(1, replicates * n_ind * n_slots))  # groups per chunk
    for g0 in range(0, n_groups, group_chunk):
        g1 = min(n_groups, g0 + group_chunk)
        s0, s1 = first_of_group[g0], (first_of_group[g1] if g1 < n_groups else len(starts))
        local = np.arange(s0, s1)
        med2 = np.empty((len(local), n_ind, replicates), dtype=np.uint8)
        has_na = np.empty((len(local), n_ind, replicates), dtype=bool)
        has_dk = np.empty((len(local), n_ind, replicates), dtype=bool)
        for size in np.unique(sizes[local]):
            same = local[sizes[local] == size]
            if size == 1:  # a role of one: every replicate draws that respondent, as in the point estimate
                for target, found in zip((med2, has_na, has_dk), point, strict=True):
                    target[same - s0] = found[same]
                continue
            for b0 in range(0, len(same), batch):
                chosen = same[b0:b0 + batch]
                w = boot.weights(seeds[s_group[chosen]], s_role[chosen], int(size), replicates)
                rows = starts[chosen][:, None] + np.arange(size)[None, :]
                x = features[rows].reshape(len(chosen), int(size), n_features * n_ind).transpose(0, 2, 1)
                counts = np.matmul(x, w.transpose(0, 2, 1)).reshape(len(chosen), n_features, n_ind, replicates)
                at = chosen - s0
                med2[at], has_na[at], has_dk[at] = _role_stats(counts, q.scale_max)
        part = {key: value[g0:g1] for key, value in fixed.items()}
        value, status, _ = _values(med2, has_na, has_dk, s_group[local] - g0, s_slot[local], g1 - g0, n_slots, part)
        dims = _dimensions(value, status, q, starts_d)["score"]  # (groups, dimensions, B)
        dim_reps[g0:g1] = dims
        overall_reps[g0:g1] = _overall(dims, q)
    return dim_reps, overall_reps


def _tiers(keys, overall, lo, hi, replicates) -> tuple[np.ndarray, ...]:
    """Per round, from the joint replicates: median rank, 90 % rank interval and the tier against the
    national median (the median of the regions' overall scores). Needs MIN_GROUP regions with a score."""
    n = len(keys)
    rank_median, rank_lo, rank_hi = (np.full(n, np.nan) for _ in range(3))
    tier = np.full(n, None, dtype=object)
    rounds = keys["round"].astype(str).to_numpy()
    for round_ in pd.unique(rounds):
        members = np.flatnonzero((rounds == round_) & ~np.isnan(overall))
        if len(members) < MIN_GROUP:
            continue
        median = float(np.median(overall[members]))
        tier[members] = np.where(lo[members] > median + EPSILON, ABOVE,
                                 np.where(hi[members] < median - EPSILON, BELOW, WITHIN))
        if replicates.shape[-1]:
            rank_median[members], rank_lo[members], rank_hi[members] = boot.ranks(replicates[members])
    return rank_median, rank_lo, rank_hi, tier


def _empty(base: Scores, q: Questionnaire) -> Scores:
    indicators = base.indicators.copy()
    for column in ("agreement", "consensus", *CONSENSUS_COLUMNS[4:], *(ROLE_PREFIX + r.id for r in q.roles)):
        indicators[column] = pd.Series(dtype=object)
    dimensions = base.dimensions.copy()
    for column in ("interval_lo", "interval_hi", "scored_share", *LOW_COLUMNS, "panel", "panel_roles",
                   "foundation"):
        dimensions[column] = pd.Series(dtype=object)
    overall = base.overall.copy()
    for column in ("completeness", "interval_lo", "interval_hi", "scored_share", *LOW_COLUMNS, "panel",
                   "panel_roles", "foundation_flag", "rank_median", "rank_lo", "rank_hi", "tier"):
        overall[column] = pd.Series(dtype=object)
    return Scores(indicators, dimensions, overall)


# -- the plan -----------------------------------------------------------------------------------------------

def plan(scores: Scores, q: Questionnaire, targets: Mapping[tuple[str, str, str] | str, str] | None = None,
         max_indicators: int = MAX_INDICATORS_PER_DIMENSION) -> pd.DataFrame:
    """Method 1's plan with method 2's order and gap (docs/method.md, "Metod 2", step 11).

    Target: the next stage (stage k is level k). Gap: the weighted mean of how far the valued indicators
    lie below the target level (a non-compensatory gap: an indicator above the target does not make up for
    one below). Priority: method 1's ((1 + gap)² − 1) × weight. Foundation dimensions scoring below 2.0 come
    first. A proposed indicator's prerequisites (`requires`) below their level get their step first.
    """
    targets = targets or {}
    stage_index = {stage.id: stage.index for stage in q.stages}
    top_stage = len(q.stages) - 1
    n_ind = len(q.indicators)
    values = scores.indicators["value"].to_numpy().reshape(-1, n_ind)
    status = scores.indicators["status"].to_numpy()
    valued = ((status == VALUE) | (status == CONSENSUS)).reshape(-1, n_ind)
    first = scores.indicators.index[::n_ind] if n_ind else []
    block = {(key[0], key[1]): i for i, key in enumerate(first)}
    dims = scores.dimensions
    rows = []
    for (region, round_, dim_id), score_, stage, current, sufficient in zip(
            dims.index, dims["score"], dims["stage"], dims["stage_index"], dims["sufficient"], strict=True):
        if not sufficient:
            continue
        group = block[(region, round_)]
        dimension = q.dimension_by_id[dim_id]
        chosen = targets.get((region, round_, dim_id), targets.get(dim_id))
        target_index = stage_index[chosen] if chosen in stage_index else min(int(current) + 1, top_stage)
        target = float(q.stages[target_index].lower)
        found = {ind.id: float(values[group, i]) for i, ind in enumerate(q.indicators) if valued[group, i]}
        own = [(ind.weight, found[ind.id]) for ind in dimension.indicators if ind.id in found]
        gap = sum(w * max(0.0, target - v) for w, v in own) / sum(w for w, _ in own)
        weak = dimension.foundation and float(score_) < FOUNDATION_BELOW - EPSILON
        rows.append({
            "region": region, "round": round_, "dimension": dim_id,
            "score": float(score_), "stage": stage,
            "target_stage": q.stages[target_index].id, "target": target,
            "gap": gap, "priority": priority(gap, dimension.weight), "foundation": weak,
            "actions": _proposals(q, dimension, found, target, max_indicators),
        })
    columns = ["region", "round", "dimension", "score", "stage", "target_stage", "target", "gap", "priority",
               "foundation", "actions"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        frame["rank"] = pd.Series(dtype=np.int64)
        return frame.set_index(["region", "round", "dimension"])
    order = {dim.id: i for i, dim in enumerate(q.dimensions)}
    frame["_order"] = frame["dimension"].map(order)
    frame["_priority"] = frame["priority"].round(9)
    frame["_later"] = ~frame["foundation"].astype(bool)
    frame = frame.sort_values(["region", "round", "_later", "_priority", "_order"],
                              ascending=[True, True, True, False, True])
    frame["rank"] = frame.groupby(["region", "round"]).cumcount() + 1
    return frame.drop(columns=["_order", "_priority", "_later"]).set_index(["region", "round", "dimension"])


def _proposals(q: Questionnaire, dimension, values: dict[str, float], target: float, limit: int) -> list[dict]:
    """The steps for the indicators furthest below `target` (as method 1), each preceded by the steps of its
    prerequisites that lie below the level it requires."""
    below = [
        (-(target - values[indicator.id]), -indicator.weight, position, indicator)
        for position, indicator in enumerate(dimension.indicators)
        if indicator.id in values and values[indicator.id] < target - EPSILON
    ]
    proposals: list[dict] = []
    done: set[str] = set()

    def step(indicator_id: str, needed_by: str | None, trail: tuple[str, ...]) -> None:
        indicator = q.indicator_by_id[indicator_id]
        for other, level in indicator.requires:
            if other in values and values[other] < level - EPSILON and other not in trail:
                step(other, indicator_id, (*trail, other))
        if indicator_id in done:
            return
        done.add(indicator_id)
        value = values[indicator_id]
        level = min(math.floor(value), q.scale_max - 1)
        for action in q.actions_for(indicator_id, level):
            item = {"id": action.id, "indicator": indicator_id, "value": value, "from_level": level,
                    "to_level": level + 1, "text": action.text}
            if needed_by is not None:
                item["prerequisite_for"] = needed_by
            proposals.append(item)

    for *_, indicator in sorted(below, key=lambda item: item[:3])[:limit]:
        step(indicator.id, None, (indicator.id,))
    return proposals
