"""One region's result as plain JSON-ready data: the contract of `mognad score --format json`."""

from __future__ import annotations

import math

import pandas as pd

from questionnaires.model import Questionnaire
from scoring.score import Scores

DECIMALS = 3


def number(value: object) -> float | None:
    """Rounded to three decimals; NaN and None become None (JSON null)."""
    if value is None:
        return None
    value = float(value)  # type: ignore[arg-type]
    return None if math.isnan(value) else round(value, DECIMALS)


def _group(frame: pd.DataFrame, region: str, round_: str) -> pd.DataFrame:
    """One region and round's rows, by mask: frames merged from several sources need not be lexsorted."""
    index = frame.index
    return frame[(index.get_level_values("region") == region) & (index.get_level_values("round") == round_)] \
        .droplevel(["region", "round"])


def region_summary(scores: Scores, plan: pd.DataFrame, q: Questionnaire, region: str, round_: str,
                   lang: str = "sv") -> dict:
    overall = scores.overall.loc[(region, round_)]
    dims = _group(scores.dimensions, region, round_)
    inds = _group(scores.indicators, region, round_)
    stages = {stage.id: stage for stage in q.stages}

    def stage_label(stage_id) -> str | None:
        return stages[stage_id].name[lang] if isinstance(stage_id, str) else None

    def scored(row) -> dict:
        return {
            "score": number(row["score"]),
            "percent": number(row["percent"]),
            "stage": row["stage"] if isinstance(row["stage"], str) else None,
            "stage_label": stage_label(row["stage"]),
        }

    result = {
        "questionnaire": q.ref,
        "region": region,
        "round": round_,
        "overall": scored(overall),
        "dimensions": [
            {"id": dim.id, **scored(dims.loc[dim.id]),
             "completeness": number(dims.loc[dim.id, "completeness"]),
             "answered": int(dims.loc[dim.id, "answered"]),
             "not_applicable": int(dims.loc[dim.id, "not_applicable"]),
             "unknown": int(dims.loc[dim.id, "unknown"])}
            for dim in q.dimensions
        ],
        "indicators": [
            {"id": ind.id, "dimension": ind.dimension,
             "value": number(inds.loc[ind.id, "value"]),
             "status": inds.loc[ind.id, "status"],
             "respondents": int(inds.loc[ind.id, "respondents"]),
             "spread": number(inds.loc[ind.id, "spread"]),
             "disagreement": bool(inds.loc[ind.id, "disagreement"])}
            for ind in q.indicators
        ],
        "plan": [],
    }
    if (region, round_) in plan.index.droplevel("dimension"):
        for dim_id, row in plan.loc[(region, round_)].iterrows():
            result["plan"].append({
                "dimension": dim_id,
                "target": number(row["target"]),
                "target_stage": row["target_stage"],
                "gap": number(row["gap"]),
                "priority": number(row["priority"]),
                "actions": [
                    {"id": a["id"], "indicator": a["indicator"], "from_level": a["from_level"],
                     "to_level": a["to_level"], "text": a["text"][lang]}
                    for a in row["actions"]
                ],
            })
    if q.method == 2:
        return _method2(result, scores, plan, q, overall, dims, inds, region, round_)
    return result


LOW_REASONS = {"low_respondents": "respondents", "low_roles": "roles", "low_interval": "interval",
               "low_completeness": "completeness"}


def _method2(result: dict, scores: Scores, plan: pd.DataFrame, q: Questionnaire, overall, dims, inds,
             region: str, round_: str) -> dict:
    """Method 2's additions to the contract (docs/method.md, "Metod 2"); method 1's keys keep their meaning."""
    from scoring.method2 import CONSENSUS_COLUMNS, FOUNDATION, ROLE_PREFIX

    def uncertainty(row) -> dict:
        scored = number(row["score"]) is not None
        lo, hi = number(row["interval_lo"]), number(row["interval_hi"])
        return {
            "interval": [lo, hi] if scored and lo is not None else None,
            "scored_share": number(row["scored_share"]),
            "low_confidence": bool(row["low_confidence"]) if scored else None,
            "low_confidence_reasons": [word for column, word in LOW_REASONS.items() if bool(row[column])],
        }

    result["overall"].update({"completeness": number(overall["completeness"]), **uncertainty(overall)})
    for item in result["dimensions"]:
        row = dims.loc[item["id"]]
        item.update({**uncertainty(row), "panel": {"respondents": int(row["panel"]), "roles": int(row["panel_roles"])},
                     "foundation": bool(row["foundation"])})
    for item in result["indicators"]:
        row = inds.loc[item["id"]]
        disagreement = item.pop("disagreement")
        item["agreement"] = number(row["agreement"])
        item["roles"] = {role.id: number(row[ROLE_PREFIX + role.id]) for role in q.roles
                         if number(row[ROLE_PREFIX + role.id]) is not None}
        item["disagreement"] = disagreement
        if item["status"] == "consensus" or bool(row["consensus"]):
            item["consensus"] = {"value": item["value"] if item["status"] == "consensus" else "na",
                                 **{column: row[column] for column in CONSENSUS_COLUMNS[4:] if row[column] is not None}}
    if (region, round_) in plan.index.droplevel("dimension"):
        rows = plan.loc[(region, round_)]
        for item in result["plan"]:
            item["foundation"] = bool(rows.loc[item["dimension"], "foundation"])
            steps = rows.loc[item["dimension"], "actions"]
            for action, step in zip(item["actions"], steps, strict=True):
                if step.get("prerequisite_for"):
                    action["prerequisite_for"] = step["prerequisite_for"]
    flags = [FOUNDATION] if bool(overall["foundation_flag"]) else []
    ordered = {"questionnaire": result.pop("questionnaire"), "method": 2}
    ordered.update({key: result[key] for key in ("region", "round", "overall")})
    ordered["flags"] = flags
    ordered.update({key: result[key] for key in ("dimensions", "indicators", "plan")})
    return ordered
