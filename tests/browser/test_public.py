"""Public pages in a real browser: they render, switch language, and pass an axe-core scan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_scan, wait_for_app

pytestmark = pytest.mark.browser


def test_instrument_page_renders_and_switches_language(server, page):
    url, _ = server
    page.goto(f"{url}/instrument")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Instrumentet")).to_be_visible()
    page.get_by_role("radio", name="English").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="The instrument")).to_be_visible()


def test_instrument_page_accessibility(server, page):
    url, _ = server
    page.goto(f"{url}/instrument")
    wait_for_app(page)
    violations = axe_scan(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["impact"], len(v["nodes"])) for v in serious]
