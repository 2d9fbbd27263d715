"""The action-plan item: the shape shared by the store, the Excel round trip and the app.

Statuses are stored as stable codes; people see the Swedish or English label.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from questionnaires.model import Questionnaire
from questionnaires.text import Catalogue, Text

STATUSES: dict[str, Text] = {
    "not_started": Text("Ej påbörjad", "Not started"),
    "ongoing": Text("Pågår", "Ongoing"),
    "done": Text("Klar", "Done"),
    "paused": Text("Pausad", "Paused"),
    "dropped": Text("Stryks", "Dropped"),
}
DEFAULT_STATUS = "not_started"
MAX_TEXT = 2000

# The SMART fields in the order people see them; labels for headings and Excel columns.
FIELDS: dict[str, Text] = {
    "dimension": Text("Dimension", "Dimension"),
    "indicators": Text("Indikatorer", "Indicators"),
    "action": Text("Åtgärd", "Action"),
    "owner": Text("Ansvarig", "Owner"),
    "start": Text("Start", "Start"),
    "due": Text("Klart senast", "Due"),
    "resources": Text("Resurser", "Resources"),
    "success_indicator": Text("Framgångsindikator", "Success indicator"),
    "status": Text("Status", "Status"),
}

# Every exchanged field of a PlanItem in one order: the Excel sheet's columns and the app's editor table.
# The stable id comes first and the action-library step last (both hidden from people); the SMART fields
# between them in the order of FIELDS. The one place this order is written down.
COLUMNS: tuple[str, ...] = ("id", *FIELDS, "source_action")

MESSAGES = Catalogue({
    "required": {"sv": "{field} måste fyllas i", "en": "{field} is required"},
    "too_long": {"sv": "{field} är för lång ({length} tecken, högst {limit})",
                 "en": "{field} is too long ({length} characters, at most {limit})"},
    "unknown_dimension": {"sv": "okänd dimension '{value}'", "en": "unknown dimension '{value}'"},
    "unknown_indicator": {"sv": "okänd indikator '{value}'", "en": "unknown indicator '{value}'"},
    "indicator_elsewhere": {"sv": "indikatorn {value} hör inte till dimensionen {dimension}",
                            "en": "the indicator {value} does not belong to the dimension {dimension}"},
    "unknown_status": {"sv": "okänd status '{value}' (tillåtna: {allowed})", "en": "unknown status '{value}' (allowed: {allowed})"},
    "not_a_date": {"sv": "{field} ska vara ett datum ÅÅÅÅ-MM-DD (är '{value}')",
                   "en": "{field} must be a date YYYY-MM-DD (is '{value}')"},
    "due_before_start": {"sv": "Klart senast ({due}) ligger före start ({start})", "en": "Due ({due}) is before start ({start})"},
})


@dataclass(frozen=True)
class PlanItem:
    id: str | None  # stable id; None for a row not yet saved
    dimension: str
    action: str
    indicators: tuple[str, ...] = ()
    owner: str = ""
    start: dt.date | None = None
    due: dt.date | None = None
    resources: str = ""
    success_indicator: str = ""
    status: str = DEFAULT_STATUS
    source_action: str | None = None  # the action-library step it came from, if any
    extra: dict = field(default_factory=dict, compare=False)

    def with_id(self, ident: str) -> PlanItem:
        return replace(self, id=ident)


@dataclass(frozen=True)
class ItemProblem:
    field: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "sv") -> str:
        params = dict(self.params)
        params.setdefault("field", FIELDS.get(self.field, Text(self.field, self.field))[lang])
        return MESSAGES.render(self.code, lang, **params)


def status_from_label(value: str) -> str | None:
    """A status code from a code or a label in any language (what people type in Excel)."""
    wanted = value.strip().casefold()
    for code, label in STATUSES.items():
        if wanted in (code, label.sv.casefold(), label.en.casefold()):
            return code
    return None


def parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def validate(item: PlanItem, q: Questionnaire) -> list[ItemProblem]:
    problems = []
    if not item.action.strip():
        problems.append(ItemProblem("action", "required"))
    for name in ("action", "owner", "resources", "success_indicator"):
        text = getattr(item, name)
        if len(text) > MAX_TEXT:
            problems.append(ItemProblem(name, "too_long", {"length": len(text), "limit": MAX_TEXT}))
    if item.dimension not in q.dimension_by_id:
        problems.append(ItemProblem("dimension", "unknown_dimension", {"value": item.dimension}))
    for indicator in item.indicators:
        spec = q.indicator_by_id.get(indicator)
        if spec is None:
            problems.append(ItemProblem("indicators", "unknown_indicator", {"value": indicator}))
        elif item.dimension in q.dimension_by_id and spec.dimension != item.dimension:
            problems.append(ItemProblem("indicators", "indicator_elsewhere", {"value": indicator, "dimension": item.dimension}))
    if item.status not in STATUSES:
        problems.append(ItemProblem("status", "unknown_status", {"value": item.status, "allowed": ", ".join(STATUSES)}))
    if item.start and item.due and item.due < item.start:
        problems.append(ItemProblem("due", "due_before_start", {"due": item.due.isoformat(), "start": item.start.isoformat()}))
    return problems
