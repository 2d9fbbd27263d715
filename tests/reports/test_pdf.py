"""The PDF: it renders on A4 and its text holds the region's name; without WeasyPrint the message is clear."""

from __future__ import annotations

import builtins

import pytest

from reports import pdf
from reports.region_html import render_region_html

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint (mognad[pdf]) is not installed")


def test_pdf_renders_with_the_regions_name(example_report):
    html = render_region_html(example_report, "sv")
    rendered = pdf.document(html)
    assert len(rendered.pages) >= 3
    width, height = rendered.pages[0].width, rendered.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (210, 297)  # A4 in CSS pixels
    text = pdf.text_of(rendered)
    assert "Region Västmanland" in text and "Sammanfattning" in text and "1 / " in text  # page numbers
    raw = rendered.write_pdf()
    assert raw.startswith(b"%PDF-") and raw.rstrip().endswith(b"%%EOF")


def test_nothing_is_fetched(example_report, caplog):
    html = render_region_html(example_report, "sv").replace(
        "</main>", '<img src="file:///etc/hostname" alt=""><img src="http://127.0.0.1:9/x.png" alt=""></main>')
    assert pdf.html_to_pdf(html).startswith(b"%PDF-")  # the fetcher refuses both; the PDF is still made
    refused = [r.getMessage() for r in caplog.records if "refusing to fetch" in r.getMessage()]
    assert len(refused) == 2


def test_missing_weasyprint_is_a_clear_message(monkeypatch, example_report):
    real_import = builtins.__import__

    def without_weasyprint(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_weasyprint)
    with pytest.raises(pdf.PdfUnavailable) as caught:
        pdf.html_to_pdf("<html></html>")
    assert "mognad[pdf]" in caught.value.message("sv") and "HTML" in caught.value.message("en")
