"""The main journeys in a real browser, on a real server with the demo data, and an axe scan of every page."""

from __future__ import annotations

import io
import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_scan, wait_for_app
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

LEAD, ADMIN = "ledare@demo.invalid", "admin@demo.invalid"
PAGES = ["oversikt", "fyll-i", "resultat", "jamforelse", "handlingsplan", "export", "administration", "instrument",
         "rakna"]


@pytest.fixture(scope="session")
def accounts(server) -> dict[str, str]:
    _, printed = server
    found = dict(re.findall(r"^\s+(\S+@demo\.invalid)\s+(\S+)", printed, re.M))
    assert LEAD in found and ADMIN in found, printed
    return found


def sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()


def go(page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True).click()
    wait_for_app(page)


def choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option).click()
    wait_for_app(page)


def test_fill_reload_submit_results_plan_excel(server, accounts, page):
    url, _ = server
    sign_in(page, url, LEAD, accounts[LEAD])
    go(page, "Fyll i")
    choose(page, "Region", "Region Västmanland")
    expect(page.get_by_role("heading", name="D1 Mandat och styrning")).to_be_visible()
    d11 = page.get_by_role("radiogroup", name="Vilken beskrivning stämmer bäst för D1.1?")
    level = d11.get_by_text(re.compile(r"^3 Etablerad – "))
    level.click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Sparat \d\d:\d\d av ledare@demo\.invalid")).first).to_be_visible()

    page.reload()  # a reload keeps the person signed in, on the same page and region (the session cookie)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Fyll i")).to_be_visible()
    expect(page.get_by_role("heading", name="D1 Mandat och styrning")).to_be_visible()
    d11 = page.get_by_role("radiogroup", name="Vilken beskrivning stämmer bäst för D1.1?")
    expect(d11.get_by_role("radio", checked=True)).to_have_count(1)
    expect(d11.get_by_role("radio", name=re.compile(r"^3 Etablerad"))).to_be_checked()

    page.get_by_text("Jag vill lämna in ändå").click()
    wait_for_app(page)
    page.get_by_role("button", name="Lämna in", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("Analysen är inlämnad"))).to_be_visible()

    go(page, "Resultat")
    expect(page.get_by_role("heading", name=re.compile("omgång 2026"))).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()

    go(page, "Handlingsplan")
    page.get_by_role("button", name="Lägg till i planen").first.click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Planen är sparad \(version 1\)"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ned handlingsplanen (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert workbook.sheetnames[:4] == ["Sammanfattning", "Indikatorer", "Handlingsplan", "Om"]
    ids = [cell.value for cell in workbook["Handlingsplan"]["A"] if cell.value]
    assert len(ids) >= 2  # the header and the new action


def test_a_lead_cannot_deep_link_to_administration(server, accounts, page):
    url, _ = server
    sign_in(page, url, LEAD, accounts[LEAD])
    page.goto(f"{url}/administration")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Administration")).to_have_count(0)


def test_language_switch_on_a_signed_in_page(server, accounts, page):
    url, _ = server
    sign_in(page, url, LEAD, accounts[LEAD])
    page.get_by_role("radio", name="English").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


def test_every_page_passes_axe(server, accounts, page):
    """Serious or critical violations fail the test; every count is written down for the issue note."""
    url, _ = server
    page.goto(url)
    wait_for_app(page)
    found = {"logga-in": axe_scan(page)}
    sign_in(page, url, ADMIN, accounts[ADMIN])
    for path in PAGES:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        found[path] = axe_scan(page)
    counts = {path: {v["id"]: (v["impact"], len(v["nodes"])) for v in violations} for path, violations in found.items()}
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "axe-pages.json").write_text(json.dumps(counts, indent=2, ensure_ascii=False), "utf-8")
    serious = {path: [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations
                      if v["impact"] in ("serious", "critical")] for path, violations in found.items()}
    assert not any(serious.values()), serious


SIDEBAR = ["Översikt", "Fyll i", "Resultat", "Jämförelse", "Handlingsplan", "Export", "Administration",
           "Instrumentet", "Räkna på en svarsfil"]


def test_no_page_loads_anything_from_another_host(server, accounts, page):
    """Every request of a walk through all pages goes to the app itself (no fonts, icons or scripts elsewhere)."""
    from urllib.parse import urlsplit

    url, _ = server
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, url, ADMIN, accounts[ADMIN])
    links = page.get_by_test_id("stSidebar").get_by_role("link")
    names = [name for name in SIDEBAR if links.filter(has_text=name).count()]
    assert len(names) >= 7, names
    for name in names:
        go(page, name)
    page.wait_for_timeout(500)
    own = urlsplit(url).netloc
    foreign = sorted({u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                      and urlsplit(u).netloc != own})
    assert requested and not foreign, foreign
