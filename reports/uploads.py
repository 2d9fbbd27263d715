"""Opening an uploaded Excel workbook without trusting it, and reading its sheets inside the same guard.

Checks run from cheap to expensive, before openpyxl parses anything: the size; the container (a zip with
few enough members, a bounded unpacked size and no member packed suspiciously hard — a zip bomb); no
macros; the parts every workbook has. XML is parsed through defusedxml (openpyxl picks it up when it is
installed; we refuse to run without it), which stops entity expansion and external entities.

In read-only mode openpyxl parses a sheet only when its cells are read, so a broken sheet (a shared-string
index out of range, text where a number is declared, XML that stops halfway) fails then, not at opening.
Readers therefore read cells only through `read_sheet`, which turns every such failure into a
WorkbookError naming the sheet and, where known, the cell.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

from reports.problems import WorkbookError, WorkbookProblem, size_text

MAX_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100  # unpacked:packed, per member
RATIO_FLOOR = 1024 * 1024  # small parts may compress hard (repeated XML); only large ones are judged
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files are OLE containers
MACRO_CONTENT_TYPE = b"macroEnabled"


def defused() -> bool:
    from openpyxl.xml import DEFUSEDXML

    return bool(DEFUSEDXML)


if not defused():  # pragma: no cover - a broken installation, not a user error
    raise ImportError("mognad reads workbooks only with defusedxml installed (pip install defusedxml)")


def check_workbook(raw: bytes, filename: str | None = None, max_bytes: int = MAX_BYTES) -> None:
    """Raise WorkbookError (with every reason found) unless `raw` looks like a safe .xlsx file."""
    problems = _container_problems(raw, filename, max_bytes)
    if problems:
        raise WorkbookError(problems)


def _container_problems(raw: bytes, filename: str | None, max_bytes: int) -> list[WorkbookProblem]:
    if not raw:
        return [WorkbookProblem("empty")]
    if len(raw) > max_bytes:
        return [WorkbookProblem("too_large", params={"size": size_text(len(raw)), "limit": size_text(max_bytes)})]
    if filename:
        extension = PurePath(filename).suffix.lower()
        if extension in (".xlsm", ".xltm", ".xlam"):
            return [WorkbookProblem("macro_file")]
        if extension and extension not in (".xlsx", ".xltx"):
            return [WorkbookProblem("wrong_extension", params={"extension": extension})]
    if raw.startswith(OLE_MAGIC):
        return [WorkbookProblem("encrypted")]
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        return [WorkbookProblem("not_xlsx")]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return [WorkbookProblem("too_many_parts", params={"count": len(members), "limit": MAX_MEMBERS})]
            problems = []
            total = sum(member.file_size for member in members)
            if total > MAX_UNPACKED:
                problems.append(WorkbookProblem("too_big_unpacked",
                                                params={"size": size_text(total), "limit": size_text(MAX_UNPACKED)}))
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                    problems.append(WorkbookProblem("compression_ratio",
                                                    params={"name": member.filename, "ratio": int(ratio)}))
            names = {member.filename for member in members}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                problems.append(WorkbookProblem("macro_file"))
            for part in REQUIRED_PARTS:
                if part not in names:
                    problems.append(WorkbookProblem("missing_part", params={"name": part}))
            if problems:
                return problems
            if MACRO_CONTENT_TYPE in archive.read("[Content_Types].xml"):
                return [WorkbookProblem("macro_file")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        return [WorkbookProblem("corrupt", params={"reason": type(exc).__name__})]
    return []


def open_workbook(raw: bytes, filename: str | None = None, *, read_only: bool = True,
                  max_bytes: int = MAX_BYTES) -> Workbook:
    """The checked workbook, formulas as text (never evaluated). In read-only mode, call `wb.close()`."""
    check_workbook(raw, filename, max_bytes)
    try:
        return load_workbook(io.BytesIO(raw), read_only=read_only, data_only=False, keep_links=False,
                             keep_vba=False, rich_text=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError, XML errors … for broken files
        root = _root(exc)
        if type(root).__module__.startswith("defusedxml"):
            raise WorkbookError([WorkbookProblem("unsafe_xml", params={"reason": type(root).__name__})]) from None
        raise WorkbookError([WorkbookProblem("corrupt", params={"reason": _reason(exc)})]) from None


def _root(exc: BaseException) -> BaseException:
    """The first cause: openpyxl wraps the parser's error in a ValueError of its own."""
    seen = set()
    while (exc.__cause__ or exc.__context__) is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return exc


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


