"""The HTML reports: self-contained, accessible structure, escaped user text, sv/en, the publication rule."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from reports.model import Comment, region_report
from reports.national_html import render_national_html
from reports.region_html import render_region_html
from tests.reports.conftest import GENERATED


class Collector(HTMLParser):
    """The facts a test needs from a page: data values by key, ids, images, headings, external references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.references: list[str] = []
        self.lang = None
        self.scripts = 0
        self.svgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "data" and "data-key" in attrs:
            self.data.setdefault(attrs["data-key"], []).append(attrs["value"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "script":
            self.scripts += 1
        if tag == "svg" and "chart-svg" in attrs.get("class", "").split():
            self.svgs.append(attrs)
        for name in ("src", "href"):
            if name in attrs and not attrs[name].startswith("#"):
                self.references.append(attrs[name])


def collect(html: str) -> Collector:
    parser = Collector()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def region_html(region_report_19):
    return render_region_html(region_report_19, "sv")


def test_region_report_is_self_contained_and_well_structured(region_html, region_report_19):
    page = collect(region_html)
    assert page.lang == "sv" and page.scripts == 0
    assert page.references == []  # no CDN, no font, no link out: one file that works offline
    assert len(page.ids) == len(set(page.ids)), "duplicate ids (several inline SVGs must not share clip ids)"
    assert page.headings[0] == 1 and all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert len(page.svgs) == 2  # the profile and the trend (two rounds)
    for svg in page.svgs:
        assert svg["role"] == "img" and svg["aria-label"] and svg["aria-describedby"] in page.ids
    assert "<style>" in region_html and "@page" in region_html and "table-header-group" in region_html
    for text in ("Region Västmanland", "regional-validering@1", "Sammanfattning", "Handlingsplan",
                 "Metod och datakvalitet", "Jämförelsegruppens median", "Besluta om regionens roll"):
        assert text in region_html


def test_every_chart_has_a_data_table_and_a_description(region_html):
    figures = re.findall(r"<figure class=\"chart\".*?</figure>", region_html, flags=re.S)
    assert len(figures) == 2
    for figure in figures:
        assert "<table" in figure and "<caption" in figure and 'class="chart-description"' in figure
        assert "<th scope=\"col\"" in figure and "<th scope=\"row\"" in figure


def test_user_text_is_escaped(national_scores, national_sheet, instrument, stored_items):
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    comment = Comment("D1.1", "region", evil)
    items = [stored_items[0].__class__(id="x", dimension="D1", action=evil, owner="<b>boss</b>")]
    report = region_report(national_scores, instrument, "19", "2025", sheet=national_sheet, comments=[comment],
                           items=items, generated_at=GENERATED)
    html = render_region_html(report, "en")
    assert "<script>" not in html and "<img" not in html and "<b>boss</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;boss&lt;/b&gt;" in html


def test_english_report(region_report_19):
    html = render_region_html(region_report_19, "en")
    page = collect(html)
    assert page.lang == "en"
    assert "Summary" in html and "Action plan" in html and "Sammanfattning" not in html
    assert "Mandate and governance" in html
    overall = region_report_19.summary["overall"]["score"]
    assert f"{overall:.2f}" in html  # decimal point in English


def test_swedish_numbers_use_decimal_comma(region_html, region_report_19):
    overall = region_report_19.summary["overall"]["score"]
    assert f"{overall:.2f}".replace(".", ",") in region_html
    assert "\u00a0%" in region_html  # "61 %": a non-breaking space before the percent sign


def test_overdue_and_done_items_are_marked_in_words(region_html):
    # the report was made on 2026-03-02: "a1" (due 2026-01-31, ongoing) is late; "a2" is done
    assert "Pågår – försenad" in region_html
    assert 'class="done"' in region_html


def test_report_from_one_answers_file_has_no_comparison(example_report):
    html = render_region_html(example_report, "sv")
    assert "Det finns ingen jämförelse" in html and "Rikets median" not in html
    assert "Förslag från metoden" in html  # no stored plan: the method's proposal, clearly labelled
    assert "Beslut i regionstyrelsen 2024" in html  # the respondent's comment


def test_national_report_anonymises_by_default(national):
    html = render_national_html(national, "sv")
    page = collect(html)
    assert page.references == [] and page.scripts == 0 and len(page.ids) == len(set(page.ids))
    assert "Region A" in html and "Region U" in html
    for region in ("Region Stockholm", "Region Västmanland", "Region Gotland", "Västra Götalandsregionen"):
        assert region not in html
    assert len(page.svgs) == 5  # stages, heatmap, distribution, trend, profiles
    assert "Datakvalitet" in html and "Jämförelsegrupper" in html


def test_national_letters_are_stable_within_a_report_and_drawn_per_report(national_scores, instrument):
    from reports.model import national_report

    first = national_report(national_scores, instrument, "2025", seed=1)
    again = national_report(national_scores, instrument, "2025", seed=1)
    other = national_report(national_scores, instrument, "2025", seed=2)
    assert first.labels == again.labels and first.labels != other.labels
    assert sorted(first.labels.values()) == sorted(other.labels.values())
    assert first.roster == {}  # nothing that identifies a region travels with an anonymised report


def test_named_national_report(national_scores, instrument):
    from reports.model import national_report

    report = national_report(national_scores, instrument, "2025", named=True, generated_at=GENERATED)
    html = render_national_html(report, "en")
    assert "Region Västmanland" in html and "Region A<" not in html and "regions are shown by name" in html
