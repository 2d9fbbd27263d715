"""Issue 14: every output says what its data are before anyone reads a number — fictional demo data, the
region's analysis still a draft, a round that is not published — and says nothing when none of that applies.

The demo database is the real one `mognad demo` makes (2025 published; 2026 open, Västmanland in draft,
Uppsala submitted). A copy with the demo flag cleared stands for a real agency's database.
"""

from __future__ import annotations

import csv
import io
import sqlite3

import openpyxl
import pytest

import store
from reports import pdf
from reports.marking import DRAFT, SUBMITTED, UNMARKED, Marking
from reports.national_html import render_national_html
from reports.national_workbook import national_workbook
from reports.opendata import open_data, open_data_workbook, to_csv
from reports.planbook import plan_workbook
from reports.region_html import render_region_html
from service.opendata import open_data_tables
from service.reports import analysis_status, national_report, region_report

ADMIN = store.system_identity()
DEMO_SV, DEMO_EN = "Demodata – fiktiva uppgifter", "Demo data – fictional"
PRELIMINARY_SV, PRELIMINARY_EN = "Preliminär – omgången är inte publicerad", "Preliminary – the round is not published"


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "mognad.sqlite"
    database = store.Database(f"sqlite:///{path}")
    database.upgrade()
    store.load_demo(database)
    return path


@pytest.fixture(scope="module")
def demo_db(demo_path):
    return store.Database(f"sqlite:///{demo_path}")


@pytest.fixture(scope="module")
def real_db(demo_path, tmp_path_factory):
    """The same data without the demo flag: what an agency's own database looks like to the reports."""
    path = tmp_path_factory.mktemp("real") / "mognad.sqlite"
    with sqlite3.connect(demo_path) as source, sqlite3.connect(path) as copy:
        source.backup(copy)  # the backup API: the demo database may still hold pages in its WAL file
        copy.execute("UPDATE meta SET value = '0' WHERE key = 'demo'")
    database = store.Database(f"sqlite:///{path}")
    assert not store.is_demo(database)
    return database


def top_lines(workbook: bytes, rows: int = 3) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets[0]
    return " ".join(str(c.value) for row in ws.iter_rows(max_row=rows) for c in row if c.value is not None)


def properties(workbook: bytes) -> str:
    props = openpyxl.load_workbook(io.BytesIO(workbook)).properties
    return f"{props.subject or ''} {props.keywords or ''}"


# ---- the marking itself -----------------------------------------------------------------------------------------

def test_the_marking_in_both_languages():
    marking = Marking(demo=True, status=DRAFT, preliminary=True)
    assert marking.lines("sv") == [DEMO_SV, PRELIMINARY_SV, "Analysens status: Utkast"]
    assert marking.lines("en") == [DEMO_EN, PRELIMINARY_EN, "Status of the analysis: Draft"]
    assert Marking(status=SUBMITTED).lines("sv") == ["Analysens status: Inlämnad"]
    assert Marking(status=SUBMITTED).lines("en") == ["Status of the analysis: Submitted"]
    assert UNMARKED.lines("sv") == [] and UNMARKED.text("en") == ""


@pytest.mark.parametrize(("status", "word"), [("draft", DRAFT), ("reopened", DRAFT), ("submitted", SUBMITTED),
                                              ("locked", SUBMITTED)])
def test_the_stores_four_states_are_two_words(status, word):
    assert analysis_status(status) == word


# ---- region report: HTML, PDF, plan workbook ------------------------------------------------------------------

def test_a_draft_in_an_unpublished_round_of_demo_data_says_all_three(demo_db):
    report = region_report(demo_db, ADMIN, "19", "2026")
    assert report.marking == Marking(demo=True, status=DRAFT, preliminary=True)
    html = render_region_html(report, "sv")
    top = html[: html.index('<header class="cover">')]  # before the cover: read before any number
    for text in (DEMO_SV, PRELIMINARY_SV, "Analysens status: Utkast"):
        assert text in top
    english = render_region_html(report, "en")
    top = english[: english.index('<header class="cover">')]
    for text in (DEMO_EN, PRELIMINARY_EN, "Status of the analysis: Draft"):
        assert text in top
    assert "Demodata" not in english and "Utkast" not in english
    book = plan_workbook(report, "sv")
    assert DEMO_SV in top_lines(book) and PRELIMINARY_SV in top_lines(book) and "Utkast" in top_lines(book)
    assert DEMO_SV in properties(book)
    plan = openpyxl.load_workbook(io.BytesIO(book))["Handlingsplan"]
    assert DEMO_SV in " ".join(str(c.value) for c in plan[1] if c.value)  # the sheet the workbook opens on
    english_book = plan_workbook(report, "en")
    assert DEMO_EN in top_lines(english_book) and "Draft" in top_lines(english_book)


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint (mognad[pdf]) is not installed")
def test_the_pdf_text_carries_the_marking(demo_db):
    report = region_report(demo_db, ADMIN, "19", "2026")
    rendered = pdf.document(render_region_html(report, "sv"))
    text = pdf.text_of(rendered)
    assert DEMO_SV in text and PRELIMINARY_SV in text and "Analysens status: Utkast" in text
    assert text.index(DEMO_SV) < text.index("Sammanfattning")
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(rendered.write_pdf())) as document:  # and at the head of every page
        head = f"{DEMO_SV} · {PRELIMINARY_SV} · Analysens status: Utkast"
        assert [n for n, page in enumerate(document.pages, start=1) if head not in page.extract_text()] == []


