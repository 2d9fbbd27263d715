"""The offline questionnaire: a protected template, and reading it back with the rules of JSON answers."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from questionnaires import find
from questionnaires.answers import AnswersError, parse
from reports.offline import CELLS, answers_template
from reports.offline_reader import read_answers_workbook
from reports.planbook import plan_workbook
from tests.reports.conftest import CODES


@pytest.fixture(scope="module")
def template(instrument) -> bytes:
    return answers_template(instrument, "19", "2025", "sv")


def load(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows(ws) -> dict[str, int]:
    return {cell.value: cell.row for cell in ws["A"] if isinstance(cell.value, str) and "." in cell.value}


def read(raw: bytes, **kwargs):
    return read_answers_workbook(raw, find, CODES, **kwargs)


def problems(raw: bytes, **kwargs) -> list:
    with pytest.raises(AnswersError) as caught:
        read(raw, **kwargs)
    return caught.value.problems


def test_template_structure(template, instrument):
    wb = load(template)
    assert wb.sheetnames == ["Instruktioner", "Svar", "_listor", "_mognad"]
    assert [sheet.title for sheet in wb.worksheets if sheet.sheet_view.tabSelected] == ["Instruktioner"]
    assert wb["_listor"].sheet_state == "hidden" and wb["_mognad"].sheet_state == "hidden"
    assert wb.security.lockStructure
    ws = wb["Svar"]
    assert ws.protection.sheet and wb["Instruktioner"].protection.sheet
    at = rows(ws)
    assert list(at) == [ind.id for ind in instrument.indicators]
    first = at["D1.1"]
    for column in "DEF":  # answer, comment, confidence: open for the respondent
        assert ws[f"{column}{first}"].protection.locked is False
    for column in "ABCGH":  # the statement and the rest stay as they are
        assert ws[f"{column}{first}"].protection.locked is not False
    for cell in CELLS.values():
        assert ws[cell].protection.locked is False
    validations = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"Svarsalternativ", "Sakerhet", "Roller"}
    assert f"D{first}" in validations["Svarsalternativ"].split()
    options = [c.value for c in wb["_listor"]["A"] if c.value]
    assert options == ["0 – Saknas", "1 – Initierad", "2 – Under uppbyggnad", "3 – Etablerad",
                       "4 – Integrerad och lärande", "Ej relevant", "Vet ej"]
    meta = {row[0].value: row[1].value for row in wb["_mognad"].iter_rows()}
    assert meta["questionnaire"] == "regional-validering@1" and meta["region"] == "19" and meta["round"] == "2025"
    assert ws[f"C{first}"].value.startswith("0 Saknas: ")  # the indicator's own level descriptors
    assert ws[f"H{at['D9.1']}"].value == "Region (regionalt utvecklingsansvarig aktör)"


def test_filled_template_reads_like_the_same_json(template, instrument):
    wb = load(template)
    ws = wb["Svar"]
    at = rows(ws)
    ws[CELLS["name"]] = "Anna Andersson"
    ws[CELLS["role"]] = "Region (regionalt utvecklingsansvarig aktör)"
    ws[CELLS["organisation"]] = "Region Västmanland"
    ws[f"D{at['D1.1']}"] = "3 – Etablerad"
    ws[f"E{at['D1.1']}"] = "Beslut i regionstyrelsen <script>alert(1)</script>"
    ws[f"F{at['D1.1']}"] = "Hög"
    ws[f"D{at['D1.2']}"] = "Vet ej"
    ws[f"D{at['D2.1']}"] = 2  # a number typed into the cell
    ws[f"D{at['D9.1']}"] = "Integrated and learning"  # the English level name is understood as well
    ws[f"D{at['D3.1']}"] = "Ej relevant"
    ws[f"F{at['D3.1']}"] = "low"
    answers, q = read(save(wb))
    assert q.ref == instrument.ref and (answers.region, answers.round) == ("19", "2025")
    key = f"xlsx-{ws['J1'].value}"  # the template's hidden respondent token; the typed name is only a name
    document = {"format": "mognad-answers/1", "questionnaire": q.ref, "region": "19", "round": "2025",
                "respondents": [{"id": key, "token": key, "role": "region", "name": "Anna Andersson",
                                 "organisation": "Region Västmanland",
                                 "answers": {"D1.1": 3, "D1.2": "dk", "D2.1": 2, "D9.1": 4, "D3.1": "na"},
                                 "comments": {"D1.1": "Beslut i regionstyrelsen <script>alert(1)</script>"},
                                 "confidence": {"D1.1": "high", "D3.1": "low"}}]}
    expected, _ = parse(json.dumps(document), find, CODES)
    assert answers == expected


def test_every_problem_names_its_cell(template):
    wb = load(template)
    ws = wb["Svar"]
    at = rows(ws)
    ws[CELLS["role"]] = "Kommun/komvux"
    ws[f"D{at['D9.1']}"] = "3 – Etablerad"  # D9.1 is asked of the region only
    ws[f"D{at['D1.1']}"] = "Ganska bra"
    ws[f"F{at['D1.2']}"] = "Säker"
    ws[f"E{at['D1.3']}"] = "x" * 4001
    found = problems(save(wb))
    placed = {(p.sheet, p.cell, p.code) for p in found}
    assert ("Svar", f"D{at['D1.1']}", "unknown_option") in placed
    assert ("Svar", f"F{at['D1.2']}", "unknown_confidence") in placed
    lines = [p.render("sv", "svar.xlsx") for p in found]
    assert any(line.startswith(f"svar.xlsx: blad 'Svar', cell D{at['D1.1']}: indikator D1.1: 'Ganska bra' är inget "
                               "av svarsalternativen (0 – Saknas, ") for line in lines)
    # once the options are right, the rules of JSON answers apply — and still name the cell
    ws[f"D{at['D1.1']}"] = None
    ws[f"F{at['D1.2']}"] = None
    again = {(p.cell, p.code) for p in problems(save(wb))}
    assert again == {(f"D{at['D9.1']}", "not_for_role"), (f"E{at['D1.3']}", "comment_too_long")}


def test_missing_role_and_formulas(template):
    wb = load(template)
    ws = wb["Svar"]
    at = rows(ws)
    ws[f"D{at['D1.1']}"] = "=1+2"
    found = problems(save(wb))
    assert {(p.cell, p.code) for p in found} == {(f"D{at['D1.1']}", "formula")}
    ws[f"D{at['D1.1']}"] = "2"
    found = problems(save(wb))
    assert {(p.cell, p.code) for p in found} == {(CELLS["role"], "role_missing")}
    assert "choose your role from the list" in found[0].render("en")


def test_wrong_version_changed_edition_and_foreign_files(template, instrument, example, region_report_19):
    assert problems(template, questionnaire=example)[0].code == "questionnaire_mismatch"
    wb = load(template)
    wb["_mognad"]["B3"] = "0000000000000000"  # made from another edition of the same id@version
    found = problems(save(wb))
    assert found[0].code == "template_changed" and "ladda ner en ny mall" in found[0].render("sv")
    wb = load(template)
    wb["_mognad"]["B2"] = "regional-validering@9"
    assert problems(save(wb))[0].code == "unknown_questionnaire"
    wb = load(template)
    wb["_mognad"]["B4"] = "99"
    wb["Svar"][CELLS["role"]] = "Annan"
    found = problems(save(wb))
    assert [(p.sheet, p.cell, p.code) for p in found] == [("_mognad", "B4", "unknown_region")]
    plain = openpyxl.Workbook()
    assert problems(save(plain))[0].code == "not_template"
    assert problems(plan_workbook(region_report_19, "sv"))[0].code == "wrong_template"


def test_english_template(instrument):
    raw = answers_template(instrument, "01", "2026", "en")
    wb = load(raw)
    assert wb.sheetnames[0] == "Instructions" and "Answers" in wb.sheetnames
    ws = wb["Answers"]
    at = rows(ws)
    ws[CELLS["role"]] = "Other"
    ws[f"D{at['D5.1']}"] = "1 – Initial"
    ws[f"F{at['D5.1']}"] = "Medium"
    answers, _ = read(save(wb))
    respondent = answers.respondents[0]
    assert respondent.role == "annan" and respondent.answers == {"D5.1": 1} and respondent.confidence == {"D5.1": "medium"}
    assert respondent.id.startswith("xlsx-")  # no name given: the template's own token keeps re-imports together


def test_unknown_region_for_a_template_is_refused(instrument):
    with pytest.raises(KeyError):
        answers_template(instrument, "99", "2025")
