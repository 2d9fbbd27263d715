"""The region's action-plan workbook (reading it back: `reports.planbook_reader`).

Sheets: Sammanfattning (scores, stages, the profile chart), Indikatorer, Handlingsplan (an Excel table with
the SMART columns) and Om (method, version, time). The plan rows carry a hidden stable id (the column
`mognad-id`), so an edited file maps back onto the stored plan. The layout constants here are shared with
the reader.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from questionnaires.actionplan import COLUMNS, FIELDS, STATUSES, PlanItem
from questionnaires.model import Questionnaire
from questionnaires.text import Text, normalise_language
from reports import charts, describe, svg, xlsx
from reports import formatting as fmt
from reports.labels import label
from reports.model import RegionReport, plan_items
from reports.provenance import method_paragraphs, version
from scoring import explain

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
# Plan columns in sheet order: questionnaires.actionplan.COLUMNS; id and source are hidden.
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
LEFT_WRAP = Alignment(wrap_text=True, vertical="top", horizontal="left")  # numbers among the facts read as text


def col_of(key: str) -> int:
    return COLUMNS.index(key) + 1


def column_header(key: str, lang: str) -> str:
    """The header of a plan column in `lang` (the hidden columns keep one name in both)."""
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
    xlsx.mark_properties(wb, report.marking.text(lang))
    summary = wb.active
    summary.title = SHEETS["summary"][lang]
    _summary_sheet(summary, report, lang)
    _indicator_sheet(wb.create_sheet(SHEETS["indicators"][lang]), report, lang)
    plan = wb.create_sheet(SHEETS["plan"][lang])
    _about_sheet(wb.create_sheet(SHEETS["about"][lang]), report, lang)
    _plan_sheet(plan, report, items, lang, _lists_sheet(wb, report.q, lang))
    if report.last_plan is not None:  # a follow-up round: last round's actions and how they went
        from reports.followup import write_review_sheet

        write_review_sheet(wb, report.last_plan, lang)
    _meta_sheet(wb, report, lang)
    for sheet in wb.worksheets:  # otherwise Excel opens with two tabs selected: a group that edits both
        sheet.sheet_view.tabSelected = sheet is plan
    wb.active = wb.worksheets.index(plan)  # open on the plan: that is what people come back to edit
    return xlsx.save(wb)


def _summary_sheet(ws, report: RegionReport, lang: str) -> None:
    q = report.q
    put = xlsx.put
    put(ws, 1, 1, f"{label('region_report', lang)}: {report.region.name}", font=xlsx.TITLE_FONT)
    method2 = bool(report.intervals)  # method 2: each score's interval and, in words, whether it is uncertain
    widths = [40, 12, 14, 26, 14, 16, 20] + ([16, 60] if method2 else [])
    wide = sum(widths[1:7])  # columns B–G merged for texts that run across the table
    marking = report.marking.text(lang)
    if marking:  # row 2, frozen with the title: seen before any number
        put(ws, 2, 1, marking, font=xlsx.MARKING_FONT, fill=xlsx.MARKING_FILL, alignment=xlsx.WRAP)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=7)
        _fit(ws, 2, [(marking, sum(widths[:7]))], line=17.0)
    facts = [
        (label("region", lang), f"{report.region.name} ({report.region.code})"),
        (label("round", lang), report.round),
        (label("questionnaire", lang), f"{q.title[lang]} ({q.ref})"),
        (label("respondents", lang), report.respondent_count),
        (label("generated", lang), report.generated_at.date()),
    ]
    for offset, (name, value) in enumerate(facts):
        put(ws, 3 + offset, 1, name, font=xlsx.BOLD, alignment=xlsx.TOP)
        put(ws, 3 + offset, 2, value, alignment=LEFT_WRAP)
        ws.merge_cells(start_row=3 + offset, start_column=2, end_row=3 + offset, end_column=7)
        _fit(ws, 3 + offset, [(str(value), wide)])
    top = 3 + len(facts) + 1
    headers = [label("dimension", lang), label("score", lang), label("percent", lang), label("stage", lang),
               label("completeness", lang), label("national_median", lang), label("peer_median", lang)]
    if method2:
        headers += [explain.WORDS.render("interval", lang), explain.WORDS.render("confidence", lang)]
    xlsx.header_row(ws, top, headers)
    _fit(ws, top, list(zip(headers, widths, strict=True)))
    stages = {s.id: f"{s.id} {s.name[lang]}" for s in q.stages}
    row = top
    for dim in report.summary["dimensions"]:
        row += 1
        comparison = report.comparison.loc[dim["id"]]
        put(ws, row, 1, f"{dim['id']} {q.dimension_by_id[dim['id']].title[lang]}", alignment=xlsx.WRAP)
        top_ = xlsx.TOP  # a wrapped title reads from the top: its numbers beside its first line
        put(ws, row, 2, dim["score"], number_format=xlsx.SCORE_FORMAT, alignment=top_)
        put(ws, row, 3, dim["percent"], number_format=xlsx.PERCENT_NUMBER_FORMAT, alignment=top_)
        put(ws, row, 4, stages.get(dim["stage"], label("no_score", lang)), alignment=xlsx.WRAP)
        put(ws, row, 5, dim["completeness"], number_format=xlsx.SHARE_FORMAT, alignment=top_)
        put(ws, row, 6, comparison["national_median"], number_format=xlsx.SCORE_FORMAT, alignment=top_)
        put(ws, row, 7, comparison["peer_median"], number_format=xlsx.SCORE_FORMAT, alignment=top_)
        if method2:
            _uncertainty_cells(ws, row, report, dim["id"], dim, lang)
        _fit_cells(ws, row, widths)
    row += 1
    overall = report.summary["overall"]
    put(ws, row, 1, label("overall", lang), font=xlsx.BOLD)
    put(ws, row, 2, overall["score"], number_format=xlsx.SCORE_FORMAT, font=xlsx.BOLD)
    put(ws, row, 3, overall["percent"], number_format=xlsx.PERCENT_NUMBER_FORMAT, font=xlsx.BOLD)
    put(ws, row, 4, stages.get(overall["stage"], label("no_score", lang)), font=xlsx.BOLD)
    put(ws, row, 6, report.overall_comparison["national_median"], number_format=xlsx.SCORE_FORMAT)
    put(ws, row, 7, report.overall_comparison["peer_median"], number_format=xlsx.SCORE_FORMAT)
    if method2:
        _uncertainty_cells(ws, row, report, "overall", overall, lang)
    _fit_cells(ws, row, widths)
    row += 2
    titles = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
    for key, dims in (("strengths", report.strengths), ("gaps", report.gaps)):
        text = "; ".join(titles[d] for d in dims) or label("none", lang)
        put(ws, row, 1, label(key, lang), font=xlsx.BOLD, alignment=xlsx.WRAP)
        put(ws, row, 2, text, alignment=xlsx.WRAP)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)  # the names need the width
        _fit(ws, row, [(label(key, lang), widths[0]), (text, wide)])
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
        if number_format is None:  # a list of indicators: across the table, not down a narrow column
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
            _fit(ws, row, [(str(value), wide)])
    xlsx.widths(ws, widths)
    chart, _ = charts.profile_chart(report.comparison, q, lang, report.region.name,
                                    show_national=not bool(report.overall_comparison["national_suppressed"]),
                                    show_peer=not bool(report.comparison["peer_suppressed"].all()))
    image = Image(io.BytesIO(svg.to_png(chart, lang, scale=2)))
    image.width, image.height = image.width / 2, image.height / 2  # rendered at twice the size for sharpness
    ws.row_breaks.append(Break(id=row + 1))  # the chart on a page of its own rather than cut in two
    ws.add_image(image, f"A{row + 2}")  # below the tables: beside them it printed off to the right
    ws.freeze_panes = "A3"
    xlsx.print_setup(ws, landscape=True)


def _fit(ws, row: int, texts: list[tuple[str, float]], line: float = 15.0) -> None:
    """A row tall enough for its wrapped texts: LibreOffice and Excel do not grow a row when printing, so
    without this a long title runs into the row below."""
    height = xlsx.row_height([(text, width * 0.9) for text, width in texts], line=line)
    if height and height > (ws.row_dimensions[row].height or 0):
        ws.row_dimensions[row].height = height


def _fit_cells(ws, row: int, widths: list[float]) -> None:
    _fit(ws, row, [(str(ws.cell(row, column).value or ""), width) for column, width in enumerate(widths, start=1)
                   if isinstance(ws.cell(row, column).value, str)])


def _uncertainty_cells(ws, row: int, report: RegionReport, key: str, item: dict, lang: str) -> None:
    """Method 2: the score's 90 % interval and, for a low-confidence score, why ("Osäkert: …")."""
    if key not in report.intervals:
        return
    lo, hi = report.intervals[key]
    xlsx.put(ws, row, 8, explain.WORDS.render("interval_range", lang, lo=fmt.decimal(lo, lang, 2),
                                              hi=fmt.decimal(hi, lang, 2)))
    reasons = report.low_confidence.get(key, ())
    if reasons:
        xlsx.put(ws, row, 9, describe.uncertain(reasons, lang, respondents=item.get("panel", {}).get("respondents", 0),
                                                lo=lo, hi=hi, completeness=item.get("completeness")),
                 alignment=xlsx.WRAP)


