"""The follow-up round reaches the outputs: the region report's section and the plan workbook's review sheet."""

from __future__ import annotations

import io

import openpyxl

import store
from reports.region_html import render_region_html
from service.reports import plan_workbook_bytes, region_report
from tests.app.conftest import LEAD


def test_a_second_round_report_and_workbook_carry_the_follow_up(demo_db):
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    report = region_report(db, lead, "19", "2026", lang="sv")
    assert report.followup.previous_round == "2025" and len(report.last_plan.items) == 4
    html = render_region_html(report, "sv")
    assert 'id="uppfoljning"' in html and "2025" in html
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook_bytes(db, lead, "19", "2026", report=report)))
    review = book["Uppföljning"]
    assert [review.cell(4 + n, 1).value for n in range(4)] == [item.action for item in report.last_plan.items]


def test_a_first_round_has_none(demo_db):
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    report = region_report(db, lead, "19", "2025", lang="sv")
    assert report.followup is None and report.last_plan is None
    assert 'id="uppfoljning"' not in render_region_html(report, "sv")
