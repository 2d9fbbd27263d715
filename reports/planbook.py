"""The region's action-plan workbook, and reading it back after people edited it in Excel or LibreOffice.

Sheets: Sammanfattning (scores, stages, the profile chart), Indikatorer, Handlingsplan (an Excel table with
the SMART columns) and Om (method, version, time). The plan rows carry a hidden stable id, so an edited
file maps back onto the stored plan: a row with a known id updates that item, a row without one is new, and
an item whose row is gone was deleted (the caller compares ids). A row that copies another row's id is read
as a new item, because the first row with an id keeps it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from questionnaires.actionplan import (
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
from questionnaires.text import Text, normalise_language
from reports import charts, svg, xlsx
from reports.labels import label
from reports.model import RegionReport, plan_items
from reports.problems import WorkbookError, WorkbookProblem
from reports.provenance import method_paragraphs, version
from reports.uploads import open_workbook

FORMAT = "mognad-plan/1"
META_SHEET = "_mognad"
LISTS_SHEET = "_listor"
SHEETS = {
    "summary": Text("Sammanfattning", "Summary"),
    "indicators": Text("Indikatorer", "Indicators"),
    "plan": Text("Handlingsplan", "Action plan"),
    "about": Text("Om", "About"),
}
TABLE_NAME = {"sv": "Handlingsplan", "en": "ActionPlan"}
ID_HEADER = "mognad-id"
SOURCE_HEADER = "mognad-källa"
# Plan columns in sheet order; id and source are hidden.
COLUMNS = ["id", "dimension", "indicators", "action", "owner", "start", "due", "resources", "success_indicator",
           "status", "source_action"]
WIDTHS = {"id": 10, "dimension": 26, "indicators": 14, "action": 48, "owner": 20, "start": 12, "due": 13,
          "resources": 26, "success_indicator": 34, "status": 14, "source_action": 12}
HEADER_ROW = 3
SPARE_ROWS = 15  # empty table rows ready for new actions
VALIDATED_ROWS = 500
MAX_ROWS = 5000  # filled plan rows
READ_LIMIT = 20_000  # rows of any kind (styled but empty rows too) read before giving up
LATE_FILL = PatternFill("solid", bgColor="FDE2E1")
LATE_FONT = Font(color="8A1C1C", bold=True)
DONE_FILL = PatternFill("solid", bgColor="E3F4E5")
DONE_FONT = Font(color="1E5B2A")


def _header(key: str, lang: str) -> str:
    if key == "id":
        return ID_HEADER
    if key == "source_action":
        return SOURCE_HEADER
    return FIELDS[key][lang]


def dimension_label(q: Questionnaire, dim_id: str, lang: str) -> str:
    return f"{dim_id} – {q.dimension_by_id[dim_id].title[lang]}"


# --- writing ----------------------------------------------------------------------------------------------------

def plan_workbook(report: RegionReport, lang: str = "sv", items: Sequence[PlanItem] | None = None) -> bytes:
    """The action-plan workbook for `report` (its stored plan, or the method's proposal); .xlsx bytes."""
    lang = normalise_language(lang)
    items = tuple(items) if items is not None else plan_items(report, lang)
    wb = Workbook()
    summary = wb.active
    summary.title = SHEETS["summary"][lang]
    _summary_sheet(summary, report, lang)
    _indicator_sheet(wb.create_sheet(SHEETS["indicators"][lang]), report, lang)
    plan = wb.create_sheet(SHEETS["plan"][lang])
    _about_sheet(wb.create_sheet(SHEETS["about"][lang]), report, lang)
    _plan_sheet(plan, report, items, lang, _lists_sheet(wb, report.q, lang))
    _meta_sheet(wb, report, lang)
    for sheet in wb.worksheets:  # otherwise Excel opens with two tabs selected: a group that edits both
        sheet.sheet_view.tabSelected = sheet is plan
    wb.active = wb.worksheets.index(plan)  # open on the plan: that is what people come back to edit
    return xlsx.save(wb)


def _summary_sheet(ws, report: RegionReport, lang: str) -> None:
    q = report.q
    put = xlsx.put
    put(ws, 1, 1, f"{label('region_report', lang)}: {report.region.name}", font=xlsx.TITLE_FONT)
    facts = [
        (label("region", lang), f"{report.region.name} ({report.region.code})"),
        (label("round", lang), report.round),
        (label("questionnaire", lang), f"{q.title[lang]} ({q.ref})"),
        (label("respondents", lang), report.respondent_count),
        (label("generated", lang), report.generated_at.date()),
    ]
    for offset, (name, value) in enumerate(facts):
        put(ws, 3 + offset, 1, name, font=xlsx.BOLD)
        put(ws, 3 + offset, 2, value, alignment=xlsx.TOP)
    top = 3 + len(facts) + 1
    headers = [label("dimension", lang), label("score", lang), label("percent", lang), label("stage", lang),
               label("completeness", lang), label("national_median", lang), label("peer_median", lang)]
    xlsx.header_row(ws, top, headers)
    stages = {s.id: f"{s.id} {s.name[lang]}" for s in q.stages}
    row = top
    for dim in report.summary["dimensions"]:
        row += 1
        comparison = report.comparison.loc[dim["id"]]
        put(ws, row, 1, f"{dim['id']} {q.dimension_by_id[dim['id']].title[lang]}", alignment=xlsx.WRAP)
        put(ws, row, 2, dim["score"], number_format=xlsx.SCORE_FORMAT)
        put(ws, row, 3, dim["percent"], number_format=xlsx.PERCENT_NUMBER_FORMAT)
        put(ws, row, 4, stages.get(dim["stage"], label("no_score", lang)))
        put(ws, row, 5, dim["completeness"], number_format=xlsx.SHARE_FORMAT)
        put(ws, row, 6, comparison["national_median"], number_format=xlsx.SCORE_FORMAT)
        put(ws, row, 7, comparison["peer_median"], number_format=xlsx.SCORE_FORMAT)
    row += 1
    overall = report.summary["overall"]
    put(ws, row, 1, label("overall", lang), font=xlsx.BOLD)
    put(ws, row, 2, overall["score"], number_format=xlsx.SCORE_FORMAT, font=xlsx.BOLD)
    put(ws, row, 3, overall["percent"], number_format=xlsx.PERCENT_NUMBER_FORMAT, font=xlsx.BOLD)
    put(ws, row, 4, stages.get(overall["stage"], label("no_score", lang)), font=xlsx.BOLD)
    put(ws, row, 6, report.overall_comparison["national_median"], number_format=xlsx.SCORE_FORMAT)
    put(ws, row, 7, report.overall_comparison["peer_median"], number_format=xlsx.SCORE_FORMAT)
    row += 2
    titles = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
    for key, dims in (("strengths", report.strengths), ("gaps", report.gaps)):
        put(ws, row, 1, label(key, lang), font=xlsx.BOLD)
        put(ws, row, 2, "; ".join(titles[d] for d in dims) or label("none", lang), alignment=xlsx.WRAP)
        row += 1
    flagged = [i["id"] for i in report.summary["indicators"] if i["disagreement"]]
    quality = [
        (label("answered_share", lang), report.overall["answered_share"], xlsx.SHARE_FORMAT),
        (label("na_share", lang), report.overall["na_share"], xlsx.SHARE_FORMAT),
        (label("dk_share", lang), report.overall["dk_share"], xlsx.SHARE_FORMAT),
        (label("disagreements", lang), ", ".join(flagged) or label("none", lang), None),
    ]
    row += 1
    put(ws, row, 1, label("data_quality", lang), font=xlsx.BOLD)
    for name, value, number_format in quality:
        row += 1
        put(ws, row, 1, name)
        put(ws, row, 2, value, number_format=number_format, alignment=xlsx.WRAP)
    xlsx.widths(ws, [40, 12, 14, 26, 14, 16, 20])
    chart, _ = charts.profile_chart(report.comparison, q, lang, report.region.name,
                                    show_national=not bool(report.overall_comparison["national_suppressed"]),
                                    show_peer=not bool(report.comparison["peer_suppressed"].all()))
    image = Image(io.BytesIO(svg.to_png(chart, lang, scale=2)))
    image.width, image.height = image.width / 2, image.height / 2  # rendered at twice the size for sharpness
    ws.add_image(image, "I3")
    ws.freeze_panes = "A3"
    xlsx.print_setup(ws, landscape=True)


def _indicator_sheet(ws, report: RegionReport, lang: str) -> None:
    q = report.q
    put = xlsx.put
    headers = [label("dimension", lang), label("indicator", lang), label("statement", lang), label("value", lang),
               label("level", lang), label("min", lang), label("max", lang), label("disagreement", lang).capitalize(),
               label("answered", lang), label("not_applicable", lang), "Vet ej" if lang == "sv" else "Don't know",
               label("comments", lang)]
    xlsx.header_row(ws, 1, headers)
    column_widths = [12, 10, 50, 12, 24, 8, 8, 11, 11, 11, 10, 60]
    row = 1
    for ind in q.indicators:
        row += 1
        data = report.indicator(ind.id)
        scores = report.indicators.loc[ind.id]
        if data["status"] == "value":
            low = int(data["value"])
            level = f"{low} {q.levels[low].name[lang]}" if float(data["value"]).is_integer() else \
                label("between_levels", lang, low=low, high=low + 1)
        elif data["status"] == "not_applicable":
            level = q.special_name("na")[lang]
        else:
            level = label("unknown", lang)
        comments = "\n".join(f"{q.role_by_id[c.role].name[lang] if c.role in q.role_by_id else c.role}: {c.text}"
                             for c in report.comments.get(ind.id, ()))
        values = [ind.dimension, ind.id, ind.statement[lang], data["value"], level,
                  _int(scores["min"]), _int(scores["max"]),
                  label("yes", lang) if data["disagreement"] else label("no", lang),
                  int(scores["n_value"]), int(scores["n_na"]), int(scores["n_dk"]), comments]
        for column, value in enumerate(values, start=1):
            put(ws, row, column, value, number_format=xlsx.VALUE_FORMAT if column == 4 else None,
                alignment=xlsx.WRAP)
        height = xlsx.row_height([(ind.statement[lang], 50), (comments, 60)])
        if height:
            ws.row_dimensions[row].height = height
    xlsx.widths(ws, column_widths)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{row}"
    xlsx.print_setup(ws, title_rows="1:1")


def _int(value) -> int | None:
    return None if value != value else int(value)  # NaN check without numpy


@dataclass(frozen=True)
class _Lists:
    dimensions: str  # a defined name for the dimension labels


def _lists_sheet(wb: Workbook, q: Questionnaire, lang: str) -> _Lists:
    ws = wb.create_sheet(LISTS_SHEET)
    for row, dim in enumerate(q.dimensions, start=1):
        xlsx.put(ws, row, 1, dimension_label(q, dim.id, lang))
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    name = "Dimensioner" if lang == "sv" else "Dimensions"
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{LISTS_SHEET}'!$A$1:$A${len(q.dimensions)}")
    return _Lists(name)


def _plan_sheet(ws, report: RegionReport, items: Sequence[PlanItem], lang: str, lists: _Lists) -> None:
    q = report.q
    put = xlsx.put
    put(ws, 1, 2, f"{label('action_plan', lang)} – {report.region.name} – {label('round', lang).lower()} "
                  f"{report.round}", font=xlsx.TITLE_FONT)
    put(ws, 2, 2, _instructions(lang), font=xlsx.MUTED)
    headers = [_header(key, lang) for key in COLUMNS]
    xlsx.header_row(ws, HEADER_ROW, headers)
    col = {key: i for i, key in enumerate(COLUMNS, start=1)}
    row = HEADER_ROW
    for item in items:
        row += 1
        values = {
            "id": item.id,
            "dimension": dimension_label(q, item.dimension, lang) if item.dimension in q.dimension_by_id
            else item.dimension,
            "indicators": ", ".join(item.indicators),
            "action": item.action,
            "owner": item.owner,
            "start": item.start,
            "due": item.due,
            "resources": item.resources,
            "success_indicator": item.success_indicator,
            "status": STATUSES[item.status][lang] if item.status in STATUSES else item.status,
            "source_action": item.source_action,
        }
        for key, value in values.items():
            put(ws, row, col[key], value, alignment=xlsx.WRAP)
        height = xlsx.row_height([(item.action, WIDTHS["action"]), (item.success_indicator, WIDTHS["success_indicator"]),
                                  (item.resources, WIDTHS["resources"])])
        if height:
            ws.row_dimensions[row].height = height
    last = row + SPARE_ROWS
    for spare in range(row + 1, last + 1):
        for key in ("start", "due"):
            ws.cell(spare, col[key]).number_format = xlsx.DATE_FORMAT
        for key in COLUMNS:
            ws.cell(spare, col[key]).alignment = xlsx.WRAP
    for key, width in WIDTHS.items():
        ws.column_dimensions[get_column_letter(col[key])].width = width
    for key in ("id", "source_action"):
        ws.column_dimensions[get_column_letter(col[key])].hidden = True
    table = Table(displayName=TABLE_NAME[lang], ref=f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    _validations(ws, q, lang, col, lists)
    _conditional_formats(ws, lang, col)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_area = f"B1:{get_column_letter(col['status'])}{last}"
    xlsx.print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _instructions(lang: str) -> str:
    if lang == "sv":
        return ("Ändra status, ansvarig, datum och texter direkt i tabellen. Skriv nya åtgärder på de tomma raderna "
                "(Åtgärd och Dimension krävs). Ta bort en rad för att stryka åtgärden. Spara som .xlsx och ladda upp "
                "filen igen.")
    return ("Change status, owner, dates and texts directly in the table. Type new actions on the empty rows (Action "
            "and Dimension are required). Delete a row to remove the action. Save as .xlsx and upload the file again.")


def _validations(ws, q: Questionnaire, lang: str, col: dict[str, int], lists: _Lists) -> None:
    first, last = HEADER_ROW + 1, HEADER_ROW + VALIDATED_ROWS
    status = DataValidation(type="list", formula1='"' + ",".join(label_[lang] for label_ in STATUSES.values()) + '"',
                            allow_blank=True, showErrorMessage=True,
                            errorTitle="Ogiltig status" if lang == "sv" else "Invalid status",
                            error="Välj ett värde i listan." if lang == "sv" else "Choose a value from the list.")
    dimension = DataValidation(type="list", formula1=lists.dimensions, allow_blank=True, showErrorMessage=True,
                               errorTitle="Okänd dimension" if lang == "sv" else "Unknown dimension",
                               error="Välj en dimension i listan." if lang == "sv" else "Choose a dimension from the list.")
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                           allow_blank=True, showErrorMessage=True,
                           errorTitle="Ogiltigt datum" if lang == "sv" else "Invalid date",
                           error="Skriv ett datum ÅÅÅÅ-MM-DD." if lang == "sv" else "Type a date YYYY-MM-DD.")
    for validation, keys in ((status, ["status"]), (dimension, ["dimension"]), (dates, ["start", "due"])):
        ws.add_data_validation(validation)
        for key in keys:
            letter = get_column_letter(col[key])
            validation.add(f"{letter}{first}:{letter}{last}")


def _conditional_formats(ws, lang: str, col: dict[str, int]) -> None:
    first, last = HEADER_ROW + 1, HEADER_ROW + VALIDATED_ROWS
    due = f"${get_column_letter(col['due'])}{first}"
    status = f"${get_column_letter(col['status'])}{first}"
    done, dropped = STATUSES["done"][lang], STATUSES["dropped"][lang]
    area = f"{get_column_letter(col['dimension'])}{first}:{get_column_letter(col['status'])}{last}"
    ws.conditional_formatting.add(area, FormulaRule(
        formula=[f'AND({due}<>"",{due}<TODAY(),{status}<>"{done}",{status}<>"{dropped}")'],
        fill=LATE_FILL, font=LATE_FONT, stopIfTrue=True))
    ws.conditional_formatting.add(area, FormulaRule(formula=[f'{status}="{done}"'], fill=DONE_FILL, font=DONE_FONT))


def _about_sheet(ws, report: RegionReport, lang: str) -> None:
    q = report.q
    put = xlsx.put
    put(ws, 1, 1, label("method", lang), font=xlsx.TITLE_FONT)
    rows = [
        (label("questionnaire", lang), f"{q.title[lang]} ({q.ref})"),
        (label("region", lang), f"{report.region.name} ({report.region.code})"),
        (label("round", lang), report.round),
        (label("generated", lang), report.generated_at),
        ("mognad", version()),
        ("", ""),
    ]
    rows += [("", paragraph) for paragraph in method_paragraphs(q, lang, report.k)]
    rows += [("", "")] + [(f"{s.id} {s.name[lang]}", f"≥ {s.lower:g}: {s.description[lang]}") for s in q.stages]
    rows += [("", "")] + [(("Källa" if lang == "sv" else "Source") if i == 0 else "",
                           s.citation + (f" – {s.url}" if s.url else "")) for i, s in enumerate(q.sources)]
    for offset, (name, value) in enumerate(rows, start=3):
        put(ws, offset, 1, name, font=xlsx.BOLD, alignment=xlsx.TOP)
        put(ws, offset, 2, value, alignment=xlsx.WRAP)
        height = xlsx.row_height([(str(value), 100)])
        if height:
            ws.row_dimensions[offset].height = height
    xlsx.widths(ws, [28, 100])
    xlsx.print_setup(ws, landscape=False)


def _meta_sheet(wb: Workbook, report: RegionReport, lang: str) -> None:
    ws = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate((("format", FORMAT), ("questionnaire", report.q.ref),
                                        ("region", report.region.code), ("round", report.round),
                                        ("lang", lang)), start=1):
        xlsx.put(ws, row, 1, key)
        xlsx.put(ws, row, 2, value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


# --- reading ----------------------------------------------------------------------------------------------------

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
        rows = _rows(wb[sheet_name])
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
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            values[row[0]] = "" if row[1] is None else str(row[1])
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


def _rows(ws) -> list[list[_Value]] | None:
    """Every row's cells with their coordinates; None when the sheet is longer than anyone's plan."""
    rows = []
    for r, row in enumerate(ws.iter_rows(min_row=1, max_col=len(COLUMNS) + 10), start=1):
        if r > READ_LIMIT:
            return None
        rows.append([_Value(cell.value, getattr(cell, "data_type", None) == "f",
                            f"{get_column_letter(c)}{r}") for c, cell in enumerate(row, start=1)])
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
                                {"column": _header(key, lang)}) for key in COLUMNS if key not in positions]
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
