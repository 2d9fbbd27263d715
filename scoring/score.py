"""The scoring method of docs/method.md, vectorised over any number of regions, rounds and respondents.

Every figure derives from one tensor: for each (region, round) group and indicator, how many respondents
gave each level, `na`, `dk`, or nothing. Medians, spreads and shares are read off those counts, so the cost
is one pass over the answer sheet whatever the number of groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from questionnaires.model import STAGE_TOLERANCE, Questionnaire
from scoring.sheet import DK_CODE, MISSING, NA_CODE

VALUE, NOT_APPLICABLE, UNKNOWN = "value", "not_applicable", "unknown"
INSUFFICIENT, NOTHING_APPLICABLE = "insufficient", "not_applicable"
GROUP = ["region", "round"]


@dataclass(frozen=True)
class Scores:
    """Result frames. Indexes: (region, round, indicator), (region, round, dimension), (region, round)."""

    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame


def score(sheet: pd.DataFrame, q: Questionnaire) -> Scores:
    ind_ids = [ind.id for ind in q.indicators]
    top = q.scale_max
    groups, keys = _groups(sheet)
    n_groups, n_ind = len(keys), len(ind_ids)

    codes = sheet[ind_ids].to_numpy(dtype=np.uint8, copy=False) if n_ind else np.zeros((0, 0), np.uint8)
    roles, role_table = _roles(sheet, q)
    bins = top + 4  # levels 0..top, na, dk, missing
    # int32 halves the memory traffic of the one pass over the sheet; the bin count stays far below 2**31.
    dtype = np.int32 if n_groups * n_ind * bins < 2**31 else np.int64
    lookup = np.full(256, top + 3, dtype=dtype)
    lookup[: top + 1] = np.arange(top + 1)
    lookup[NA_CODE], lookup[DK_CODE], lookup[MISSING] = top + 1, top + 2, top + 3
    flat = lookup[codes]
    if not role_table.all():  # an answer to a question not asked of the role does not count
        flat[~role_table[roles]] = top + 3
    flat += ((groups.astype(dtype) * n_ind)[:, None] + np.arange(n_ind, dtype=dtype)[None, :]) * bins
    counts = np.bincount(flat.ravel(), minlength=n_groups * n_ind * bins).reshape(n_groups, n_ind, bins)
    applicable = role_table[roles]

    levels = counts[..., : top + 1]
    n_value = levels.sum(-1)
    n_na, n_dk = counts[..., top + 1], counts[..., top + 2]
    value, low, high = _median_and_range(levels, n_value)
    status = np.where(n_value > 0, VALUE, np.where((n_na > 0) & (n_dk == 0), NOT_APPLICABLE, UNKNOWN))
    spread = high - low
    asked = _asked(roles, role_table, groups, n_groups)

    index = pd.MultiIndex.from_arrays(
        [np.repeat(keys["region"].to_numpy(), n_ind), np.repeat(keys["round"].to_numpy(), n_ind),
         np.tile(np.array(ind_ids, dtype=object), n_groups)], names=[*GROUP, "indicator"])
    indicators = pd.DataFrame({
        "dimension": np.tile(np.array([ind.dimension for ind in q.indicators], dtype=object), n_groups),
        "value": value.ravel(),
        "status": status.ravel(),
        "respondents": (n_value + n_na + n_dk).ravel(),
        "asked": asked.ravel(),
        "n_value": n_value.ravel(),
        "n_na": n_na.ravel(),
        "n_dk": n_dk.ravel(),
        "min": low.ravel(),
        "max": high.ravel(),
        "spread": spread.ravel(),
        "disagreement": (np.nan_to_num(spread, nan=-1) >= q.disagreement_spread).ravel(),
    }, index=index)

    flagged = indicators["disagreement"].to_numpy().reshape(n_groups, n_ind)
    dimensions = _dimensions(q, keys, value, status, flagged, n_value, n_na, n_dk, asked, codes, applicable, groups)
    overall = _overall(q, keys, dimensions, groups, n_value, n_na, n_dk, asked)
    return Scores(indicators, dimensions, overall)


def _groups(sheet: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of each respondent row, and the (region, round) of each group, in sorted order."""
    if not len(sheet):
        return np.zeros(0, dtype=np.int64), pd.DataFrame({"region": [], "round": []}, dtype=object)
    # Factorising each column on its own is far cheaper than hashing (region, round) tuples.
    region_codes, regions = pd.factorize(sheet["region"].astype(str), sort=True)
    round_codes, rounds = pd.factorize(sheet["round"].astype(str), sort=True)
    pairs, groups = np.unique(region_codes.astype(np.int64) * len(rounds) + round_codes, return_inverse=True)
    keys = pd.DataFrame({"region": np.asarray(regions, dtype=object)[pairs // len(rounds)],
                         "round": np.asarray(rounds, dtype=object)[pairs % len(rounds)]})
    return groups.astype(np.int64), keys


def _roles(sheet: pd.DataFrame, q: Questionnaire) -> tuple[np.ndarray, np.ndarray]:
    """Role number of each respondent row, and roles × indicators: is the indicator asked of the role?"""
    codes, roles = pd.factorize(sheet["role"].astype(str))
    table = np.array([[ind.applies_to(role) for ind in q.indicators] for role in roles], dtype=bool)
    return codes, table.reshape(len(roles), len(q.indicators))


def _asked(roles: np.ndarray, table: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """groups × indicators: how many respondents the indicator is asked of."""
    per_role = np.zeros((n_groups, table.shape[0]), dtype=np.int64)
    np.add.at(per_role, (groups, roles), 1)
    return per_role @ table.astype(np.int64)


def _median_and_range(levels: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, minimum and maximum of the numeric answers, read off the counts per level."""
    cumulative = levels.cumsum(-1)
    lower_rank, upper_rank = (n - 1) // 2, n // 2  # 0-based ranks of the middle answer(s)
    lower = (cumulative <= lower_rank[..., None]).sum(-1)
    upper = (cumulative <= upper_rank[..., None]).sum(-1)
    has = n > 0
    present = levels > 0
    low = np.where(has, present.argmax(-1), np.nan)
    high = np.where(has, levels.shape[-1] - 1 - present[..., ::-1].argmax(-1), np.nan)
    return np.where(has, (lower + upper) / 2.0, np.nan), low, high


def _dimensions(q, keys, value, status, flagged, n_value, n_na, n_dk, asked, codes, applicable, groups) -> pd.DataFrame:
    dims = q.dimensions
    n_groups = len(keys)
    position = {dim.id: d for d, dim in enumerate(dims)}
    membership = np.zeros((len(q.indicators), len(dims)))
    membership[np.arange(len(q.indicators)), [position[ind.dimension] for ind in q.indicators]] = 1.0
    weights = np.array([ind.weight for ind in q.indicators])
    has_value = status == VALUE
    not_applicable = status == NOT_APPLICABLE
    numerator = (np.where(has_value, value, 0.0) * weights) @ membership
    denominator = (has_value * weights) @ membership
    n_indicators = membership.sum(0)
    answered = has_value.astype(np.int64) @ membership
    n_not_applicable = not_applicable.astype(np.int64) @ membership
    completeness = (answered + n_not_applicable) / n_indicators
    sufficient = completeness >= q.min_completeness - 1e-12
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = numerator / denominator
    scored = sufficient & (denominator > 0)
    result = np.where(scored, raw, np.nan)
    reason = np.where(scored, "", np.where(~sufficient, INSUFFICIENT, NOTHING_APPLICABLE))

    cells = asked @ membership
    given = (codes != MISSING) & applicable
    per_respondent = given.astype(np.float64) @ membership > 0  # respondents × dimensions
    respondents = np.zeros((n_groups, len(dims)), dtype=np.int64)
    np.add.at(respondents, groups, per_respondent.astype(np.int64))

    frame = _with_stages(q, result)
    frame.update({
        "completeness": completeness.ravel(),
        "sufficient": scored.ravel(),
        "reason": reason.ravel(),
        "indicators": np.broadcast_to(n_indicators, result.shape).ravel().astype(np.int64),
        "answered": answered.ravel().astype(np.int64),
        "not_applicable": n_not_applicable.ravel().astype(np.int64),
        "unknown": (n_indicators - answered - n_not_applicable).ravel().astype(np.int64),
        "respondents": respondents.ravel(),
        **_shares(n_value @ membership, n_na @ membership, n_dk @ membership, cells),
        "disagreements": (flagged.astype(np.int64) @ membership).ravel().astype(np.int64),
    })
    index = pd.MultiIndex.from_arrays(
        [np.repeat(keys["region"].to_numpy(), len(dims)), np.repeat(keys["round"].to_numpy(), len(dims)),
         np.tile(np.array([d.id for d in dims], dtype=object), n_groups)], names=[*GROUP, "dimension"])
    return pd.DataFrame(frame, index=index)


def _overall(q, keys, dimensions, groups, n_value, n_na, n_dk, asked) -> pd.DataFrame:
    n_groups, n_dims = len(keys), len(q.dimensions)
    scores = dimensions["score"].to_numpy().reshape(n_groups, n_dims)
    weights = np.array([d.weight for d in q.dimensions])
    has = ~np.isnan(scores)
    n_scored = has.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = (np.where(has, scores, 0.0) * weights).sum(-1) / (has * weights).sum(-1)
    enough = n_scored * 2 >= n_dims  # at least half of the dimensions have a score
    result = np.where(enough & (n_scored > 0), raw, np.nan)
    frame = _with_stages(q, result)
    frame.update({
        "dimensions_scored": n_scored,
        "dimensions": np.full(n_groups, n_dims),
        "respondents": np.bincount(groups, minlength=n_groups),
        **_shares(n_value.sum(-1), n_na.sum(-1), n_dk.sum(-1), asked.sum(-1)),
    })
    index = pd.MultiIndex.from_frame(keys, names=GROUP)
    return pd.DataFrame(frame, index=index)


def _with_stages(q: Questionnaire, scores: np.ndarray) -> dict[str, np.ndarray]:
    lowers = np.array([stage.lower for stage in q.stages])
    flat = scores.ravel()
    index = np.searchsorted(lowers, np.nan_to_num(flat, nan=-1.0) + STAGE_TOLERANCE, side="right") - 1
    has = ~np.isnan(flat)
    stage_ids = np.array([stage.id for stage in q.stages], dtype=object)
    return {
        "score": flat,
        "percent": flat / q.scale_max * 100.0,
        "stage": np.where(has, stage_ids[np.clip(index, 0, None)], None),
        "stage_index": np.where(has, index, -1),
    }


def _shares(values, na, dk, cells) -> dict[str, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.asarray(cells, dtype=np.float64)
        return {
            "answered_share": (np.asarray(values) / total).ravel(),
            "na_share": (np.asarray(na) / total).ravel(),
            "dk_share": (np.asarray(dk) / total).ravel(),
        }
