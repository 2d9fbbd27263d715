"""The action-plan workbook: its structure, formula injection, and the round trip through a user's edits."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import openpyxl
import pytest

from questionnaires.actionplan import PlanItem
from reports.planbook import HEADER_ROW, plan_workbook
from reports.planbook_reader import read_plan_workbook
from reports.problems import WorkbookError


@pytest.fixture(scope="module")
def workbook_bytes(region_report_19):
    return plan_workbook(region_report_19, "sv")


def load(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_of(ws, ident: str) -> int:
    return next(cell.row for cell in ws["A"] if cell.value == ident)


def test_structure(workbook_bytes):
    wb = load(workbook_bytes)
    assert wb.sheetnames[:4] == ["Sammanfattning", "Indikatorer", "Handlingsplan", "Om"]
    ws = wb["Handlingsplan"]
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["K"].hidden  # id and source
    headers = [cell.value for cell in ws[HEADER_ROW]]
    assert headers[1:10] == ["Dimension", "Indikatorer", "Åtgärd", "Ansvarig", "Start", "Klart senast", "Resurser",
                             "Framgångsindikator", "Status"]
    assert list(ws.tables) == ["Handlingsplan"]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}" and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.page_setup.orientation == "landscape"
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"Ej påbörjad,Pågår,Klar,Pausad,Stryks"' in lists and "Dimensioner" in lists
    rules = [rule.formula[0] for rng in ws.conditional_formatting for rule in rng.rules]
    assert any("TODAY()" in formula for formula in rules) and any('="Klar"' in formula for formula in rules)
    assert wb["Sammanfattning"]._images  # the profile chart as a picture
    assert wb["_mognad"].sheet_state == "hidden"
    assert wb.active.title == "Handlingsplan"
    assert [sheet.title for sheet in wb.worksheets if sheet.sheet_view.tabSelected] == ["Handlingsplan"]


def test_user_strings_are_plain_text_never_formulas(workbook_bytes):
    ws = load(workbook_bytes)["Handlingsplan"]
    row = row_of(ws, "a3")
    for column in "DEHI":  # action =HYPERLINK…, owner @SUM…, resources +46…, success indicator -1
        cell = ws[f"{column}{row}"]
        assert cell.data_type == "s" and cell.quotePrefix, column
    assert ws[f"D{row}"].value.startswith("=HYPERLINK")


def test_round_trip_unchanged(workbook_bytes, stored_items, instrument):
    assert read_plan_workbook(workbook_bytes, instrument, "sv") == stored_items


def test_round_trip_with_a_users_edits(workbook_bytes, stored_items, instrument):
    wb = load(workbook_bytes)
    ws = wb["Handlingsplan"]
    a1, a2 = row_of(ws, "a1"), row_of(ws, "a2")
    ws[f"J{a1}"] = "Klar"
    ws[f"E{a1}"] = "Ny ägare"
    ws[f"G{a2}"] = dt.datetime(2026, 6, 30)  # Excel gives dates back as datetimes
    ws[f"J{a2}"] = "pågår"  # typed by hand, lower case
    ws.delete_rows(row_of(ws, "a3"))  # the user removes the third action
    new = row_of(ws, "a2") + 1
    ws[f"B{new}"] = "D3 – Kompetensbehov och prioriteringar"
    ws[f"C{new}"] = "D3.1; d3.2"
    ws[f"D{new}"] = "Gemensam analys av kompetensbehov"
    ws[f"E{new}"] = "Analysenheten"
    ws[f"F{new}"] = dt.date(2026, 4, 1)
    ws[f"G{new}"] = "2026-09-30"  # typed as text
    ws[f"J{new}"] = "Not started"  # an English label is understood too
    items = read_plan_workbook(save(wb), instrument, "sv")
    expected = [
        replace(stored_items[0], status="done", owner="Ny ägare"),
        replace(stored_items[1], due=dt.date(2026, 6, 30), status="ongoing"),
        PlanItem(id=None, dimension="D3", action="Gemensam analys av kompetensbehov", indicators=("D3.1", "D3.2"),
                 owner="Analysenheten", start=dt.date(2026, 4, 1), due=dt.date(2026, 9, 30), status="not_started"),
    ]
    assert items == expected
    deleted = {item.id for item in stored_items} - {item.id for item in items if item.id}
    assert deleted == {"a3"}  # what the caller passes to store.save_plan as deleted_ids


def test_a_copied_row_becomes_a_new_item(workbook_bytes, instrument):
    wb = load(workbook_bytes)
    ws = wb["Handlingsplan"]
    source, target = row_of(ws, "a1"), row_of(ws, "a3") + 1
    for column in "ABCDEFGHIJK":
        ws[f"{column}{target}"] = ws[f"{column}{source}"].value
    ws[f"D{target}"] = "En variant av åtgärden"
    items = read_plan_workbook(save(wb), instrument)
    assert [item.id for item in items] == ["a1", "a2", "a3", None]


def test_every_invalid_cell_is_reported_and_nothing_returned(workbook_bytes, instrument):
    wb = load(workbook_bytes)
    ws = wb["Handlingsplan"]
    a1, a2, a3 = row_of(ws, "a1"), row_of(ws, "a2"), row_of(ws, "a3")
    ws[f"J{a1}"] = "Kanske"
    ws[f"F{a2}"] = "31/12"
    ws[f"B{a3}"] = "D99 Påhittad"
    ws[f"C{a2}"] = "D7.1"  # belongs to D7, not to D2
    ws[f"E{a1}"] = "=1+1"  # a formula typed by the user
    ws[f"D{a3 + 1}"] = ""
    ws[f"E{a3 + 1}"] = "Någon"  # a row with an owner but no action and no dimension
    ws[f"F{a3 + 2}"], ws[f"G{a3 + 2}"] = dt.date(2026, 5, 1), dt.date(2026, 4, 1)
    ws[f"B{a3 + 2}"], ws[f"D{a3 + 2}"] = "D1", "Baklänges"
    edited = save(wb)
    with pytest.raises(WorkbookError) as caught:
        read_plan_workbook(edited, instrument, "sv")
    found = {(p.sheet, p.cell, p.code) for p in caught.value.problems}
    assert found == {
        ("Handlingsplan", f"E{a1}", "formula"),
        ("Handlingsplan", f"F{a2}", "not_a_date"),
        ("Handlingsplan", f"C{a2}", "indicator_elsewhere"),
        ("Handlingsplan", f"B{a3}", "unknown_dimension"),
        ("Handlingsplan", f"D{a3 + 1}", "required"),
        ("Handlingsplan", f"B{a3 + 1}", "required"),
        ("Handlingsplan", f"G{a3 + 2}", "due_before_start"),
    }
    messages = {p.render("sv") for p in caught.value.problems}
    assert f"blad 'Handlingsplan', cell F{a2}: '31/12' är inget datum; skriv ÅÅÅÅ-MM-DD" in messages
    assert any("Klart senast (2026-04-01) ligger före start (2026-05-01)" in m for m in messages)
    english = {p.render("en") for p in caught.value.problems}
    assert f"sheet 'Handlingsplan', cell B{a3 + 1}: Dimension is required" in english
    # the formula cell was reported; the unknown status in the same row comes once the formula is fixed
    wb = load(edited)  # openpyxl cannot save a loaded workbook with pictures twice; Excel users are unaffected
    wb["Handlingsplan"][f"E{a1}"] = "Någon"
    with pytest.raises(WorkbookError) as again:
        read_plan_workbook(save(wb), instrument, "sv")
    assert ("Handlingsplan", f"J{a1}", "unknown_status") in {(p.sheet, p.cell, p.code) for p in again.value.problems}


def test_wrong_questionnaire_assessment_or_foreign_workbook(workbook_bytes, example, instrument):
    with pytest.raises(WorkbookError) as caught:
        read_plan_workbook(workbook_bytes, example, "en")
    assert caught.value.problems[0].code == "questionnaire_mismatch"
    assert "regional-validering@1" in caught.value.problems[0].render("en")
    with pytest.raises(WorkbookError) as caught:
        read_plan_workbook(workbook_bytes, instrument, region="01", round_="2024")
    assert {p.code for p in caught.value.problems} == {"region_mismatch", "round_mismatch"}
    foreign = openpyxl.Workbook()
    foreign.active["A1"] = "Handlingsplan"
    with pytest.raises(WorkbookError) as caught:
        read_plan_workbook(save(foreign), instrument, "sv")
    assert caught.value.problems[0].code == "foreign_workbook"
    assert "kommer inte från mognad" in caught.value.problems[0].render("sv")


def test_english_workbook_round_trips(region_report_19, stored_items, instrument):
    raw = plan_workbook(region_report_19, "en")
    wb = load(raw)
    assert wb.sheetnames[:4] == ["Summary", "Indicators", "Action plan", "About"]
    assert wb["Action plan"][f"J{row_of(wb['Action plan'], 'a2')}"].value == "Done"
    assert read_plan_workbook(raw, instrument, "en") == stored_items


def test_proposal_workbook_from_an_answers_file(example_report, example):
    raw = plan_workbook(example_report, "sv")
    items = read_plan_workbook(raw, example)
    assert items and all(item.id is None and item.source_action for item in items)
    assert {item.dimension for item in items} == {p.dimension for p in example_report.proposals}


def test_stored_text_with_control_characters_still_exports(national_scores, national_sheet, instrument, stored_items):
    """Text stored before the input rule (a comment pasted from PowerPoint with U+000B, a NUL from an old import)
    must not stop the export: openpyxl refuses such characters in a cell; they are dropped on the way out."""
    from reports.model import Comment, region_report

    comment = Comment("D1.1", "region", "rad ett\x0brad två\x00 slut")
    items = [replace(stored_items[0], action="Gör\x0b det\x00", owner="Anna\x01", resources="\ud800 tid")]
    report = region_report(national_scores, instrument, "19", "2025", sheet=national_sheet, comments=[comment],
                           items=items, rounds=["2024", "2025"])
    wb = load(plan_workbook(report, "sv"))
    indicators = wb["Indikatorer"]
    row = next(cell.row for cell in indicators["B"] if cell.value == "D1.1")
    assert "rad ettrad två slut" in indicators[f"L{row}"].value
    plan = wb["Handlingsplan"]
    row = row_of(plan, "a1")
    assert [plan[f"{column}{row}"].value for column in "DEH"] == ["Gör det", "Anna", "\ufffd tid"]
