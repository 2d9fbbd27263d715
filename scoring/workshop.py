"""What the room sees when the facilitator reveals an indicator's votes: pure figures from the votes.

- the distribution over the levels (and how many said "Ej relevant" / "Vet ej");
- the same split by stakeholder group, where a group is shown only with at least MIN_GROUP voters: smaller
  groups are pooled as "other groups", and if that pool would itself hold fewer than MIN_GROUP voters (so that
  subtracting the shown groups from the whole would reveal a person's vote) the smallest shown groups join it
  until it does not — or no split is shown at all;
- the median of the levels, the Tastle–Wierman agreement (docs/method.md) and the disagreement flag of method 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from scoring.agreement import consensus as agreement

MIN_GROUP = 3


@dataclass(frozen=True)
class GroupSplit:
    group: str | None  # a stakeholder group id; None for the pooled other groups
    voters: int
    counts: tuple[int, ...]  # per level 0..top


@dataclass(frozen=True)
class Reveal:
    voters: int
    counts: tuple[int, ...]  # per level 0..top
    not_applicable: int
    dont_know: int
    groups: tuple[GroupSplit, ...]  # empty: no split can be shown
    median: float | None
    agreement: float | None
    disagreement: bool
    low: int | None  # the range of the levels given
    high: int | None


def reveal(votes: Iterable[tuple[str, int | str]], top: int, disagreement_below: float,
           min_group: int = MIN_GROUP) -> Reveal:
    votes = list(votes)
    levels = [value for _, value in votes if isinstance(value, int) and not isinstance(value, bool)]
    counts = _counts(levels, top)
    cns = float(agreement(np.array(counts))) if levels else None
    return Reveal(
        voters=len(votes), counts=counts,
        not_applicable=sum(1 for _, value in votes if value == "na"),
        dont_know=sum(1 for _, value in votes if value == "dk"),
        groups=split(votes, top, min_group),
        median=float(np.median(levels)) if levels else None,
        agreement=cns, disagreement=cns is not None and cns < disagreement_below - 1e-9,
        low=min(levels) if levels else None, high=max(levels) if levels else None)


def split(votes: Sequence[tuple[str, int | str]], top: int, min_group: int = MIN_GROUP) -> tuple[GroupSplit, ...]:
    """The distribution per group, safe to show without names (see the module's rule)."""
    by_group: dict[str, list[int | str]] = {}
    for group, value in votes:
        by_group.setdefault(group, []).append(value)
    shown = sorted((g for g, v in by_group.items() if len(v) >= min_group), key=lambda g: (len(by_group[g]), g))
    pooled = [g for g in by_group if g not in shown]
    while pooled and sum(len(by_group[g]) for g in pooled) < min_group and shown:
        pooled.append(shown.pop(0))  # the smallest shown group joins the pool
    if pooled and sum(len(by_group[g]) for g in pooled) < min_group:
        return ()
    if len(shown) == 0 or (len(shown) == 1 and not pooled):
        return ()  # one group is the whole room: the split says nothing the total does not
    result = [GroupSplit(g, len(by_group[g]), _counts(_levels(by_group[g]), top)) for g in sorted(shown)]
    if pooled:
        values = [v for g in pooled for v in by_group[g]]
        result.append(GroupSplit(None, len(values), _counts(_levels(values), top)))
    return tuple(result)


def _levels(values: Iterable[int | str]) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _counts(levels: Iterable[int], top: int) -> tuple[int, ...]:
    counts = [0] * (top + 1)
    for level in levels:
        counts[level] += 1
    return tuple(counts)
