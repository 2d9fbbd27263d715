"""Method 2 across regions (docs/method.md 10.9–10.10) in the national report, its workbook, open data and the
plan workbook: tiers with rank intervals instead of a league table, the interval plot, low-confidence cells
marked in the heatmap and in its table, the change table with "ingen säker förändring"; method-1 output as
before, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from openpyxl import load_workbook

from questionnaires import find, load
from reports import charts
from reports.model import national_report, region_report, tier_table
from reports.national_html import render_national_html
from reports.national_workbook import national_workbook
from reports.opendata import data_dictionary, open_data
from reports.opendata import header as open_data_header
from reports.planbook import plan_workbook
from scoring import score
from scoring.sheet import from_rows
from tests.conftest import INSTRUMENT
from tests.sample_data import synthetic_sheet

V2 = "regional-validering@2"
GENERATED = dt.datetime(2026, 3, 2, 9, 30)
ROUNDS = ["2025", "2026"]


def panel_rows(q, round_: str, first: bool | None = None) -> list[tuple[str, str, str, str, dict]]:
    """Answers that give every tier and a low-confidence mix (same for both rounds except Uppsala, which
    rises from 0 to 2: a certain change; everyone else answers as before: no certain change). `first`: whether
    `round_` is the first round (default: it is ROUNDS[0]).

    01 Stockholm: three partners, all at 4 (interval 4–4, over the national median);
    03 Uppsala: three partners, all at 0 in 2025 and all at 2 in 2026;
    06 Jönköping: three partners, all at 1 (under the national median);
    04 Sörmland: five partners at 2, but only the two regional ones answer D2 (low confidence in D2 only);
    05 Östergötland: two regional and two kommun respondents who disagree (1 and 3) and one from
    Arbetsförmedlingen at 2 — wide intervals around the median;
    19 Västmanland: one respondent at 2 (low confidence everywhere).
    """
    def answers(role: str, level: int, skip: str | None = None) -> dict:
        return {ind.id: level for ind in q.indicators if ind.applies_to(role) and ind.dimension != skip}

    uppsala = 0 if (round_ == ROUNDS[0] if first is None else first) else 2
    rows = [(code, round_, f"{code}-{n}", role, answers(role, level))
            for code, level in (("01", 4), ("03", uppsala), ("06", 1))
            for n, role in enumerate(("region", "kommun", "af"))]
    for code, low, high, skip in (("04", 2, 2, "D2"), ("05", 1, 3, None)):
        people = [("region", low, None), ("region", high, None), ("kommun", low, skip), ("kommun", high, skip),
                  ("af", 2, skip)]
        rows += [(code, round_, f"{code}-{n}", role, answers(role, level, gap))
                 for n, (role, level, gap) in enumerate(people)]
    rows.append(("19", round_, "19-0", "region", answers("region", 2)))
    return rows


@pytest.fixture(scope="module")
def q2():
    return find(V2)


@pytest.fixture(scope="module")
def scores2(q2):
    sheet = from_rows([row for r in ROUNDS for row in panel_rows(q2, r)], q2)
    return score(sheet, q2)


@pytest.fixture(scope="module")
def report2(scores2, q2):
    return national_report(scores2, q2, "2026", rounds=ROUNDS, named=True, generated_at=GENERATED)


@pytest.fixture(scope="module")
def html2(report2):
    return render_national_html(report2, "sv")


class Tables(HTMLParser):
    """Every table of a page: caption, header texts and rows of cell texts; and the section ids in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.sections: list[str] = []
        self._cell: list[str] | None = None
        self._caption = self._head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "id" in attrs:
            self.sections.append(attrs["id"])
        if tag == "table":
            self.tables.append({"caption": "", "columns": [], "rows": []})
        elif tag == "caption":
            self._caption = True
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and self.tables and not self._head:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = False
        elif tag == "thead":
            self._head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.tables[-1]["columns"] if self._head else self.tables[-1]["rows"][-1]).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def table_named(page: Tables, caption: str) -> dict:
    return next(t for t in page.tables if t["caption"].strip().startswith(caption))


# -- the national report (HTML) ------------------------------------------------------------------------------

def test_the_national_report_leads_with_tiers_and_rank_intervals_never_a_league_table(report2, html2):
    page = tables_of(html2)
    assert page.sections.index("tiers") < page.sections.index("heatmap-section")
    table = table_named(page, "Regionerna jämfört med riket")
    overall = report2.overall
    tiers = {"above": "över riket", "within": "i nivå med riket", "below": "under riket"}
    shown = {row[1]: row for row in table["rows"]}
    assert set(shown) == {report2.labels[code] for code in report2.order}
    for code in report2.order:
        row = shown[report2.labels[code]]
        assert row[0] == tiers[overall.loc[code, "tier"]]
        # the rank is never alone: the median rank always comes with its 90 % interval
        lo, median, hi = (int(overall.loc[code, c]) for c in ("rank_lo", "rank_median", "rank_hi"))
        assert f"{median} ({lo}–{hi})" in row
    assert [overall.loc[c, "tier"] for c in ("01", "03", "06")] == ["above", "within", "below"]
    # rows go by tier, then in the report's own region order: never by score or rank
    order = [row[1] for row in table["rows"]]
    expected = [report2.labels[code] for tier in ("above", "within", "below")
                for code in report2.order if overall.loc[code, "tier"] == tier]
    assert order == expected
    assert not re.search(r"<th[^>]*>\s*(Placering|Rang|Rank)\s*</th>", html2)  # no bare rank column
    assert "Västmanland" in " ".join(next(r for r in table["rows"] if r[1] == "Region Västmanland"))
    assert "Osäkert" in " ".join(next(r for r in table["rows"] if r[1] == "Region Västmanland"))


