"""The same answers give exactly the same numbers in `mognad score --format json`, the HTML and the Excel file."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from cli import main
from tests.conftest import EXAMPLE, EXAMPLE_ANSWERS
from tests.reports.conftest import answers_document
from tests.reports.test_html import collect


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


@pytest.fixture(scope="module")
def instrument_answers(tmp_path_factory, national_sheet, instrument):
    path = tmp_path_factory.mktemp("answers") / "19-2025.json"
    path.write_bytes(answers_document(national_sheet, instrument, "19", "2025"))
    return path


def outputs(capsys, tmp_path, answers, *extra):
    code, out = run(capsys, "score", str(answers), "--format", "json", *extra)
    assert code == 0
    summary = json.loads(out)
    html_path, xlsx_path = tmp_path / "r.html", tmp_path / "r.xlsx"
    assert run(capsys, "report", "--answers", str(answers), *extra, "--format", "html", "-o", str(html_path))[0] == 0
    assert run(capsys, "report", "--answers", str(answers), *extra, "--format", "xlsx", "-o", str(xlsx_path))[0] == 0
    page = collect(html_path.read_text("utf-8"))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes()), data_only=True)
    return summary, page.data, workbook


def html_values(data: dict[str, list[str]], key: str) -> set[float]:
    return {float(value) for value in data.get(key, [])}


def check(summary: dict, data: dict[str, list[str]], workbook) -> None:
    # HTML: every place a figure is shown carries exactly the JSON's number
    for dim in summary["dimensions"]:
        for field in ("score", "percent", "completeness"):
            key, value = f"{dim['id']}.{field}", dim[field]
            assert html_values(data, key) == ({value} if value is not None else set()), key
        for field in ("answered", "not_applicable", "unknown"):
            assert html_values(data, f"{dim['id']}.{field}") == {dim[field]}
    for field in ("score", "percent"):
        assert html_values(data, f"overall.{field}") == {summary["overall"][field]}
    for ind in summary["indicators"]:
        expected = {ind["value"]} if ind["value"] is not None else set()
        assert html_values(data, f"{ind['id']}.value") == expected, ind["id"]
    for item in summary["plan"]:
        assert html_values(data, f"{item['dimension']}.gap") == {item["gap"]}
        assert html_values(data, f"{item['dimension']}.priority") == {item["priority"]}

    # Excel: the summary sheet's dimension rows and the indicator sheet hold the same numbers as numbers
    sheet = workbook["Sammanfattning"]
    rows = {str(row[0].value).split(" ")[0]: row for row in sheet.iter_rows(min_row=1, max_col=7)
            if isinstance(row[0].value, str)}
    for dim in summary["dimensions"]:
        row = rows[dim["id"]]
        assert (row[1].value, row[2].value, row[4].value) == (dim["score"], dim["percent"], dim["completeness"])
    total = rows["Totalt"]
    assert (total[1].value, total[2].value) == (summary["overall"]["score"], summary["overall"]["percent"])
    indicators = {row[1].value: row[3].value for row in workbook["Indikatorer"].iter_rows(min_row=2, max_col=4)}
    assert indicators == {ind["id"]: ind["value"] for ind in summary["indicators"]}


def test_worked_example_agrees(capsys, tmp_path):
    summary, data, workbook = outputs(capsys, tmp_path, EXAMPLE_ANSWERS, "--questionnaire", str(EXAMPLE))
    assert summary["dimensions"][2]["score"] is None  # D3 has too little evidence: no number anywhere
    check(summary, data, workbook)


def test_full_instrument_agrees(capsys, tmp_path, instrument_answers):
    summary, data, workbook = outputs(capsys, tmp_path, instrument_answers)
    assert len(summary["indicators"]) == 46
    check(summary, data, workbook)
