"""Opening an uploaded Excel workbook without trusting it.

Checks run from cheap to expensive, before openpyxl parses anything: the size; the container (a zip with
few enough members, a bounded unpacked size and no member packed suspiciously hard — a zip bomb); no
macros; the parts every workbook has. XML is parsed through defusedxml (openpyxl picks it up when it is
installed; we refuse to run without it), which stops entity expansion and external entities.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

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