def _indicator_sheet(ws, report: RegionReport, lang: str) -> None:
    q = report.q
    put = xlsx.put
    headers = [label("dimension", lang), label("indicator", lang), label("statement", lang), label("value", lang),
               label("level", lang), label("min", lang), label("max", lang), label("disagreement", lang).capitalize(),
               label("answered", lang), label("not_applicable", lang), "Vet ej" if lang == "sv" else "Don't know",
               label("comments", lang)]
    xlsx.header_row(ws, 1, headers)
    column_widths = [12, 10, 50, 12, 24, 8, 8, 11, 11, 11, 10, 60]
    _fit(ws, 1, list(zip(headers, column_widths, strict=True)))  # "Not relevant" wraps: give it the lines
    row = 1
    for ind in q.indicators:
        row += 1
        data = report.indicator(ind.id)
        scores = report.indicators.loc[ind.id]
        if data["status"] in ("value", "consensus"):  # a consensus value (method 2) is a value too
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
    if report.marking.lines(lang):  # the workbook opens on this sheet: say it here too, beside the title
        put(ws, 1, col_of("owner"), report.marking.text(lang), font=xlsx.MARKING_FONT, fill=xlsx.MARKING_FILL)
    put(ws, 2, 2, _instructions(lang), font=xlsx.MUTED)
    headers = [column_header(key, lang) for key in COLUMNS]
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
        _fit(ws, row, [(str(values["dimension"]), WIDTHS["dimension"]), (values["indicators"], WIDTHS["indicators"]),
                       (item.action, WIDTHS["action"]), (item.owner, WIDTHS["owner"]),
                       (item.success_indicator, WIDTHS["success_indicator"]), (item.resources, WIDTHS["resources"])])
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
        _fit(ws, offset, [(str(value), 85)])  # narrower than the column: long web addresses break late
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