def test_a_submitted_analysis_of_a_published_round_is_only_demo(demo_db):
    report = region_report(demo_db, ADMIN, "19", "2025")  # locked in the closed, published round 2025
    html = render_region_html(report, "sv")
    assert DEMO_SV in html and "Analysens status: Inlämnad" in html
    assert "Preliminär" not in html and "Utkast" not in html
    submitted = region_report(demo_db, ADMIN, "03", "2026")
    html = render_region_html(submitted, "sv")
    assert "Analysens status: Inlämnad" in html and PRELIMINARY_SV in html


def test_a_real_database_says_no_demo(real_db):
    report = region_report(real_db, ADMIN, "19", "2025")
    html = render_region_html(report, "sv")
    assert "Demodata" not in html and "fiktiva" not in html
    assert "Demodata" not in top_lines(plan_workbook(report, "sv")) + properties(plan_workbook(report, "sv"))


def test_a_report_from_an_answers_file_has_no_marking(example_report):
    html = render_region_html(example_report, "sv")
    assert 'class="marking"' not in html
    assert top_lines(plan_workbook(example_report, "sv")).startswith("Regional lägesbild")


# ---- national report: HTML, PDF, workbook -----------------------------------------------------------------------

def test_the_national_report_of_an_open_round_is_preliminary(demo_db):
    report = national_report(demo_db, ADMIN, "2026")
    assert report.marking == Marking(demo=True, preliminary=True)
    html = render_national_html(report, "sv")
    top = html[: html.index('<header class="cover">')]
    assert DEMO_SV in top and PRELIMINARY_SV in top and "Analysens status" not in html
    book = national_workbook(report, "sv")
    assert DEMO_SV in top_lines(book) and PRELIMINARY_SV in top_lines(book) and DEMO_SV in properties(book)
    english = national_workbook(report, "en")
    assert DEMO_EN in top_lines(english) and PRELIMINARY_EN in top_lines(english)
    rows = list(openpyxl.load_workbook(io.BytesIO(book))["Totalt"].iter_rows(values_only=True))
    column = rows[0].index("Publiceringsstatus")
    assert {row[column] for row in rows[1:]} == {f"{DEMO_SV}; {PRELIMINARY_SV}"}


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint (mognad[pdf]) is not installed")
def test_the_national_pdf_text_is_preliminary(demo_db):
    text = pdf.text_of(pdf.document(render_national_html(national_report(demo_db, ADMIN, "2026"), "en")))
    assert DEMO_EN in text and PRELIMINARY_EN in text


def test_the_national_report_of_a_published_round_is_not(real_db):
    report = national_report(real_db, ADMIN, "2025")
    html = render_national_html(report, "sv")
    assert 'class="marking"' not in html and "Preliminär" not in html and "Demodata" not in html
    book = national_workbook(report, "sv")
    assert "Preliminär" not in top_lines(book) and properties(book).strip() == ""
    rows = list(openpyxl.load_workbook(io.BytesIO(book))["Totalt"].iter_rows(values_only=True))
    column = rows[0].index("Publiceringsstatus")
    assert {row[column] for row in rows[1:]} == {"Publicerad"}


# ---- open data: CSV and workbook ---------------------------------------------------------------------------------

def csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_open_data_mark_each_round_by_its_publication(demo_db):
    data = open_data_tables(demo_db, ADMIN, rounds=["2025", "2026"], lang="sv")
    rows = csv_rows(to_csv(data.tables["dimensions"], "sv"))
    status = {row["round"]: row["publication_status"] for row in rows}
    assert status == {"2025": f"{DEMO_SV}; Publicerad", "2026": f"{DEMO_SV}; {PRELIMINARY_SV}"}
    book = open_data_workbook(data, "sv")
    assert DEMO_SV in top_lines(book) and PRELIMINARY_SV in top_lines(book) and DEMO_SV in properties(book)
    english = open_data_tables(demo_db, ADMIN, rounds=["2025", "2026"], lang="en")
    status = {row["round"]: row["publication_status"] for row in csv_rows(to_csv(english.tables["overall"], "en"))}
    assert status == {"2025": f"{DEMO_EN}; Published", "2026": f"{DEMO_EN}; {PRELIMINARY_EN}"}


def test_open_data_of_a_published_round_in_a_real_database(real_db):
    data = open_data_tables(real_db, ADMIN, rounds=["2025"], lang="sv")
    rows = csv_rows(to_csv(data.tables["indicators"], "sv"))
    assert {row["publication_status"] for row in rows} == {"Publicerad"}
    book = open_data_workbook(data, "sv")
    assert "Demodata" not in top_lines(book) and "Preliminär" not in top_lines(book)
    assert top_lines(book, rows=1).startswith("Frågeformulär")


def test_open_data_without_a_caller_who_knows_say_nothing_more(national_scores, instrument):
    data = open_data(national_scores, instrument, "sv", rounds=["2024", "2025"], unpublished=["2025"], demo=True)
    status = dict(zip(data.tables["overall"]["round"], data.tables["overall"]["publication_status"], strict=True))
    assert status == {"2024": f"{DEMO_SV}; Publicerad", "2025": f"{DEMO_SV}; {PRELIMINARY_SV}"}
    assert data.marking == Marking(demo=True, preliminary=True)


def test_a_marked_plan_workbook_still_reads_back(region_report_19, stored_items, instrument):
    from dataclasses import replace

    from reports.planbook_reader import read_plan_workbook

    marked = replace(region_report_19, marking=Marking(demo=True, status=DRAFT, preliminary=True))
    assert read_plan_workbook(plan_workbook(marked, "sv"), instrument, "sv") == list(stored_items)
