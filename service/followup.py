"""The follow-up round's use case: a change that means something, per dimension, since the region's last round.

For each dimension of this round: the score now and in the previous round (through the crosswalk when the
versions differ: only a comparable dimension has a previous score), both with method 2's 90 % intervals, the
difference with its own 90 % interval, and the verdict:

- `improved` ("säker förbättring") when the difference's interval lies wholly above 0,
- `declined` ("säker försämring") when it lies wholly below 0,
- `none` ("ingen säker förändring") when it contains 0,
- `unknown` when a score has no interval (method 1, or too few replicates with a score),
- `not_comparable` when the dimension has no comparable dimension in the previous round's version,
- `insufficient` when it has, but one of the two rounds has no score (too few answers).

The difference's interval (docs/method.md, "Förändring som betyder något"): the two rounds are scored from
different panels with independent bootstrap draws, so no replicate of one round pairs with a replicate of the
other. The interval is combined from the two rounds' own percentile intervals by the MOVER rule (method of
variance estimates recovery, Zou & Donner 2008): with d = now − before,
lower = d − √((now − lo_now)² + (hi_before − before)²), upper = d + √((hi_now − now)² + (before − lo_before)²).

Beside the numbers: the reasons people gave when they changed a carried answer (store/carry.py), last round's
actions on the dimension with their review (store/plan_review.py), how many indicators were comparable, and
whether the panel (respondents per role) changed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

import store
from questionnaires.actionplan import PlanItem
from questionnaires.crosswalk import CrosswalkError
from questionnaires.crosswalk import find as find_crosswalk
from scoring import score

IMPROVED, DECLINED, NONE, UNKNOWN = "improved", "declined", "none", "unknown"
NOT_COMPARABLE, INSUFFICIENT = "not_comparable", "insufficient"


def change_interval(now: float | None, lo: float | None, hi: float | None, before: float | None,
                    before_lo: float | None, before_hi: float | None) -> tuple[float | None, float | None, float | None]:
    """(difference, its lower bound, its upper bound) by MOVER; bounds None without both intervals."""
    if _missing(now) or _missing(before):
        return None, None, None
    d = now - before
    if any(_missing(x) for x in (lo, hi, before_lo, before_hi)):
        return d, None, None
    lower = d - math.sqrt((now - lo) ** 2 + (before_hi - before) ** 2)
    upper = d + math.sqrt((hi - now) ** 2 + (before - before_lo) ** 2)
    return d, lower, upper


def verdict(difference: float | None, lower: float | None, upper: float | None) -> str:
    if difference is None:
        return NOT_COMPARABLE
    if lower is None or upper is None:
        return UNKNOWN
    if lower > 0:
        return IMPROVED
    if upper < 0:
        return DECLINED
    return NONE


def _missing(x) -> bool:
    return x is None or bool(pd.isna(x))


@dataclass(frozen=True)
class DimensionChange:
    dimension: str
    previous_dimension: str | None
    previous: float | None
    previous_interval: tuple[float, float] | None
    score: float | None
    interval: tuple[float, float] | None
    change: float | None
    change_interval: tuple[float, float] | None
    verdict: str
    reasons: list = field(default_factory=list)  # store.Reason of the dimension's indicators
    actions: list = field(default_factory=list)  # (PlanItem of last round, store.plan_review.Review | None)


@dataclass(frozen=True)
class FollowupChange:
    round: str
    previous_round: str
    previous_ref: str
    ref: str
    comparable_indicators: int
    indicators: int
    dimensions: list[DimensionChange]
    panel_now: dict[str, int]  # role → respondent sheets in the answer sheet
    panel_before: dict[str, int]

    @property
    def panel_changed(self) -> bool:
        return self.panel_now != self.panel_before


def followup_change(db, who, region: str, round_label: str) -> FollowupChange | None:
    """The change since the region's previous round, or None (no previous round, or nothing visible)."""
    assessment = store.get_assessment(db, who, region, round_label)
    try:
        last = store.last_plan(db, who, assessment.id)
    except store.Forbidden:
        return None
    if last.previous_round is None:
        return None
    q, old = db.questionnaire(assessment.questionnaire), db.questionnaire(last.previous_ref)
    now_frame, now_dims = _scored(db, who, q, round_label, region)
    try:
        before_frame, before_dims = _scored(db, who, old, last.previous_round, region)
    except store.Forbidden:
        before_frame, before_dims = pd.DataFrame(), None
    if now_dims is None:
        return None
    crosswalk = None
    if old.ref != q.ref:
        try:
            crosswalk = find_crosswalk(old.ref, q.ref)
        except (KeyError, CrosswalkError):
            crosswalk = None
    comparable = (len(q.indicators) if old.ref == q.ref
                  else sum(1 for ind in q.indicators if crosswalk is not None and crosswalk.is_comparable(ind.id)))
    try:
        reasons = store.change_reasons(db, who, assessment.id)
    except store.Forbidden:
        reasons = []
    rows = []
    for dim in q.dimensions:
        if old.ref == q.ref:
            before_id = dim.id
        else:
            before_id = crosswalk.previous_dimension(dim.id, old, q) if crosswalk is not None else None
        now, lo, hi = _figures(now_dims, dim.id)
        before, blo, bhi = _figures(before_dims, before_id) if before_id is not None else (None, None, None)
        d, dlo, dhi = change_interval(now, lo, hi, before, blo, bhi)
        label = NOT_COMPARABLE if before_id is None else INSUFFICIENT if d is None else verdict(d, dlo, dhi)
        own = {ind.id for ind in dim.indicators}
        rows.append(DimensionChange(
            dim.id, before_id, before, _pair(blo, bhi), now, _pair(lo, hi), d, _pair(dlo, dhi), label,
            [r for r in reasons if r.indicator in own],
            [(item, last.reviews.get(item.id)) for item in last.items if _touches(item, dim.id, before_id)]))
    return FollowupChange(round_label, last.previous_round, old.ref, q.ref, comparable, len(q.indicators), rows,
                          _panel(now_frame), _panel(before_frame))


def _touches(item: PlanItem, dimension: str, before_id: str | None) -> bool:
    return item.dimension in {dimension, before_id}


def _scored(db, who, q, round_label: str, region: str):
    frame, _ = store.answer_sheet(db, who, q.ref, rounds=[round_label], regions=[region])
    if frame.empty:
        return frame, None
    dims = score(frame, q).dimensions
    try:
        return frame, dims.xs((region, round_label), level=["region", "round"])
    except KeyError:
        return frame, None


def _figures(dims: pd.DataFrame | None, dimension: str) -> tuple[float | None, float | None, float | None]:
    if dims is None or dimension not in dims.index:
        return None, None, None
    row = dims.loc[dimension]
    values = [row.get(column) for column in ("score", "interval_lo", "interval_hi")]
    return tuple(None if _missing(v) else float(v) for v in values)  # type: ignore[return-value]


def _pair(lo, hi) -> tuple[float, float] | None:
    return None if lo is None or hi is None else (lo, hi)


def _panel(frame: pd.DataFrame) -> dict[str, int]:
    return dict(sorted(Counter(frame["role"]).items())) if len(frame) else {}
