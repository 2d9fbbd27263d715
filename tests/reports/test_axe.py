"""axe-core in Chromium: the HTML reports have no serious or critical accessibility violations (WCAG 2.1 AA)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.html import render_national_html, render_region_html
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("MOGNAD_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    _need(CHROMIUM.exists(), f"{CHROMIUM} is absent (apt-get install chromium)")
    _need(AXE.exists(), f"{AXE} is absent (npm install --prefix .cache/node axe-core)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--disable-gpu"])
        yield launched
        launched.close()


def violations(browser, html: str, tmp_path: Path, media: str = "screen") -> list[dict]:
    page = browser.new_page()
    try:
        path = tmp_path / "report.html"
        path.write_text(html, "utf-8")
        page.emulate_media(media=media)
        page.goto(path.as_uri())
        page.add_script_tag(content=AXE.read_text("utf-8"))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    finally:
        page.close()
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


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