def test_the_interval_plot_shows_overall_score_with_interval_against_respondents(report2, html2):
    chart, data = charts.interval_chart(tier_table(report2), report2.national_overall["median"], report2.q, "sv")
    assert list(data["label"]) == list(tier_table(report2)["label"])
    assert {"respondents", "score", "interval_lo", "interval_hi", "tier"} <= set(data.columns)
    spec = chart.to_dict()
    encodings = [layer.get("encoding", {}) for layer in spec["layer"]]
    assert any(e.get("y", {}).get("field") == "interval_lo" and e.get("y2", {}).get("field") == "interval_hi"
               for e in encodings)  # the interval as a bar
    assert any(e.get("y", {}).get("field") == "median" for e in encodings)  # the national median as a line
    assert any(e.get("x", {}).get("title") == "Respondenter som svarat" for e in encodings)  # against respondents
    assert list(data["respondents"]) == list(tier_table(report2)["panel"])
    hollow = [layer for layer in spec["layer"] if layer.get("mark", {}).get("filled") is False]
    assert hollow and hollow[0]["transform"] == [{"filter": "datum.uncertain"}]  # an open point: uncertain
    page = tables_of(html2)
    table = table_named(page, "Tabell: Totalpoäng med osäkerhetsintervall")
    assert len(table["rows"]) == len(report2.order)
    assert 'id="intervals-title"' in html2


def test_low_confidence_cells_are_marked_in_the_heatmap_and_in_words_in_its_table(report2, html2, q2):
    flagged = report2.dimensions["low_confidence"].astype(bool)
    assert flagged.any() and not flagged.all()
    chart, table = charts.heatmap_chart(report2.dimensions, report2.labels, report2.order, q2, "sv")
    spec = chart.to_dict()
    dashed = [layer for layer in spec["layer"] if layer.get("mark", {}).get("strokeDash")]
    assert len(dashed) == 1, "a dashed frame marks the uncertain cells"
    assert dashed[0]["transform"] == [{"filter": "datum.uncertain"}]
    framed = {(row["label"], row["dimension"]) for row in spec["datasets"][dashed[0]["data"]["name"]]
              if row["uncertain"]}
    assert framed == {(report2.labels[code], dim) for (code, dim), flag in flagged.items() if flag}
    # the text alternative in the app's table: the uncertain dimensions of each region
    assert dict(zip(table["label"], table["low_confidence"], strict=True))["Region Sörmland"] == "D2"
    page = tables_of(html2)
    heat = table_named(page, "Tabell: Alla regioner och dimensioner")
    dims = [d.id for d in q2.dimensions]
    by_label = {row[0]: row[1:] for row in heat["rows"]}
    for code in report2.order:
        cells = by_label[report2.labels[code]]
        for dim, cell in zip(dims, cells, strict=False):
            assert ("osäkert" in cell) == bool(flagged.loc[(code, dim)]), (code, dim, cell)
    assert "osäkert" in next(f for f in re.findall(r'<p class="table-note">(.*?)</p>', html2) if "osäkert" in f)
    description = re.search(r'id="heatmap-desc">(.*?)</p>', html2).group(1)
    assert "streckad" in description


def test_the_change_table_says_when_a_change_is_not_certain(report2, html2):
    changes = report2.changes
    assert changes.loc["03", "certain"] == "up"  # 0 → 2 with intervals that do not overlap
    assert changes.loc["01", "certain"] == "none" and changes.loc["19", "certain"] == "none"
    page = tables_of(html2)
    table = table_named(page, "Förändring sedan 2025")
    rows = {row[0]: row for row in table["rows"]}
    assert "säker ökning" in rows["Region Uppsala"]
    assert "ingen säker förändring" in rows["Region Stockholm"]
    assert "ingen säker förändring" in rows["Region Västmanland"]


def test_the_english_report_has_the_same_sections(report2):
    html = render_national_html(report2, "en")
    assert "above the national level" in html and "no certain change" in html and "uncertain" in html
    assert "osäkert" not in html and "över riket" not in html


def test_a_first_round_has_tiers_but_no_change_table(scores2, q2):
    report = national_report(scores2, q2, "2025", rounds=ROUNDS, named=False, seed=3, generated_at=GENERATED)
    assert report.changes is None
    html = render_national_html(report, "sv")
    assert 'id="tiers"' in html and 'id="changes"' not in html
    assert "Region Stockholm" not in html  # anonymised: letters only


# -- the workbooks and open data ---------------------------------------------------------------------------

