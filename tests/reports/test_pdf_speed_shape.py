"""Issue 15: the region PDF made faster must show what it showed before, and what the process now keeps between
PDFs (one font configuration, reports.pdf) must never carry one report into the next.

Each PDF costs seconds on the test machine: these tests make five in all.
"""

from __future__ import annotations

import threading

import pytest

from reports import pdf
from reports.model import region_report
from reports.region_html import render_region_html

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint (mognad[pdf]) is not installed")


@pytest.fixture(scope="module")
def uppsala(national_scores, national_sheet, instrument):
    from tests.reports.conftest import GENERATED

    return region_report(national_scores, instrument, "03", "2025", sheet=national_sheet, rounds=["2024", "2025"],
                         generated_at=GENERATED)


def test_the_region_pdf_shows_the_name_every_dimension_and_the_charts_tables(region_report_19, instrument):
    html = render_region_html(region_report_19, "sv")
    raw = pdf.html_to_pdf(html)
    assert raw.startswith(b"%PDF-") and raw.rstrip().endswith(b"%%EOF")
    rendered = pdf.document(html)
    text = " ".join(pdf.text_of(rendered).split())  # lines break anywhere: compare words, not line ends
    assert "Region Västmanland" in text
    for dim in instrument.dimensions:
        assert f"{dim.id} {dim.title['sv']}" in text
    # the charts are still drawn (inline SVG) and each is followed by its data table
    assert html.count("<svg") == 2
    assert "Tabell: Regionens profil" in text and "Tabell: Utveckling över tid" in text
    comparison = region_report_19.comparison
    first = instrument.dimensions[0].id
    shown = f"{comparison.loc[first, 'score']:.2f}".replace(".", ",")
    assert shown in text
    # the document keeps its language and title
    assert rendered.metadata.title == html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert rendered.metadata.lang == "sv"


def test_two_reports_in_two_languages_do_not_leak_into_each_other(region_report_19, uppsala):
    swedish = render_region_html(region_report_19, "sv")
    english = render_region_html(uppsala, "en")
    alone = pdf.text_of(pdf.document(swedish))

    found: dict[str, str] = {}

    def make(name: str, html: str) -> None:
        found[name] = pdf.text_of(pdf.document(html))

    # at the same time from two threads (the app serves each session in a thread of its own)
    threads = [threading.Thread(target=make, args=(name, html)) for name, html in (("en", english), ("sv", swedish))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found["sv"] == alone  # the English report made in between changed nothing in the Swedish one
    # the cover's subtitle names the region and the round; the method's sources may cite other regions
    assert "Region Uppsala · Round 2025" in found["en"] and "Region Västmanland ·" not in found["en"]
    assert "Summary" in found["en"] and "Sammanfattning" not in found["en"]
    assert "Region Västmanland · Omgång 2025" in found["sv"] and "Region Uppsala ·" not in found["sv"]
    assert "Sammanfattning" in found["sv"] and "Summary" not in found["sv"]


def tiny(text: str, lang: str = "sv") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>{text}</title></head><body><p>{text}</p></body></html>'


@pytest.fixture
def fresh(monkeypatch):
    """An empty memory of finished PDFs for one test (it is the process's own otherwise)."""
    from collections import OrderedDict

    monkeypatch.setattr(pdf, "_DONE", OrderedDict())
    return monkeypatch


def test_the_same_html_gets_the_same_bytes_without_a_new_layout(fresh):
    first = pdf.html_to_pdf(tiny("Region Västmanland"))
    made = []
    real = pdf.document
    fresh.setattr(pdf, "document", lambda html: made.append(html) or real(html))
    assert pdf.html_to_pdf(tiny("Region Västmanland")) == first and made == []  # remembered, not laid out
    other = pdf.html_to_pdf(tiny("Region Västmanland", "en"))  # another language is other HTML: made anew
    assert made == [tiny("Region Västmanland", "en")] and other != first
    assert "Region Västmanland" in pdf.text_of(pdf.document(tiny("Region Västmanland", "en")))


def test_only_the_last_few_pdfs_are_kept(fresh):
    fresh.setattr(pdf, "KEEP", 2)
    for name in ("Region Uppsala", "Region Västmanland", "Region Norrbotten"):
        pdf.html_to_pdf(tiny(name))
    assert len(pdf._DONE) == 2
    made = []
    real = pdf.document
    fresh.setattr(pdf, "document", lambda html: made.append(html) or real(html))
    pdf.html_to_pdf(tiny("Region Norrbotten"))
    pdf.html_to_pdf(tiny("Region Uppsala"))  # the oldest was let go: laid out again
    assert made == [tiny("Region Uppsala")]


def test_a_remembered_pdf_still_says_weasyprint_is_missing(fresh):
    import builtins

    pdf.html_to_pdf(tiny("Region Uppsala"))
    real_import = builtins.__import__

    def without_weasyprint(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    fresh.setattr(builtins, "__import__", without_weasyprint)
    with pytest.raises(pdf.PdfUnavailable) as caught:
        pdf.html_to_pdf(tiny("Region Uppsala"))
    assert caught.value.code == "missing"
