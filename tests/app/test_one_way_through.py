"""One way through: the app and the command line build every report through the service floor, so a comment
saved in Fyll i reaches every report and workbook, and Resultat shows the numbers of the report model."""

from __future__ import annotations

import html as html_lib
import io
import re

import openpyxl
import pytest

import store
from cli import main
from reports import formatting as fmt
from reports import pdf
from service.reports import region_report as build_region_report
from service.reports import render_region
from tests.app.conftest import ADMIN, LEAD, app
from tests.app.test_fill import fill, sheet_id

COMMENT = "Belägg: protokoll från styrgruppen 2026-03-14, bilaga 3"


def _comments_in_html(document: str) -> list[tuple[str, str]]:
    """(role, text) of every respondent comment of the region report, in document order."""
    pairs = re.findall(r'<span class="role">(.*?):</span> <span class="comment">(.*?)</span>', document, re.S)
    return [(html_lib.unescape(role), html_lib.unescape(text)) for role, text in pairs]


def _comments_in_workbook(raw: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = book["Indikatorer"]
    header = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=6))]
    for row in sheet.iter_rows(max_row=6):  # the header row is the one naming the comments column
        values = [cell.value for cell in row]
        if "Kommentarer och belägg" in values:
            header = values
            break
    column = header.index("Kommentarer och belägg")
    return [row[column] for row in sheet.iter_rows(values_only=True) if row[column] and row[column] != "Kommentarer och belägg"]


def test_a_comment_saved_in_fill_in_reaches_every_report_of_the_app_and_the_cli(demo_db, tmp_path, capsys):
    db, _ = demo_db
    sheet, assessment = sheet_id(db, "r1")
    at = fill(sheet=sheet)
    at.text_area(key=f"comment_{sheet}_D1.3").input(COMMENT).run()
    assert not at.exception
    stored = [c for c in store.answer_sheet(db, store.system_identity(), "regional-validering@1", rounds=["2026"],
                                            regions=["19"])[1]["comment"]]
    assert COMMENT in stored

    lead = store.identity_for_email(db, LEAD)
    report = build_region_report(db, lead, "19", "2026", lang="sv")  # what the app's pages and downloads use
    app_html = render_region(report, "html", "sv")
    app_comments = _comments_in_html(app_html)
    assert len(app_comments) == len(stored)  # every stored comment of the round, none lost
    assert ("Regionalt utvecklingsansvarig aktör", COMMENT) in app_comments or any(
        text == COMMENT for _, text in app_comments)
    app_book = _comments_in_workbook(render_region(report, "xlsx", "sv"))
    assert any(COMMENT in cell for cell in app_book)
    assert sum(cell.count("\n") + 1 for cell in app_book) == len(stored)

    cli_html, cli_book = tmp_path / "r.html", tmp_path / "r.xlsx"
    url = str(db.engine.url)
    assert main(["report", "--region", "19", "--round", "2026", "--format", "html", "-o", str(cli_html),
                 "--database", url]) == 0
    assert main(["report", "--region", "19", "--round", "2026", "--format", "xlsx", "-o", str(cli_book),
                 "--database", url]) == 0
    capsys.readouterr()
    assert _comments_in_html(cli_html.read_text("utf-8")) == app_comments  # identical, in the same order
    assert _comments_in_workbook(cli_book.read_bytes()) == app_book

    if pdf.available():
        text = pdf.text_of(pdf.document(app_html))
        assert "protokoll från styrgruppen" in " ".join(text.split())


def test_the_demo_reports_hold_every_stored_comment(demo_db):
    """Västmanland 2025: the app's report used to hold 0 of the 11 stored comments."""
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    _, comments = store.answer_sheet(db, lead, "regional-validering@1", rounds=["2025"], regions=["19"])
    report = build_region_report(db, lead, "19", "2025")
    assert len(comments) > 0
    assert sum(len(found) for found in report.comments.values()) == len(comments)
    assert len(_comments_in_html(render_region(report, "html", "sv"))) == len(comments)


def _results_page(region: str, round_: str = "2026"):
    at = app("sv", ADMIN)
    at.session_state["chosen_region"] = region
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/results.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _regions_with_change(db) -> list[str]:
    who = store.system_identity()
    both = [{a.region for a in store.list_assessments(db, who, round=label)} for label in ("2025", "2026")]
    return sorted(both[0] & both[1])


@pytest.mark.parametrize("region", ["01", "03", "12", "19", "25"])
def test_results_page_shows_the_numbers_of_the_report(demo_db, region):
    db, _ = demo_db
    if region not in _regions_with_change(db):
        pytest.skip(f"the demo data have no change for {region}")
    admin = store.identity_for_email(db, ADMIN)
    report = build_region_report(db, admin, region, "2026", peer_by="size_group")
    at = _results_page(region)

    change = next(t.value for t in at.table if {"Nu", "Då"} <= set(t.value.columns))  # not the follow-up table
    assert report.changes["score"].notna().any()
    for dim_id, row in report.changes.iterrows():
        shown = change.loc[next(label for label in change.index if label.startswith(f"{dim_id} "))]
        assert shown["Nu"] == fmt.decimal(row["score"], "sv", 2)
        assert (shown["Nu"] != "–") == (row["score"] == row["score"])  # a number wherever the report has one
        assert shown["Då"] == fmt.decimal(row["previous"], "sv", 2)
        assert shown["Förändring"] == fmt.decimal(row["change"], "sv", 2)

    dim = report.q.dimensions[0]  # the drill-down opens on the first dimension
    rows = report.indicators.loc[[ind.id for ind in dim.indicators]]
    summary = report.dimension(dim.id)
    said = " ".join(m.value for m in at.markdown)
    assert (f"{summary['answered']} indikatorer med värde. I dimensionen finns {int(rows['n_na'].sum())} svar "
            f"”Ej relevant” och {int(rows['n_dk'].sum())} svar ”Vet ej”") in said
    for ind in dim.indicators:
        counts = report.indicators.loc[ind.id]
        assert (f"{int(counts['n_value'])} av {int(counts['asked'])} tillfrågade svarade med en nivå, "
                f"{int(counts['n_na'])} svarade ”Ej relevant” och {int(counts['n_dk'])} ”Vet ej”") in said


def test_the_service_refuses_names_and_drafts_a_regional_user_may_not_see(demo_db):
    from service.reports import national_report

    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    with pytest.raises(store.Forbidden) as refused:
        national_report(db, lead, "2026", named=True)
    assert "inte är publicerad" in refused.value.message("sv")
    with pytest.raises(store.Forbidden):
        build_region_report(db, lead, "19", "2026", include_drafts=True)
    anonymous = national_report(db, lead, "2026")  # before publication: the store's aggregates only
    assert anonymous.aggregates_only and anonymous.order == () and anonymous.dimensions.empty
    assert anonymous.participating >= 3
