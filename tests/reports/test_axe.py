"""axe-core in Chromium: the HTML reports have no serious or critical accessibility violations (WCAG 2.1 AA)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.national_html import render_national_html
from reports.region_html import render_region_html
from tests.chromium import WCAG_AA, axe

pytestmark = pytest.mark.browser

TAGS = [*WCAG_AA, "best-practice"]


@pytest.fixture
def browser(chromium):
    return chromium


def violations(browser, html: str, tmp_path: Path, media: str = "screen") -> list[dict]:
    page = browser.new_page()
    try:
        path = tmp_path / "report.html"
        path.write_text(html, "utf-8")
        page.emulate_media(media=media)
        page.goto(path.as_uri())
        found = axe(page, TAGS)
    finally:
        page.close()
    return [v for v in found if v["impact"] in ("serious", "critical")]


def describe(found: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes'][:3]]}" for v in found)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_region_report(browser, tmp_path, region_report_19, lang):
    found = violations(browser, render_region_html(region_report_19, lang), tmp_path)
    assert not found, describe(found)


def test_region_report_from_an_answers_file_in_print(browser, tmp_path, example_report):
    found = violations(browser, render_region_html(example_report, "sv"), tmp_path, media="print")
    assert not found, describe(found)


def test_national_report(browser, tmp_path, national):
    found = violations(browser, render_national_html(national, "sv"), tmp_path)
    assert not found, describe(found)
