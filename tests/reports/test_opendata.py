"""Open data and the national workbook: stable columns, a data dictionary, Swedish CSV, the publication rule."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from reports.national_workbook import national_workbook
from reports.opendata import (
    DICTIONARY,
    data_dictionary,
    open_data,
    open_data_workbook,
    to_csv,
)
from reports.opendata import header as people_header
from tests.reports.conftest import GENERATED


@pytest.fixture(scope="module")
def named(national_scores, instrument):
    return open_data(national_scores, instrument, "sv", named=True, generated_at=GENERATED)


def test_one_row_per_region_round_and_dimension_or_indicator(named, instrument):
    assert len(named.tables["overall"]) == 21 * 2
    assert len(named.tables["dimensions"]) == 21 * 2 * len(instrument.dimensions)
    assert len(named.tables["indicators"]) == 21 * 2 * len(instrument.indicators)
    first = named.tables["dimensions"].iloc[0]
    assert (first["region_code"], first["region"], first["round"], first["dimension"]) == (
        "01", "Region Stockholm", "2024", "D1")
    assert first["dimension_title"] == "Mandat och styrning"


def test_figures_use_the_reports_rounding(named, national_scores):
    table = named.tables["dimensions"].set_index(["region_code", "round", "dimension"])
    raw = national_scores.dimensions["score"]
    for key in [("19", "2025", "D1"), ("01", "2024", "D7")]:
        assert table.loc[key, "score"] == round(float(raw.loc[key]), 3)


def test_every_column_is_in_the_data_dictionary(named):
    dictionary = data_dictionary("en")
    for name, table in named.tables.items():
        documented = set(dictionary[dictionary["table"] == name]["column"])
        assert set(table.columns) == documented
        assert set(table.columns) <= set(DICTIONARY)
    assert data_dictionary("sv")["description"].str.len().min() > 5


def test_anonymised_export_carries_nothing_that_identifies_a_region(national_scores, instrument):
    data = open_data(national_scores, instrument, "en", named=False, seed=3)
    for table in data.tables.values():
        assert not {"region_code", "size_group", "nuts2"} & set(table.columns)
        assert table["region"].str.fullmatch(r"Region [A-Z]+").all()
    assert "region_code" not in set(data_dictionary("en", named=False)["column"])


def test_csv_for_swedish_excel(named):
    frame = named.tables["dimensions"].head(3).copy()
    frame.loc[0, "dimension_title"] = "=HYPERLINK(\"http://x\")"
    raw = to_csv(frame, "sv")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel detects the encoding
    text = raw.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("region_code;region;size_group;nuts2;round;")
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"region_code": str})
    assert back.loc[0, "dimension_title"] == "'=HYPERLINK(\"http://x\")"  # neutralised with the OWASP apostrophe
    assert back.loc[1, "score"] == frame.loc[1, "score"] and back.loc[0, "region_code"] == "01"
    assert "true" in first
    english = to_csv(frame, "en").decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(english), sep=";").loc[1, "score"] == frame.loc[1, "score"]


def test_open_data_workbook(named):
    wb = openpyxl.load_workbook(io.BytesIO(open_data_workbook(named, "sv")))
    assert wb.sheetnames == ["Om", "Totalt", "Dimensioner", "Indikatorer", "Datadefinitioner"]
    ws = wb["Dimensioner"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    # people read headers in their language; the CSV keeps the documented ids (tests/reports/test_finish_*)
    assert header == [people_header(c, "sv") for c in named.tables["dimensions"].columns]
    assert ws.max_row == len(named.tables["dimensions"]) + 1


def test_national_workbook(national):
    wb = openpyxl.load_workbook(io.BytesIO(national_workbook(national, "sv")))
    assert wb.sheetnames == ["Sammanfattning", "Totalt", "Dimensioner", "Indikatorer", "Datadefinitioner", "Om"]
    summary = wb["Sammanfattning"]
    assert summary._images
    medians = {row[0].value.split(" ")[0]: row[4].value for row in summary.iter_rows(min_row=5, max_row=14)}
    assert medians == {d: national.national.loc[d, "median"] for d in national.national.index}
    regions = [row[0].value for row in wb["Totalt"].iter_rows(min_row=2)]
    assert regions == [national.labels[code] for code in national.order]  # Region A, B, … in report order
    assert "Region Västmanland" not in str([c.value for row in wb["Dimensioner"].iter_rows() for c in row])
