"""Hostile and broken uploads are refused with a clear reason before openpyxl parses anything dangerous."""

from __future__ import annotations

import io
import zipfile

import pytest

from questionnaires import find
from questionnaires.answers import AnswersError
from reports import uploads
from reports.offline import answers_template
from reports.offline_reader import read_answers_workbook
from reports.planbook_reader import read_plan_workbook
from reports.problems import WorkbookError
from tests.reports.conftest import CODES


@pytest.fixture(scope="module")
def good(instrument) -> bytes:
    return answers_template(instrument, "19", "2025", "sv")


def rezip(raw: bytes, *, add: dict[str, bytes] | None = None, drop: set[str] = frozenset(),
          replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            data = (replace or {}).get(item.filename, source.read(item.filename))
            target.writestr(item.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def codes(raw: bytes, filename: str | None = None) -> set[str]:
    with pytest.raises(WorkbookError) as caught:
        uploads.check_workbook(raw, filename)
    return {p.code for p in caught.value.problems}


def test_defusedxml_guards_openpyxl():
    assert uploads.defused()


def test_a_good_workbook_passes(good):
    uploads.check_workbook(good, "svar.xlsx")
    uploads.open_workbook(good).close()


def test_size_limit_before_anything_else():
    assert codes(b"\0" * (50 * 1024 * 1024)) == {"too_large"}
    assert codes(b"") == {"empty"}


def test_zip_bomb_is_refused(good):
    bomb = rezip(good, add={"xl/media/bomb.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # small on the wire …
    assert codes(bomb) == {"too_big_unpacked", "compression_ratio"}  # … huge when unpacked
    small_bomb = rezip(good, add={"xl/media/small.bin": b"\0" * (3 * 1024 * 1024)})
    assert codes(small_bomb) == {"compression_ratio"}


def test_too_many_parts(good):
    assert codes(rezip(good, add={f"xl/extra/{i}.xml": b"<a/>" for i in range(600)})) == {"too_many_parts"}


def test_macro_workbooks_are_refused(good):
    assert codes(rezip(good, add={"xl/vbaProject.bin": b"macro"})) == {"macro_file"}
    assert codes(good, "svar.xlsm") == {"macro_file"}
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        types = z.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert codes(rezip(good, replace={"[Content_Types].xml": types})) == {"macro_file"}


def test_foreign_and_corrupt_files(good):
    assert codes(b"%PDF-1.7 not a workbook") == {"not_xlsx"}
    assert codes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == {"encrypted"}
    assert codes(good[: len(good) // 2]) == {"not_xlsx"}  # a truncated download
    assert codes(rezip(good, drop={"[Content_Types].xml"})) == {"missing_part"}
    assert codes(good, "svar.ods") == {"wrong_extension"}
    broken = rezip(good, replace={"xl/workbook.xml": b"<workbook><sheets><sheet"})
    with pytest.raises(WorkbookError) as caught:
        uploads.open_workbook(broken)
    assert caught.value.problems[0].code == "corrupt"
    assert "skadad" in caught.value.problems[0].render("sv")


def test_entity_expansion_is_stopped(good):
    """A billion-laughs DOCTYPE in a real part: defusedxml refuses it (no expansion, no external entities)."""
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        workbook = z.read("xl/workbook.xml")
    doctype = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
               b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    body = workbook.split(b"?>", 1)[1] if workbook.startswith(b"<?xml") else workbook
    hostile = rezip(good, replace={"xl/workbook.xml": doctype + body.replace(b"</workbook>", b"<x>&lol2;</x></workbook>")})
    with pytest.raises(WorkbookError) as caught:
        uploads.open_workbook(hostile).close()
    problem = caught.value.problems[0]
    assert problem.code == "unsafe_xml" and "Forbidden" in problem.params["reason"]
    assert "otillåten XML" in problem.render("sv")


def test_readers_turn_upload_problems_into_their_own_errors(good, instrument):
    bomb = rezip(good, add={"xl/media/bomb.bin": b"\0" * (60 * 1024 * 1024)})
    with pytest.raises(AnswersError) as caught:
        read_answers_workbook(bomb, find, CODES)
    lines = [p.render("en", "svar.xlsx") for p in caught.value.problems]
    assert any(line.startswith("svar.xlsx: ") and "compressed" in line for line in lines)
    with pytest.raises(WorkbookError):
        read_plan_workbook(b"\0" * (50 * 1024 * 1024), instrument)
