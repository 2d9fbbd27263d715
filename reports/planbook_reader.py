"""Reading the action-plan workbook back after people edited it in Excel or LibreOffice.

The plan rows carry a hidden stable id, so an edited file maps back onto the stored plan: a row with a known
id updates that item, a row without one is new, and an item whose row is gone was deleted (the caller
compares ids). A row that copies another row's id is read as a new item, because the first row with an id
keeps it. The layout (sheet names, header row, hidden columns) is the writer's, `reports.planbook`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from questionnaires.actionplan import (
    COLUMNS,
    DEFAULT_STATUS,
    FIELDS,
    MAX_TEXT,
    STATUSES,
    ItemProblem,
    PlanItem,
    status_from_label,
    validate,
)
from questionnaires.model import Questionnaire
from questionnaires.text import normalise_language
from reports.planbook import (
    FORMAT,
    ID_HEADER,
    MAX_ROWS,
    META_SHEET,
    READ_LIMIT,
    SHEETS,
    SOURCE_HEADER,
    column_header,
    dimension_label,
)
from reports.problems import WorkbookError, WorkbookProblem
from reports.uploads import SheetContent, open_workbook, read_sheet


@dataclass(frozen=True)
class PlanMeta:
    questionnaire: str
    region: str
    round: str


def read_plan_workbook(raw: bytes, q: Questionnaire, lang: str = "sv", *, region: str | None = None,
                       round_: str | None = None, filename: str | None = None) -> list[PlanItem]:
    """The action plan in an edited workbook, in row order; WorkbookError lists every invalid cell.

    Rows keep their hidden id (None for new rows). Passing `region` and `round_` also refuses a workbook
    made for another assessment.
    """
    lang = normalise_language(lang)
    wb = open_workbook(raw, filename)
    try:
        meta, problems = _read_meta(wb, q, region, round_)
        if problems:
            raise WorkbookError(problems, lang)
        sheet_name = next((name for name in (SHEETS["plan"].sv, SHEETS["plan"].en) if name in wb.sheetnames), None)
        if sheet_name is None:
            raise WorkbookError([WorkbookProblem("missing_sheet", params={"sheet": SHEETS["plan"][lang]})], lang)
        rows = _rows(read_sheet(wb, sheet_name, max_row=READ_LIMIT, max_col=len(COLUMNS) + 10))
    finally:
        wb.close()
    if rows is None:
        raise WorkbookError([WorkbookProblem("too_many_rows", sheet_name, None,
                                             {"count": f"> {READ_LIMIT}", "limit": MAX_ROWS})], lang)
    items, problems = _parse_rows(rows, sheet_name, q, lang)
    if problems:
        raise WorkbookError(problems, lang)
    return items


def _read_meta(wb, q: Questionnaire, region: str | None, round_: str | None):
    if META_SHEET not in wb.sheetnames:
        return None, [WorkbookProblem("foreign_workbook", params={"sheet": META_SHEET})]
    values = {}
    sheet = read_sheet(wb, META_SHEET, max_row=20, max_col=2)
    for row in range(1, 21):
        key, value = sheet.get(row, 1), sheet.get(row, 2)
        if key is not None and isinstance(key.value, str):
            values[key.value] = "" if value is None else str(value.value)
    problems = []
    if values.get("format") != FORMAT:
        found = values.get("format") or "?"
        return None, [WorkbookProblem("wrong_kind", META_SHEET, "B1", {"found": found, "expected": FORMAT})]
    if values.get("questionnaire") != q.ref:
        problems.append(WorkbookProblem("questionnaire_mismatch", META_SHEET, "B2",
                                        {"found": values.get("questionnaire"), "expected": q.ref}))
    if region is not None and values.get("region") != region:
        problems.append(WorkbookProblem("region_mismatch", META_SHEET, "B3", {"found": values.get("region"),
                                                                             "expected": region}))
    if round_ is not None and values.get("round") != round_:
        problems.append(WorkbookProblem("round_mismatch", META_SHEET, "B4", {"found": values.get("round"),
                                                                            "expected": round_}))
    return PlanMeta(values.get("questionnaire", ""), values.get("region", ""), values.get("round", "")), problems


@dataclass(frozen=True)
class _Value:
    value: object
    formula: bool
    coordinate: str


def _rows(sheet: SheetContent) -> list[list[_Value]] | None:
    """Every row's cells with their coordinates; None when the sheet is longer than anyone's plan."""
    if sheet.beyond:
        return None
    width = max((column for _, column in sheet.cells), default=0)
    rows = []
    for r in range(1, sheet.last_row + 1):
        row = []
        for c in range(1, width + 1):
            cell = sheet.get(r, c)
            row.append(_Value(None if cell is None else cell.value, cell is not None and cell.formula,
                              f"{get_column_letter(c)}{r}"))
        rows.append(row)
    return rows


def _header_keys() -> dict[str, str]:
    keys = {ID_HEADER.casefold(): "id", SOURCE_HEADER.casefold(): "source_action", "mognad-source": "source_action"}
    for key, text in FIELDS.items():
        keys[text.sv.casefold()] = key
        keys[text.en.casefold()] = key
    return keys


def _find_header(rows: list[list[_Value]]) -> tuple[int, dict[str, int]] | None:
    known = _header_keys()
    for index, row in enumerate(rows[:15]):
        found = {}
        for position, cell in enumerate(row):
            if isinstance(cell.value, str) and cell.value.strip().casefold() in known:
                found.setdefault(known[cell.value.strip().casefold()], position)
        if len(found) >= 4:
            return index, found
    return None


def _parse_rows(rows: list[list[_Value]], sheet: str, q: Questionnaire, lang: str):
    located = _find_header(rows)
    if located is None:
        columns = ", ".join(FIELDS[k][lang] for k in ("dimension", "action", "status"))
        return [], [WorkbookProblem("no_header", sheet, None, {"columns": columns})]
    header, positions = located
    problems = [WorkbookProblem("missing_column", sheet, f"{_letter(0)}{header + 1}",
                                {"column": column_header(key, lang)}) for key in COLUMNS if key not in positions]
    if problems:
        return [], problems
    body = rows[header + 1:]
    filled = sum(1 for row in body if any(not _blank(cell.value) for cell in row))
    if filled > MAX_ROWS:
        return [], [WorkbookProblem("too_many_rows", sheet, None, {"count": filled, "limit": MAX_ROWS})]
    items, seen = [], set()
    for row in body:
        cells = {key: row[pos] if pos < len(row) else _Value(None, False, "") for key, pos in positions.items()}
        if all(_blank(cells[key].value) for key in COLUMNS if key not in ("id", "source_action")):
            continue  # an empty (or emptied) row: no item
        item, row_problems = _item(cells, sheet, q, lang)
        problems += row_problems
        if item is None:
            continue
        if item.id is not None:
            if item.id in seen:  # a copied row: the first keeps the id, the copy is new
                item = replace(item, id=None)
            else:
                seen.add(item.id)
        items.append(item)
    return items, problems


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _item(cells: dict[str, _Value], sheet: str, q: Questionnaire, lang: str):
    problems: list[WorkbookProblem] = []

    def problem(key: str, code: str, **params) -> None:
        problems.append(WorkbookProblem(code, sheet, cells[key].coordinate, params))

    for key, cell in cells.items():
        if cell.formula:
            problem(key, "formula", value=str(cell.value)[:60])
    if problems:
        return None, problems
    text = {key: _text(cells[key].value) for key in ("action", "owner", "resources", "success_indicator")}
    for key, value in text.items():
        if len(value) > MAX_TEXT:
            problem(key, "text_too_long", length=len(value), limit=MAX_TEXT)
    ident = _text(cells["id"].value) or None
    dimension = _dimension(q, _text(cells["dimension"].value))
    if dimension is None:
        value = _text(cells["dimension"].value)
        if value:
            problem("dimension", "unknown_dimension", value=value, allowed=", ".join(q.dimension_by_id))
    indicators = tuple(_indicator_id(q, part) for part in re.split(r"[,;\s]+", _text(cells["indicators"].value))
                       if part)
    start = _date(cells["start"], problem, "start")
    due = _date(cells["due"], problem, "due")
    status_text = _text(cells["status"].value)
    status = status_from_label(status_text) if status_text else DEFAULT_STATUS
    if status is None:
        problem("status", "unknown_status", value=status_text,
                allowed=", ".join(label_[lang] for label_ in STATUSES.values()))
        status = DEFAULT_STATUS
    source = _text(cells["source_action"].value) or None
    if source is not None and source not in {action.id for action in q.actions}:
        problem("source_action", "unknown_source", value=source[:40])
    item = PlanItem(id=ident, dimension=dimension or _text(cells["dimension"].value), action=text["action"],
                    indicators=indicators, owner=text["owner"], start=start, due=due,
                    resources=text["resources"], success_indicator=text["success_indicator"], status=status,
                    source_action=source)
    for issue in validate(item, q):
        if issue.code in ("too_long", "unknown_dimension", "unknown_status"):
            continue  # reported above, in the words of the cell
        key = "due" if issue.code == "due_before_start" else issue.field
        problems.append(WorkbookProblem(issue.code, sheet, cells[key].coordinate, item=issue))
    if dimension is None and not _text(cells["dimension"].value):
        problems.append(WorkbookProblem("required", sheet, cells["dimension"].coordinate,
                                        item=ItemProblem("dimension", "required")))
    return item, problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _dimension(q: Questionnaire, text: str) -> str | None:
    if not text:
        return None
    wanted = text.strip().casefold()
    for dim in q.dimensions:
        if wanted in (dim.id.casefold(), dim.title.sv.casefold(), dim.title.en.casefold(),
                      dimension_label(q, dim.id, "sv").casefold(), dimension_label(q, dim.id, "en").casefold()):
            return dim.id
    head = re.split(r"[\s–-]+", text.strip(), maxsplit=1)[0].casefold()
    return next((dim.id for dim in q.dimensions if dim.id.casefold() == head), None)


def _indicator_id(q: Questionnaire, text: str) -> str:
    return next((ind.id for ind in q.indicators if ind.id.casefold() == text.casefold()), text)


def _date(cell: _Value, problem, key: str) -> dt.date | None:
    value = cell.value
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:  # a date typed where the column lost its date format: Excel's serial day number
            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else converted
        except (ValueError, OverflowError, TypeError):
            problem(key, "not_a_date", value=_text(value))
            return None
    text = _text(value)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        problem(key, "not_a_date", value=text[:40])
        return None
