"""Issue 14: outputs speak to their readers — the method appendix describes the method the round really used
(method 2: consensus, role balance, agreement, intervals) without command lines; the change since a round
of another instrument version says "inte jämförbar" where the crosswalk does; peer groups have names; no
workbook or report shows Python's None or nan, or a snake_case header.

The version-2 pilot of `mognad demo` (Västmanland 2025-pilot, method 2, previous round on version 1) is the
real case; the worked example and the synthetic instrument reports are method 1.
"""

from __future__ import annotations

import html as htmllib
import io
import re

import openpyxl
import pytest

import store
from reports import pdf
from reports.model import region_report
from reports.national_html import render_national_html
from reports.national_workbook import national_workbook
from reports.opendata import open_data, open_data_workbook
from reports.planbook import plan_workbook
from reports.region_html import render_region_html
from store import demo
from tests.reports.conftest import GENERATED

ADMIN = store.system_identity()
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
PYTHON_WORDS = re.compile(r"\b(None|nan|NaN)\b")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = store.Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'mognad.sqlite'}")
    database.upgrade()
    store.load_demo(database)
    return database


@pytest.fixture(scope="module")
def pilot(demo_db):
    from service.reports import region_report as service_report

    return service_report(demo_db, ADMIN, "19", demo.PILOT)


def method_section(html: str) -> str:
    return html[html.index('<section id="method"'):]


def visible_text(html: str) -> str:
    body = re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body)))


# ---- the method appendix ----------------------------------------------------------------------------------------

def test_method_1_appendix_has_no_command_line(example_report):
    for lang in ("sv", "en"):
        method = method_section(render_region_html(example_report, lang))
        assert "mognad score" not in method and "--format" not in method and "<code>" not in method
    sv = method_section(render_region_html(example_report, "sv"))
    assert "Indikatorns <strong>överenskomna värde</strong> är medianen av de svar som har en nivå." in sv
    assert "samma tal finns i regionens Excel-fil med handlingsplanen" in sv
    assert "rollernas medianer" not in sv and "90 %-intervall" not in sv


def test_method_2_appendix_describes_method_2(pilot):
    assert pilot.q.method == 2
    sv = visible_text(method_section(render_region_html(pilot, "sv")))
    for words in ("konsensusvärde", "rollbalanserade värde", "medianen av rollernas medianer", "Samstämmighet",
                  "Under 0,5 markeras indikatorn med oenighet", "90 %-intervall", "svaren dras om 1 000 gånger",
                  "färre än 3 respondenter eller 2 roller", "bredare än 1,0", "under 90 %", "minst 75 %",
                  "minst 8 av 10 dimensioner", "instabil grund"):
        assert words in sv, words
    assert "medianen av de svar som har en nivå" not in sv  # method 1's rule is not claimed
    assert "mognad score" not in sv and "--format" not in sv
    en = visible_text(method_section(render_region_html(pilot, "en")))
    for words in ("consensus value", "role-balanced value", "median of the roles' medians", "Agreement",
                  "Below 0.5 the indicator is flagged", "90 % interval", "redrawn 1,000 times", "uncertain"):
        assert words in en, words
    steps = method_section(render_region_html(pilot, "en")).split('<ol class="method-steps">')[1].split("</ol>")[0]
    assert not re.search(r"[åäöÅÄÖ]", steps)  # the sources' Swedish titles are citations, the steps are English


def test_the_workbooks_about_sheet_follows_the_method(pilot, example_report):
    def about(report) -> str:
        ws = openpyxl.load_workbook(io.BytesIO(plan_workbook(report, "sv")))["Om"]
        return " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)

    assert "medianen av rollernas medianer" in about(pilot) and "90 %-intervall" in about(pilot)
    assert "medianen av svaren" in about(example_report) and "rollernas" not in about(example_report)
    assert "mognad score" not in about(pilot) + about(example_report)


# ---- change across instrument versions ----------------------------------------------------------------------------

