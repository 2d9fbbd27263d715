"""Gap analysis and the action-plan proposal (docs/method.md, "Gap och förslag till handlingsplan").

Per scored dimension: a target stage (default the next stage, capped at the top), the gap to that stage's
lower bound, and a priority that grows with the square of the gap and the dimension's weight. Proposed
actions are the action-library steps for the indicators furthest below the target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from questionnaires.model import Questionnaire
from scoring.score import VALUE, Scores

MAX_INDICATORS_PER_DIMENSION = 3


def priority(gap: float, weight: float) -> float:
    return ((1.0 + gap) ** 2 - 1.0) * weight


def plan(
    scores: Scores,
    q: Questionnaire,
    targets: Mapping[tuple[str, str, str] | str, str] | None = None,
    max_indicators: int = MAX_INDICATORS_PER_DIMENSION,
) -> pd.DataFrame:
    """One row per scored (region, round, dimension), highest priority first within each group.

    `targets` overrides the target stage: keys are a dimension id (all groups) or (region, round, dimension);
    values are stage ids. Columns: target_stage, target, gap, priority, rank, actions (a list of dicts).
    """
    targets = targets or {}
    stage_index = {stage.id: stage.index for stage in q.stages}
    top = len(q.stages) - 1
    n_ind = len(q.indicators)
    position = {ind.id: i for i, ind in enumerate(q.indicators)}
    # The indicator frame is (group, indicator) in questionnaire order: read it as matrices, not row by row.
    values = scores.indicators["value"].to_numpy().reshape(-1, n_ind)
    has_value = (scores.indicators["status"].to_numpy() == VALUE).reshape(-1, n_ind)
    # Each (region, round) is one block of n_ind rows; find blocks by key, not by position, so frames
    # concatenated from several sources (service/reports.py) still line up with their dimension rows.
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
        target_index = stage_index[chosen] if chosen in stage_index else min(int(current) + 1, top)
        target = q.stages[target_index].lower
        gap = max(0.0, target - float(score_))
        found = {ind.id: float(values[group, position[ind.id]]) for ind in dimension.indicators
                 if has_value[group, position[ind.id]]}
        rows.append({
            "region": region, "round": round_, "dimension": dim_id,
            "score": float(score_),
            "stage": stage,
            "target_stage": q.stages[target_index].id,
            "target": target,
            "gap": gap,
            "priority": priority(gap, dimension.weight),
            "actions": _proposals(q, dimension, found, target, max_indicators),
        })
    columns = ["region", "round", "dimension", "score", "stage", "target_stage", "target", "gap", "priority", "actions"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        frame["rank"] = pd.Series(dtype=np.int64)
        return frame.set_index(["region", "round", "dimension"])
    order = {dim.id: i for i, dim in enumerate(q.dimensions)}
    frame["_order"] = frame["dimension"].map(order)
    # Equal priorities must tie exactly, whatever floating-point noise the weights leave behind.
    frame["_priority"] = frame["priority"].round(9)
    frame = frame.sort_values(["region", "round", "_priority", "_order"], ascending=[True, True, False, True])
    frame["rank"] = frame.groupby(["region", "round"]).cumcount() + 1
    return frame.drop(columns=["_order", "_priority"]).set_index(["region", "round", "dimension"])


def _proposals(q: Questionnaire, dimension, values: dict[str, float], target: float, limit: int) -> list[dict]:
    """Steps for the indicators furthest below `target` (ties: heavier weight, then questionnaire order)."""
    below = [
        (-(target - values[indicator.id]), -indicator.weight, position, indicator)
        for position, indicator in enumerate(dimension.indicators)
        if indicator.id in values and values[indicator.id] < target
    ]
    proposals = []
    for *_, indicator in sorted(below, key=lambda item: item[:3])[:limit]:
        value = values[indicator.id]
        level = min(math.floor(value), q.scale_max - 1)
        for action in q.actions_for(indicator.id, level):
            proposals.append({
                "id": action.id,
                "indicator": indicator.id,
                "value": value,
                "from_level": level,
                "to_level": level + 1,
                "text": action.text,
            })
    return proposals