def test_the_national_workbook_leads_with_tiers_and_carries_low_confidence(report2):
    wb = load_workbook(io.BytesIO(national_workbook(report2, "sv")))
    summary = wb["Sammanfattning"]
    texts = [[c.value for c in row] for row in summary.iter_rows()]
    flat = [str(v) for row in texts for v in row if v is not None]
    assert "Regionerna jämfört med riket" in flat
    assert {"över riket", "i nivå med riket"} <= set(flat)
    assert "ingen säker förändring" in flat and "säker ökning" in flat
    overall = wb["Totalt"]
    header = [c.value for c in next(overall.iter_rows())]
    for column in ("interval_lo", "interval_hi", "low_confidence", "tier", "rank_median", "rank_lo", "rank_hi"):
        assert open_data_header(column, "sv") in header  # the reader's words, not the CSV's ids
    dims = wb["Dimensioner"]
    header = [c.value for c in next(dims.iter_rows())]
    assert "Osäker poäng" in header
    flags = [row[header.index("Osäker poäng")] for row in dims.iter_rows(min_row=2, values_only=True)]
    assert sum(bool(f) for f in flags) == int(report2.dimensions["low_confidence"].sum())


def test_open_data_has_a_low_confidence_column_for_method_2_only(scores2, q2, national_scores_1):
    data = open_data(scores2, q2, "sv", named=True, generated_at=GENERATED)
    assert "low_confidence" in data.tables["dimensions"] and "low_confidence" in data.tables["overall"]
    expected = scores2.dimensions["low_confidence"].astype(bool)
    got = data.tables["dimensions"].set_index(["region_code", "round", "dimension"])["low_confidence"]
    assert got.sort_index().equals(expected.sort_index().rename("low_confidence"))
    dictionary = data_dictionary("sv", True, method=2)
    assert "low_confidence" in set(dictionary["column"])
    scores1, q1 = national_scores_1
    plain = open_data(scores1, q1, "sv", named=True, generated_at=GENERATED)
    assert all("low_confidence" not in table for table in plain.tables.values())
    assert "low_confidence" not in set(data_dictionary("sv", True)["column"])


def test_the_plan_workbook_marks_uncertain_scores_in_its_summary(scores2, q2):
    sheet = from_rows([row for r in ROUNDS for row in panel_rows(q2, r)], q2)
    report = region_report(scores2, q2, "19", "2026", sheet=sheet, rounds=ROUNDS, generated_at=GENERATED)
    wb = load_workbook(io.BytesIO(plan_workbook(report, "sv")))
    summary = wb["Sammanfattning"]
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    header = next(r for r in rows if r[0] == "Dimension")
    assert "Säkerhet" in header and "Osäkerhetsintervall (90 %)" in header
    confidence = header.index("Säkerhet")
    d1 = next(r for r in rows if isinstance(r[0], str) and r[0].startswith("D1 "))
    assert d1[confidence].startswith("Osäkert: bara en partner har svarat")
    total = next(r for r in rows if r[0] == "Totalt")
    assert total[confidence].startswith("Osäkert")
    stockholm = region_report(scores2, q2, "01", "2026", sheet=sheet, rounds=ROUNDS, generated_at=GENERATED)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(plan_workbook(stockholm, "sv")))[
        "Sammanfattning"].iter_rows()]
    d1 = next(r for r in rows if isinstance(r[0], str) and r[0].startswith("D1 "))
    assert not d1[confidence]


# -- method 1: exactly as before -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def national_scores_1():
    q = load(INSTRUMENT)
    return score(synthetic_sheet(q, ["2024", "2025"], seed=11), q), q


# The method-1 national report (named, Swedish) of the synthetic data above, with the inline SVG charts and
# the version line taken out (those change with Altair/vl-convert and with every release). Recorded before
# method 2's national views were added (re-recorded when the method appendix stopped naming a command line);
# if you change the national report on purpose, record the new hash.
METHOD_1_NATIONAL_HTML = "b46d6ba717a97acd0c8bb51a8d6895e13bd3460c88336c8d34d7e41e5c4cf4eb"


def _structure(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S)
    return re.sub(r"Framtagen med mognad \S+ den", "Framtagen med mognad X den", html)


def test_method_1_national_report_is_unchanged(national_scores_1):
    scores1, q1 = national_scores_1
    report = national_report(scores1, q1, "2025", rounds=["2024", "2025"], seed=5, generated_at=GENERATED,
                             named=True)
    assert report.changes is None and tier_table(report).empty
    html = render_national_html(report, "sv")
    assert hashlib.sha256(_structure(html).encode()).hexdigest() == METHOD_1_NATIONAL_HTML
    for word in ("i nivå med riket", "osäkert", "Osäkert", "säker förändring", 'id="tiers"', 'id="intervals',
                 'id="changes"'):
        assert word not in html
    assert not re.search(r"(över|under) riket\b", html)  # "över rikets median" is method 1's own wording
    _, table = charts.heatmap_chart(report.dimensions, report.labels, report.order, q1, "sv")
    assert "low_confidence" not in table.columns
    assert isinstance(report.overall, pd.DataFrame)