def test_the_report_marks_questions_that_are_not_comparable(pilot):
    change = pilot.version_change
    html = render_region_html(pilot, "sv")
    comparison = html[html.index('<section id="comparison"'):html.index('<section id="dimensions"')]
    assert ("Förra omgången (2025) använde regional-validering@1, den här använder regional-validering@2."
            in comparison)
    # every dimension is listed; none is comparable between versions 1 and 2, so each says so
    rows = comparison.split("<caption>Förändring sedan förra omgången</caption>")[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + len(change.dimensions)
    assert rows.count("inte jämförbar") == 2 * len(change.dimensions)
    indicators = comparison.split("<caption>Jämförbara indikatorer</caption>")[1].split("</table>")[0]
    assert "D1.1 (2025)" in indicators and "D9.1 (2025)" in indicators  # D1.6 was D9.1 in version 1
    assert "Övriga 47 indikatorer: inte jämförbar (ny version av frågan)." in comparison
    english = render_region_html(pilot, "en")
    assert "not comparable" in english and "inte jämförbar" not in english


def test_a_report_without_a_version_change_has_no_such_table(example_report):
    assert "inte jämförbar" not in render_region_html(example_report, "sv")


# ---- peer groups by name ------------------------------------------------------------------------------------------

def test_peer_groups_have_names(national_scores, national_sheet, instrument):
    by_size = region_report(national_scores, instrument, "19", "2025", sheet=national_sheet, generated_at=GENERATED)
    assert "Mellanstora regioner (200 000–300 000)" in render_region_html(by_size, "sv")
    by_area = region_report(national_scores, instrument, "19", "2025", sheet=national_sheet, peer_by="nuts2",
                            generated_at=GENERATED)
    assert "regionens NUTS2-område: Östra Mellansverige (SE12)." in render_region_html(by_area, "sv")
    assert "region's NUTS2 area: Östra Mellansverige (SE12)." in htmllib.unescape(render_region_html(by_area, "en"))


def test_national_peer_table_names_nuts2_areas(national_scores, instrument):
    from reports.model import national_report

    report = national_report(national_scores, instrument, "2025", peer_by="nuts2", named=True, seed=5,
                             generated_at=GENERATED)
    html = render_national_html(report, "sv")
    peers = html[html.index('<section id="peers"'):html.index('<section id="profiles-section"')]
    assert "Östra Mellansverige (SE12)" in peers and "Stockholm (SE11)" in peers
    assert "<th scope=\"row\">SE12</th>" not in peers


# ---- no None, nan or snake_case headers ------------------------------------------------------------------------------

def workbook_problems(raw: bytes) -> list[str]:
    """Cells that show Python's None/nan, and headers (first row of a table sheet) in snake_case."""
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    found = []
    for ws in wb.worksheets:
        if ws.title.startswith("_"):  # hidden machine sheets: keys for the reader, never shown
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and PYTHON_WORDS.search(cell.value):
                    found.append(f"{ws.title}!{cell.coordinate}: {cell.value[:40]}")
        for cell in ws[1]:
            if isinstance(cell.value, str) and SNAKE.match(cell.value):
                found.append(f"{ws.title}!{cell.coordinate} header {cell.value}")
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_workbooks_show_no_python_and_no_snake_case(national, national_scores, instrument, region_report_19, lang):
    data = open_data(national_scores, instrument, lang, named=True, generated_at=GENERATED)
    for raw in (national_workbook(national, lang), open_data_workbook(data, lang), plan_workbook(region_report_19, lang)):
        assert workbook_problems(raw) == []
    ws = openpyxl.load_workbook(io.BytesIO(open_data_workbook(data, lang)))[
        "Datadefinitioner" if lang == "sv" else "Data dictionary"]
    assert [c.value for c in ws[1]] == (["Tabell", "Kolumn i CSV", "Rubrik i Excel", "Typ", "Beskrivning"]
                                        if lang == "sv" else
                                        ["Table", "Column in CSV", "Header in Excel", "Type", "Description"])
    first = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
    assert first[:4] == (["Totalt", "region_code", "Länskod", "text"] if lang == "sv"
                         else ["Overall", "region_code", "County code", "text"])


def test_shares_in_the_workbooks_are_percent(national, national_scores, instrument):
    data = open_data(national_scores, instrument, "sv", named=True, generated_at=GENERATED)
    ws = openpyxl.load_workbook(io.BytesIO(open_data_workbook(data, "sv")))["Dimensioner"]
    header = [c.value for c in ws[1]]
    for name in ("Fullständighet", "Andel besvarade", "Andel vet ej"):
        assert ws.cell(2, header.index(name) + 1).number_format == "0%"
    assert ws.cell(2, header.index("Poäng") + 1).number_format == "0.00"


def test_the_method_2_workbook_and_reports_show_no_python(pilot, demo_db):
    from service.reports import national_report

    assert workbook_problems(plan_workbook(pilot, "sv")) == []
    assert not PYTHON_WORDS.search(visible_text(render_region_html(pilot, "sv")))
    national = national_report(demo_db, ADMIN, "2026")
    assert not PYTHON_WORDS.search(visible_text(render_national_html(national, "sv")))
    assert workbook_problems(national_workbook(national, "sv")) == []


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint (mognad[pdf]) is not installed")
def test_the_region_pdf_shows_no_python(region_report_19):
    text = pdf.text_of(pdf.document(render_region_html(region_report_19, "sv")))
    assert not PYTHON_WORDS.search(text)


def test_the_peoples_workbooks_name_peer_groups_and_codes(national_scores, instrument):
    data = open_data(national_scores, instrument, "sv", named=True, generated_at=GENERATED)
    rows = list(openpyxl.load_workbook(io.BytesIO(open_data_workbook(data, "sv")))["Dimensioner"]
                .iter_rows(values_only=True))
    header = rows[0]
    västmanland = next(row for row in rows[1:] if row[header.index("Länskod")] == "19")
    assert västmanland[header.index("Storleksgrupp")] == "Mellanstora regioner (200 000–300 000)"
    assert västmanland[header.index("NUTS2-område")] == "Östra Mellansverige (SE12)"
    reasons = {row[header.index("Skäl till att poäng saknas")] for row in rows[1:]} - {None}
    assert reasons <= {"för litet underlag", "inget värde"}
    indicators = list(openpyxl.load_workbook(io.BytesIO(open_data_workbook(data, "sv")))["Indikatorer"]
                      .iter_rows(values_only=True))
    statuses = {row[indicators[0].index("Status")] for row in indicators[1:]}
    assert statuses <= {"värde", "ej relevant", "utan värde"} and "värde" in statuses
    # the CSV keeps the documented codes
    table = data.tables["dimensions"]
    assert set(table["size_group"]) <= {"A", "B", "C", "D"} and "SE12" in set(table["nuts2"])


def test_the_method_2_plan_workbook_prints_without_overlapping_text(pilot, tmp_path):
    from tests.chromium import need
    from tests.reports.test_finish_layout import SOFFICE, overlapping_characters, printed_by_libreoffice

    need(SOFFICE is not None, "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    pdfplumber = pytest.importorskip("pdfplumber")
    raw = printed_by_libreoffice(plan_workbook(pilot, "sv"), tmp_path)
    with pdfplumber.open(io.BytesIO(raw)) as document:
        assert "Demodata – fiktiva uppgifter" in document.pages[0].extract_text()
        assert {number: overlapping_characters(page) for number, page in enumerate(document.pages, start=1)
                if overlapping_characters(page)} == {}
