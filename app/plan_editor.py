"""Between the plan in the store (PlanItems) and the table people edit in st.data_editor."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from questionnaires.actionplan import DEFAULT_STATUS, PlanItem

COLUMNS = ["id", "dimension", "indicators", "action", "owner", "start", "due", "resources", "success_indicator",
           "status", "source_action"]


def items_frame(items: list[PlanItem]) -> pd.DataFrame:
    rows = [{
        "id": item.id, "dimension": item.dimension, "indicators": list(item.indicators), "action": item.action,
        "owner": item.owner, "start": item.start, "due": item.due, "resources": item.resources,
        "success_indicator": item.success_indicator, "status": item.status, "source_action": item.source_action,
    } for item in items]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("start", "due"):
        frame[column] = pd.Series([r[column] for r in rows], dtype=object)
    return frame


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _date(value) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    return dt.date.fromisoformat(text[:10]) if text else None


def _indicators(value) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
    return tuple(str(v) for v in value)


def frame_items(frame: pd.DataFrame) -> list[PlanItem]:
    """Rows of the edited table → PlanItems (new rows have id None). Blank rows are dropped."""
    items = []
    for row in frame.to_dict("records"):
        if not any(_text(row.get(c)) for c in ("action", "owner", "resources", "success_indicator")) \
                and not row.get("dimension"):
            continue
        ident = _text(row.get("id")) or None
        items.append(PlanItem(
            id=ident, dimension=_text(row.get("dimension")), action=_text(row.get("action")),
            indicators=_indicators(row.get("indicators")), owner=_text(row.get("owner")),
            start=_date(row.get("start")), due=_date(row.get("due")), resources=_text(row.get("resources")),
            success_indicator=_text(row.get("success_indicator")),
            status=_text(row.get("status")) or DEFAULT_STATUS, source_action=_text(row.get("source_action")) or None,
        ))
    return items


def deleted_ids(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    kept = {_text(i) for i in after["id"]} if "id" in after else set()
    return [ident for ident in (_text(i) for i in before["id"]) if ident and ident not in kept]


def from_proposal(dimension: str, action: dict, lang: str) -> PlanItem:
    """A plan item from one of scoring.plan's proposed steps (its text is bilingual)."""
    return PlanItem(id=None, dimension=dimension, action=action["text"][lang], indicators=(action["indicator"],),
                    source_action=action["id"])
