"""Issue 14 in a real browser: Streamlit's own words in Swedish, "Nästa dimension" opens at the top, the counter
follows the answer that completes a dimension, and on a phone the menu closes after a choice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

LEAD, RESPONDENT = "ledare@demo.invalid", "respondent@demo.invalid"
ENGLISH = ("Drag and drop", "Browse files", "per file", "Link to heading", "Show password", "Press Enter",
           "Press Ctrl", "Page not found", "Main menu", "Help for ", "Skip to main content")


@pytest.fixture(scope="session")
def accounts(server) -> dict[str, str]:
    _, printed = server
    return dict(re.findall(r"^\s+(\S+@demo\.invalid)\s+(\S+)", printed, re.M))


def sign_in(page, url: str, email: str, password: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    wait_for_app(page)


def english_left(page) -> list[str]:
    """English giveaways in the visible text and in every aria-label, placeholder and title."""
    said = page.evaluate("""() => {
      const out = [document.body.innerText];
      for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]'))
        out.push(el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '', el.getAttribute('title') || '');
      return out.join('\\n');
    }""")
    return [word for word in ENGLISH if word in said]


def test_streamlits_own_words_are_swedish(server, accounts, page):
    url, _ = server
    page.goto(f"{url}/rakna")  # public: the uploader of "Räkna på en svarsfil"
    wait_for_app(page)
    uploader = page.get_by_test_id("stFileUploader").first
    expect(uploader.get_by_role("button", name="Välj fil")).to_be_visible()
    expect(uploader.get_by_text(re.compile(r"^högst 20 MB per fil"))).to_be_visible()
    expect(page.get_by_role("link", name="Hoppa till huvudinnehållet")).to_have_count(1)
    page.wait_for_timeout(300)
    assert english_left(page) == []
    sign_in(page, url, LEAD, accounts[LEAD], "fyll-i")
    expect(page.get_by_role("textbox", name="Kommentar och belägg för D1.1")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Hur säker är du på D1\.1\?"))).to_have_count(0)
    page.wait_for_timeout(300)
    assert english_left(page) == []


def test_next_dimension_opens_at_the_top_and_the_counter_follows(server, accounts, page):
    url, _ = server
    sign_in(page, url, RESPONDENT, accounts[RESPONDENT], "fyll-i")
    expect(page.get_by_role("heading", name="D1 Mandat och styrning")).to_be_visible()
    page.get_by_role("button", name="Nästa dimension").scroll_into_view_if_needed()
    page.get_by_role("button", name="Nästa dimension").click()
    wait_for_app(page)
    heading = page.get_by_role("heading", name=re.compile(r"^D2 "))
    expect(heading).to_be_in_viewport()
    # every D2 indicator answered: the dimension's counter reads n/n at once
    groups = page.get_by_role("radiogroup", name=re.compile(r"^Vilken beskrivning stämmer bäst för D2\.\d+\?$"))
    for index in range(groups.count()):
        group = groups.nth(index)
        if group.get_by_role("radio", checked=True).count() == 0:
            group.get_by_text(re.compile(r"^2 ")).first.click()
            wait_for_app(page)
    total = groups.count()
    expect(page.get_by_role("combobox", name="Dimension")).to_have_value(re.compile(rf"^D2 .*\({total}/{total}\)$"))


@pytest.mark.parametrize("width", [360])
def test_on_a_phone_the_menu_closes_after_a_choice(server, accounts, chromium, width):
    url, _ = server
    context = chromium.new_context(locale="sv-SE", viewport={"width": width, "height": 740}, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        sign_in(page, url, RESPONDENT, accounts[RESPONDENT])
        sidebar = page.get_by_test_id("stSidebar")
        if sidebar.get_attribute("data-collapsed") != "false":
            page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        sidebar.get_by_role("link", name="Fyll i", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Fyll i", exact=True)).to_be_visible()
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        expect(sidebar.get_by_role("link", name="Fyll i", exact=True)).not_to_be_in_viewport()
    finally:
        context.close()


def test_the_admin_stays_in_the_same_tab_after_an_action(server, accounts, page):
    url, _ = server
    admin = "admin@demo.invalid"
    sign_in(page, url, admin, accounts[admin], "administration")
    page.get_by_role("tab", name="Säkerhetskopia").click()
    wait_for_app(page)
    page.get_by_role("button", name="Skapa säkerhetskopia").click()
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Säkerhetskopia")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("button", name="Ladda ned säkerhetskopian")).to_be_visible()
    expect(page.get_by_text("Filen innehåller lösenordshashar", exact=False)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ned säkerhetskopian").click()
    assert re.fullmatch(r"mognad-backup-\d{4}-\d\d-\d\d-\d{4}\.json", download.value.suggested_filename)
