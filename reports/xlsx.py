"""Writing cells safely and consistently with openpyxl; shared by every workbook mognad produces.

Formula injection (CWE-1236): openpyxl stores any string that starts with "=" as a live formula. Every
string goes through `put`, which stores it as plain text and, when it starts like a formula, sets the quote
prefix so that Excel keeps it text even after the user edits the cell. CSV gets the OWASP apostrophe.

Stored text may predate the input rule (questionnaires.freetext): every string is passed through
`sanitise_for_export` first, so a control character or a broken surrogate never stops an export.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from questionnaires.freetext import sanitise_for_export

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
MAX_CELL_TEXT = 32_000  # Excel's limit is 32 767 characters per cell

HEADER_FILL = PatternFill("solid", fgColor="1F5FA8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
MUTED = Font(color="4A4A4A", italic=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Border(bottom=Side(style="thin", color="C8D0DA"))
DATE_FORMAT = "yyyy-mm-dd"
SCORE_FORMAT = "0.00"
VALUE_FORMAT = "0.0"
SHARE_FORMAT = "0%"
PERCENT_NUMBER_FORMAT = '0" %"'  # the JSON's percent (58.333) shown as "58 %", the number unchanged
# the marking of reports/marking.py: dark red on pale red (7.6:1), bold, above everything else on the first sheet
MARKING_FONT = Font(bold=True, color="8A1C1C", size=12)
MARKING_FILL = PatternFill("solid", fgColor="FDE2E1")


@lru_cache(maxsize=8192)
def _exportable(text: str) -> str:
    """sanitise_for_export, once per distinct text: open data repeat the same names, stages and statuses
    thousands of times, and the check walks every character in Python."""
    return sanitise_for_export(text)


def dangerous(value: str) -> bool:
    return value.startswith(DANGEROUS)


def clean(value: object) -> object:
    """A value openpyxl can store: NaN → empty, numpy scalars → Python, text without the characters XML refuses
    (questionnaires.freetext.sanitise_for_export) and cut to Excel's limit."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        value = _exportable(value)
        if not value:
            return None  # an empty inline string is not valid OOXML; an empty cell is what we mean
        if len(value) > MAX_CELL_TEXT:
            return value[:MAX_CELL_TEXT]
    return value


def put(ws: Worksheet, row: int, column: int, value: object, *, number_format: str | None = None,
        font: Font | None = None, alignment: Alignment | None = None, fill: PatternFill | None = None):
    """Write one cell; strings are always plain text (never a formula)."""
    cell = ws.cell(row=row, column=column)
    _assign(cell, clean(value))
    if number_format and not isinstance(cell.value, str):
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if fill is not None:
        cell.fill = fill
    return cell


def write_only_cell(ws, value: object, *, number_format: str | None = None, font: Font | None = None,
                    fill: PatternFill | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    _assign(cell, clean(value))
    if number_format and not isinstance(cell.value, str):
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _assign(cell, value: object) -> None:
    if isinstance(value, str):
        # `clean` has already removed every character openpyxl's setter would refuse and cut the text to
        # Excel's limit, so the value goes in directly: the setter's second scan cost a fifth of a workbook
        cell._value = value
        cell.data_type = "s"  # plain text even when it looks like a formula
        if dangerous(value):
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime | dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT if not isinstance(value, dt.datetime) else "yyyy-mm-dd hh:mm"
    else:
        cell.value = value


def header_row(ws: Worksheet, row: int, labels: list[str], start: int = 1) -> None:
    for offset, text in enumerate(labels):
        put(ws, row, start + offset, text, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP)


def widths(ws: Worksheet, values: dict[int, float] | list[float]) -> None:
    items = values.items() if isinstance(values, dict) else enumerate(values, start=1)
    for column, width in items:
        ws.column_dimensions[get_column_letter(column)].width = width


def print_setup(ws: Worksheet, *, landscape: bool = True, title_rows: str | None = None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.left.text = "&A"


def mark_properties(wb: Workbook, text: str) -> None:
    """The marking in the document properties too (Arkiv → Egenskaper), so a file list or a search shows it."""
    if text:
        wb.properties.subject = text
        wb.properties.keywords = text


def save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_safe(value: object) -> object:
    """OWASP: a text cell that a spreadsheet could read as a formula gets a leading apostrophe; text is made
    exportable first (no broken surrogate can stop the UTF-8 encoding)."""
    if isinstance(value, str):
        value = _exportable(value)
        if dangerous(value):
            return "'" + value
    return value


def row_height(texts: list[tuple[str, float]], line: float = 15.0, limit: float = 409.0) -> float | None:
    """An estimated height for wrapped texts [(text, column width)]; Excel does not grow rows by itself."""
    lines = 1
    for text, width in texts:
        if not text:
            continue
        per_line = max(int(width * 1.1), 8)
        count = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
        lines = max(lines, count)
    return None if lines <= 1 else min(limit, lines * line)
