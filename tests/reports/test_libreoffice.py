"""The action-plan workbook saved by LibreOffice itself comes back with every action, id and status intact.

LibreOffice rewrites the whole file on save (its own XML, its own styles), so this is the round trip a
region using LibreOffice makes. The test command installs LibreOffice; in CI its absence is a failure.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import replace

import openpyxl
import pytest

from reports.planbook import plan_workbook
from reports.planbook_reader import read_plan_workbook
from tests.chromium import need

SOFFICE = shutil.which("soffice")


@pytest.fixture(autouse=True)
def _libreoffice():
    need(SOFFICE is not None, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")


def saved_by_libreoffice(raw: bytes, tmp_path) -> bytes:
    source = tmp_path / "in" / "plan.xlsx"
    source.parent.mkdir()
    source.write_bytes(raw)
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (out / "plan.xlsx").read_bytes()


def test_a_workbook_edited_and_saved_in_libreoffice_round_trips(region_report_19, stored_items, instrument, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(region_report_19, "sv")))
    ws = wb["Handlingsplan"]
    row = next(cell.row for cell in ws["A"] if cell.value == "a2")
    ws[f"J{row}"] = "Pågår"
    ws[f"G{row}"] = dt.datetime(2026, 6, 30)
    edited = io.BytesIO()
    wb.save(edited)
    again = saved_by_libreoffice(edited.getvalue(), tmp_path)
    items = read_plan_workbook(again, instrument, "sv")
    expected = [stored_items[0], replace(stored_items[1], status="ongoing", due=dt.date(2026, 6, 30)), stored_items[2]]
    assert items == expected
    # the dangerous strings are still plain text after LibreOffice, never formulas
    ws = openpyxl.load_workbook(io.BytesIO(again))["Handlingsplan"]
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    assert ws.data_validations.dataValidation, "the status dropdown survives"
