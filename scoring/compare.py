"""Comparing regions: national distributions, peer groups, stage counts, change between rounds.

Every function takes a score frame whose index starts with (region, round) — `Scores.dimensions`
(region, round, dimension), `Scores.overall` (region, round) or `Scores.indicators` — and aggregates over
regions. Only regions with a score take part; a missing score is never read as zero.

Quartiles use linear interpolation between order statistics (Hyndman–Fan type 7, pandas' default), so
with one region q1 = median = q3. A peer group with fewer than `k` scored regions gets no median at all:
a region must never be able to work out another named region's score from an aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from questionnaires.model import Questionnaire
from questionnaires.regions import Region

MIN_GROUP = 3
PEER_KEYS = ("size_group", "nuts2")
NO_STAGE = "none"  # the stage bucket of regions without a score (too little evidence)
STATS = ["n", "median", "q1", "q3", "min", "max"]


def _rest(frame: pd.DataFrame) -> list[str]:
    """The index levels an aggregate over regions keeps: round, then whatever follows region and round."""
    names = list(frame.index.names)
    if names[:2] != ["region", "round"]:
        raise ValueError(f"expected an index starting with (region, round), got {names}")
    return names[1:]


def _describe(values: pd.Series, keys: list[str]) -> pd.DataFrame:
    grouped = values.groupby(level=keys, sort=False)
    result = pd.DataFrame({
        "n": grouped.count().astype(np.int64),
        "median": grouped.median(),
        "q1": grouped.quantile(0.25),
        "q3": grouped.quantile(0.75),
        "min": grouped.min(),
        "max": grouped.max(),
    })
    return result[STATS]


def national_summary(frame: pd.DataFrame, column: str = "score") -> pd.DataFrame:
    """n, median, q1, q3, min, max of `column` over the regions with a value.

    Index: the frame's index without `region` — (round, dimension) for dimensions, (round) for overall.
    Groups where no region has a score are kept with n = 0 and NaN statistics.
    """
    keys = _rest(frame)
    return _describe(frame[column].astype(float), keys)


def peer_groups(roster: Iterable[Region], by: str = "size_group") -> dict[str, str]:
    """region code → peer group: size group A–D or NUTS2 area, from the roster (never hard-coded)."""
    if by not in PEER_KEYS:
        raise ValueError(f"peer groups are by {' or '.join(PEER_KEYS)}, not {by!r}")
    return {region.code: getattr(region, by) for region in roster}


def peer_summary(frame: pd.DataFrame, groups: Mapping[str, str], k: int = MIN_GROUP,
                 column: str = "score") -> pd.DataFrame:
    """The median per peer group, suppressed below `k` scored regions (only anonymous aggregates).

    Index: (round, group, …the rest of the frame's index). Columns: n, median (NaN when suppressed),
    suppressed. Regions outside `groups` take no part.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    keys = _rest(frame)
    regions = frame.index.get_level_values("region")
    group = pd.Series(regions.map(lambda code: groups.get(code)), index=frame.index, dtype=object)
    known = group.notna().to_numpy()
    values = frame.loc[known, column].astype(float)
    values.index = pd.MultiIndex.from_arrays(
        [values.index.get_level_values(keys[0]), group[known].to_numpy(),
         *[values.index.get_level_values(key) for key in keys[1:]]],
        names=[keys[0], "group", *keys[1:]])
    grouped = values.groupby(level=[keys[0], "group", *keys[1:]], sort=False)
    n = grouped.count().astype(np.int64)
    suppressed = n < k
    result = pd.DataFrame({"n": n, "median": grouped.median().where(~suppressed), "suppressed": suppressed})
    # rounds and groups sorted; dimensions keep the questionnaire order they came in
    return result.sort_index(level=[0, 1], sort_remaining=False)


def region_comparison(frame: pd.DataFrame, region: str, round_: str, groups: Mapping[str, str] | None = None,
                      k: int = MIN_GROUP, column: str = "score") -> pd.DataFrame:
    """One region beside the national distribution and its peer group's median, for one round.

    Index: the frame's index without region and round (dimension), or a single row `round_` for overall.
    Columns: score, national n/median/q1/q3/min/max, national_suppressed, peer_group, peer_n, peer_median,
    peer_suppressed, versus_national and versus_peer (score minus the median; NaN when either is missing).
    Like a peer group, the national figures are suppressed when fewer than `k` regions have a score.
    """
    keys = _rest(frame)
    national = national_summary(frame, column).xs(round_, level="round", drop_level=True) if len(keys) > 1 \
        else national_summary(frame, column).loc[[round_]]
    own = frame.xs((region, round_), level=["region", "round"], drop_level=True)[column].astype(float) \
        if len(keys) > 1 else frame.loc[[(region, round_)], column].astype(float).set_axis([round_])
    result = pd.DataFrame({"score": own}).join(national.add_prefix("national_"))
    result["national_n"] = result["national_n"].fillna(0).astype(np.int64)
    result["national_suppressed"] = result["national_n"] < k
    for stat in STATS[1:]:  # fewer than k regions: the "national" figures would expose the others
        result[f"national_{stat}"] = result[f"national_{stat}"].where(~result["national_suppressed"])
    group = (groups or {}).get(region)
    result["peer_group"] = group
    result["peer_n"] = 0
    result["peer_median"] = np.nan
    result["peer_suppressed"] = True
    if group is not None:
        peers = peer_summary(frame, groups, k, column)
        if (round_, group) in peers.index.droplevel(list(range(2, peers.index.nlevels))):
            mine = peers.xs((round_, group), level=[0, 1], drop_level=True) if len(keys) > 1 \
                else peers.loc[[(round_, group)]].set_axis([round_])
            result["peer_n"] = mine["n"].reindex(result.index).fillna(0).astype(np.int64)
            result["peer_median"] = mine["median"].reindex(result.index)
            result["peer_suppressed"] = mine["suppressed"].reindex(result.index).fillna(True).astype(bool)
    result["versus_national"] = result["score"] - result["national_median"]
    result["versus_peer"] = result["score"] - result["peer_median"]
    return result


def stage_distribution(frame: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """How many regions reached each stage: index (round, …rest, stage), columns regions and share.

    Every stage of the questionnaire appears (also with zero regions), followed by NO_STAGE for regions
    without a score; share is of all regions in the group, so the shares of a group add up to one.
    """
    keys = _rest(frame)
    order = [stage.id for stage in q.stages] + [NO_STAGE]
    stages = frame["stage"].where(frame["stage"].notna(), NO_STAGE).astype(object)
    stages = stages.where(stages.isin(order), NO_STAGE)
    counts = pd.crosstab(index=[frame.index.get_level_values(key) for key in keys], columns=stages.to_numpy())
    counts = counts.reindex(columns=order, fill_value=0)
    appearance = frame.index.droplevel("region").unique()  # crosstab sorts; keep the questionnaire order
    counts = counts.reindex(appearance if len(keys) > 1 else appearance.get_level_values(0))
    counts.index.names = keys
    counts.columns.name = "stage"
    long = counts.stack().rename("regions").astype(np.int64).to_frame()
    totals = long.groupby(level=keys)["regions"].transform("sum")
    long["share"] = long["regions"] / totals
    return long


def changes(frame: pd.DataFrame, rounds: Sequence[str], column: str = "score") -> pd.DataFrame:
    """Change since the previous round (in the caller's round order) for each region.

    Index: the frame's index for every round after the first in `rounds`. Columns: score, previous_round,
    previous (NaN when the region had no score then), change (score − previous).
    """
    rounds = list(rounds)
    keys = list(frame.index.names)
    before = {later: earlier for earlier, later in zip(rounds, rounds[1:], strict=False)}
    present = frame[frame.index.get_level_values("round").isin(list(before))]
    values = frame[column].astype(float)
    previous_round = present.index.get_level_values("round").map(before)
    lookup = present.index.to_frame(index=False)
    lookup["round"] = np.asarray(previous_round, dtype=object)
    earlier = values.reindex(pd.MultiIndex.from_frame(lookup[keys]))
    result = pd.DataFrame({
        "score": present[column].astype(float).to_numpy(),
        "previous_round": np.asarray(previous_round, dtype=object),
        "previous": earlier.to_numpy(),
    }, index=present.index)
    result["change"] = result["score"] - result["previous"]
    return result


def strengths_and_gaps(frame: pd.DataFrame, region: str, round_: str, n: int = 3) -> tuple[list[str], list[str]]:
    """The region's highest and lowest scored dimensions (ties: questionnaire order).

    A dimension is never both: with m scored dimensions the strengths take at most ⌈m/2⌉ and the gaps
    take from the rest, so a region with one scored dimension has a strength and no gap.
    """
    own = frame.xs((region, round_), level=["region", "round"], drop_level=True)["score"].astype(float).dropna()
    position = {key: i for i, key in enumerate(own.index)}
    ordered = sorted(own.index, key=lambda key: (-own[key], position[key]))
    strengths = ordered[: min(n, (len(ordered) + 1) // 2)]
    rest = [key for key in ordered if key not in strengths]
    gaps = sorted(rest, key=lambda key: (own[key], position[key]))[: min(n, len(rest))]
    return list(strengths), list(gaps)
