"""The national report for a reader who may only see aggregates (issue 15's bug): a regional lead asking for
the unpublished 2026 round of the demo data gets the store's released statistics, with no region listed.

Rendering that report raised KeyError: 'region' in the heat map. It must degrade instead: no heat map, no
profiles and no data quality per region, every aggregate section still there, and one sentence saying why
the regions are not shown one by one.
"""

from __future__ import annotations

import re

import pytest

import store
from questionnaires import load_regions
from reports.national_html import render_national_html
from service.reports import national_report

LEAD = "ledare@demo.invalid"  # the demo's regional lead (Västmanland and Uppsala)
ABSENT = {
    "sv": "Regionerna visas inte var för sig. Omgången är inte publicerad än, och tills den är det får du bara se "
          "siffror som är sammanställda för alla {n} regioner som deltar. Därför saknas värmekartan, regionernas "
          "profiler och datakvaliteten per region. De kommer med när omgången är publicerad.",
    "en": "The regions are not shown one by one. The round is not published yet, and until it is you may only see "
          "figures combined across all {n} participating regions. That is why the heat map, the regions' profiles "
          "and the data quality per region are missing. They appear once the round is published.",
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = store.Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'mognad.sqlite'}")
    database.upgrade()
    store.load_demo(database)
    return database


@pytest.fixture(scope="module")
def report(demo_db):
    lead = store.identity_for_email(demo_db, LEAD)
    found = national_report(demo_db, lead, "2026", named=False)
    assert found.aggregates_only and found.order == () and found.dimensions.empty
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_aggregates_only_report_renders_and_says_why_the_regions_are_missing(report, lang):
    html = render_national_html(report, lang)
    assert report.participating == 15  # the demo's 2026 round: the regions whose analysis is handed in
    assert f'<p class="notice" id="regions-absent">{ABSENT[lang].format(n=15)}</p>'.replace("'", "&#39;") in html
    # no comparison of single regions: no heat map, no profiles, no data quality per region, no region's name
    for ident in ("heatmap-title", "profiles-title", "quality-title"):
        assert f'id="{ident}"' not in html
    results = html[: html.index('<section id="method"')]  # the method's sources cite regional projects by name
    for region in load_regions():
        assert region.name not in results
    # the aggregate sections are still there, with the released numbers
    for ident in ("summary", "stages-title", "distribution-title", "peers", "method"):
        assert f'id="{ident}"' in html
    assert report.rounds == ("2026",)  # the store releases no earlier round to this reader: no trend to draw
    median = report.national_overall["median"]
    assert f'<data value="{median}" data-key="national.overall.median">' in html
    assert html.count('data-key="national.D') == len(report.q.dimensions)  # one released median per dimension
    assert ("Varje streck är en region" if lang == "sv" else "Each tick is a region") not in html  # none is drawn
    # the contents list only what is there (a link to a missing section would lead nowhere)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert {target for target in re.findall(r'href="#([^"]+)"', html)} <= ids


def test_the_sentence_counts_the_participating_regions(report):
    from dataclasses import replace

    html = render_national_html(replace(report, counted=7), "sv")
    assert "för alla 7 regioner som deltar" in html and "för alla 15 regioner" not in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_aggregates_only_workbook_has_no_sheet_per_region_and_says_why(report, lang):
    import io

    from openpyxl import load_workbook

    from reports.national_workbook import national_workbook

    book = load_workbook(io.BytesIO(national_workbook(report, lang)))
    assert len(book.sheetnames) == 3  # summary, dictionary, about: no regions, dimensions or indicators by region
    summary = book.worksheets[0]
    assert summary["J4"].value == ABSENT[lang].format(n=15)
    assert not summary._images  # no heat map
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    for region in load_regions():
        assert region.name not in cells