# -- reading a sheet --------------------------------------------------------------------------------------------

COORDINATE = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")


@dataclass(frozen=True)
class SheetCell:
    row: int
    column: int
    value: object  # the formula's text when `formula`
    formula: bool

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class SheetContent:
    """The cells of one sheet that hold something, by (row, column); merged ranges; whether rows went on."""

    title: str
    cells: dict[tuple[int, int], SheetCell]
    merged: tuple[str, ...]  # e.g. "D10:D11"
    beyond: bool  # the sheet has rows past `max_row`

    def get(self, row: int, column: int) -> SheetCell | None:
        return self.cells.get((row, column))

    @property
    def last_row(self) -> int:
        return max((row for row, _ in self.cells), default=0)


class _CellFailure(Exception):
    def __init__(self, coordinate: str | None, error: Exception):
        super().__init__(coordinate)
        self.coordinate, self.error = coordinate, error


class _GuardedParser(WorkSheetParser):
    """openpyxl's sheet parser, telling which cell it could not read."""

    def parse_cell(self, element):
        try:
            return super().parse_cell(element)
        except Exception as exc:  # IndexError, ValueError, TypeError … from one cell's content
            coordinate = element.get("r")
            raise _CellFailure(coordinate if coordinate and COORDINATE.fullmatch(coordinate) else None, exc) from exc


def read_sheet(wb: Workbook, title: str, *, max_row: int, max_col: int, to_end: bool = False) -> SheetContent:
    """The values in rows 1..max_row and columns 1..max_col of the sheet `title` of a read-only workbook
    opened by `open_workbook`, and its merged ranges.

    Parsing stops at the first row past `max_row` (`beyond` is then true) unless `to_end`: then the rest is
    parsed too (every cell must still be readable) but not kept, and the merged ranges, which stand after
    the cells, are known. Raises WorkbookError naming the sheet (and the cell, where known) for anything
    that cannot be read.
    """
    ws = wb[title]
    cells: dict[tuple[int, int], SheetCell] = {}
    beyond = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "a date out of range": the cell then holds an error value
            # openpyxl's own read-only iteration does exactly this; we need the parser for the cell's place
            # and the merged ranges (openpyxl 3.1: ReadOnlyWorksheet._get_source, _shared_strings)
            with ws._get_source() as source:
                parser = _GuardedParser(source, ws._shared_strings, data_only=wb.data_only, epoch=wb.epoch,
                                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                for row, found in parser.parse():
                    if row > max_row:
                        beyond = True
                        if not to_end:
                            break
                        continue
                    for cell in found:
                        if cell["column"] <= max_col and (cell["value"] is not None or cell["data_type"] == "f"):
                            cells[(row, cell["column"])] = SheetCell(row, cell["column"], cell["value"],
                                                                     cell["data_type"] == "f")
                merged = tuple(str(item.ref) for item in parser.merged_cells.mergeCell) \
                    if to_end and parser.merged_cells is not None else ()
    except _CellFailure as failure:
        raise WorkbookError([WorkbookProblem("unreadable_cell", title, failure.coordinate,
                                             {"reason": _reason(failure.error)})]) from None
    except Exception as exc:  # noqa: BLE001 — the XML itself is broken (or forbidden) somewhere in the sheet
        root = _root(exc)
        if type(root).__module__.startswith("defusedxml"):
            raise WorkbookError([WorkbookProblem("unsafe_xml", title, params={"reason": type(root).__name__})]) from None
        raise WorkbookError([WorkbookProblem("unreadable_sheet", title, params={"reason": _reason(exc)})]) from None
    return SheetContent(title, cells, merged, beyond)
