"""Never lose the person, in a real browser: the session cookie across a refresh and tabs, comments saved as they
are typed, an invitation from the lead to the partner's receipt, and a password-reset link.

The server is this module's own (demo data, mail to an SMTP server on loopback run by the test: aiosmtpd).
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import sqlite3
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    axe_scan,
    demo_accounts,
    demo_server,
    wait_for_app,
)

pytestmark = pytest.mark.browser

LEAD, ADMIN, VIEWER = "ledare@demo.invalid", "admin@demo.invalid", "lasare@demo.invalid"
LINK = re.compile(r"https?://\S+/(inbjudan|losenord)/([A-Za-z0-9_-]{43})")


class Sink:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait(self, count: int, timeout: float = 20.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.messages) >= count, self.messages
        return self.messages


@pytest.fixture(scope="module")
def smtp():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.url = f"smtp://127.0.0.1:{port}"
    yield sink
    controller.stop()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, smtp):
    """(base url, demo accounts, database file) of a server that mails through the test's SMTP server."""
    with demo_server(tmp_path_factory.mktemp("sessions-data"), MOGNAD_SMTP_URL=smtp.url,
                     MOGNAD_MAIL_FROM="mognad@demo.invalid") as (url, printed, database):
        yield url, demo_accounts(printed), database


@pytest.fixture
def browser_context(chromium):
    contexts = []

    def make(bypass_csp: bool = False):
        """bypass_csp: our own pages forbid every script; axe-core is injected only where the test allows it."""
        context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def sign_in(page, url: str, email_address: str, password: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    page.get_by_label("E-postadress").fill(email_address)
    page.get_by_label("Lösenord", exact=True).fill(password)
    page.get_by_role("button", name="Logga in").click()
    wait_for_app(page)
    page.wait_for_function("document.documentElement.dataset.mognadSession === 'set'")  # the cookie is there


def choose(page, label: str, option) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option).click()
    wait_for_app(page)


def heading(page, name) -> None:
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def no_violations(page) -> None:
    violations = axe_scan(page)
    assert not violations, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_a_refresh_keeps_the_person_signed_in_on_the_same_dimension_with_answer_and_comment(app_server,
                                                                                           browser_context):
    url, accounts, _ = app_server
    context = browser_context()
    page = context.new_page()
    sign_in(page, url, LEAD, accounts[LEAD])
    page.get_by_test_id("stSidebar").get_by_role("link", name="Fyll i", exact=True).click()
    wait_for_app(page)
    choose(page, "Region", "Region Västmanland")
    choose(page, "Dimension", re.compile(r"^D4 "))
    heading(page, re.compile(r"^D4 "))
    first = page.get_by_role("radiogroup", name=re.compile(r"^Vilken beskrivning stämmer bäst")).first
    first.get_by_text(re.compile(r"^2 ")).click()
    wait_for_app(page)
    comment = page.get_by_role("textbox", name="Kommentar och belägg").first
    comment.click()
    comment.press("Control+a")
    comment.press("Delete")
    comment.press_sequentially("Utkast: vi har inte kartlagt hela regionen", delay=20)
    hint = page.get_by_test_id("InputInstructions").first
    expect(hint).to_contain_text("Sparas medan du skriver")
    assert "Press" not in hint.inner_text()
    page.wait_for_timeout(2500)  # the pause after typing: the text saves itself (app/browser.py)
    wait_for_app(page)

    cookie = next(c for c in context.cookies() if c["name"] == "mognad_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"] and cookie["expires"] == -1
    assert "mognad_session" not in page.evaluate("document.cookie")  # page scripts cannot read it

    page.reload()
    wait_for_app(page)
    heading(page, "Fyll i")
    heading(page, re.compile(r"^D4 "))
    assert "region=19" in page.url and "dim=D4" in page.url
    expect(page.get_by_role("radiogroup", name=re.compile(r"^Vilken beskrivning stämmer bäst")).first
           .get_by_role("radio", name=re.compile(r"^2 "))).to_be_checked()
    expect(page.get_by_role("textbox", name="Kommentar och belägg").first).to_have_value(
        "Utkast: vi har inte kartlagt hela regionen")
    expect(page.get_by_role("heading", name="Logga in")).to_have_count(0)

    second = context.new_page()  # a second tab: signed in too
    second.goto(f"{url}/oversikt")
    wait_for_app(second)
    heading(second, "Översikt")


def test_signing_out_in_one_tab_ends_the_other(app_server, browser_context):
    url, accounts, _ = app_server
    context = browser_context()
    one, two = context.new_page(), context.new_page()
    sign_in(one, url, VIEWER, accounts[VIEWER])
    two.goto(f"{url}/resultat")
    wait_for_app(two)
    heading(two, "Resultat")
    one.get_by_role("button", name="Logga ut").click()
    wait_for_app(one)
    heading(one, "Logga in")
    two.get_by_test_id("stSidebar").get_by_role("link", name="Översikt", exact=True).click()
    wait_for_app(two)
    heading(two, "Logga in")
    expect(two.get_by_text(re.compile("Du är utloggad"))).to_be_visible()
    one.wait_for_timeout(500)
    assert not [c for c in context.cookies() if c["name"] == "mognad_session"]  # the route deleted it


def test_a_forged_cookie_gives_the_sign_in_page_and_no_data(app_server, browser_context):
    url, _, _ = app_server
    context = browser_context()
    context.add_cookies([{"name": "mognad_session", "value": "A" * 43, "url": url, "httpOnly": True}])
    page = context.new_page()
    page.goto(f"{url}/resultat?region=19")
    wait_for_app(page)
    heading(page, "Logga in")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Resultat")).to_have_count(0)


def test_the_partner_path_from_invitation_to_receipt(app_server, browser_context, smtp):
    url, accounts, database = app_server
    lead = browser_context().new_page()
    sign_in(lead, url, LEAD, accounts[LEAD], path="fyll-i?region=19")
    heading(lead, "Fyll i")
    lead.get_by_text("Bjud in en partner").click()
    form = lead.get_by_test_id("stForm").filter(has=lead.get_by_role("button", name="Bjud in"))
    form.get_by_label("Namn eller funktion").fill("Sala kommun")
    form.get_by_label("Organisation").fill("Vuxenutbildningen")
    form.get_by_label("E-postadress").fill("partner@sala.example")
    form.get_by_role("button", name="Bjud in").click()
    wait_for_app(lead)
    expect(lead.get_by_text("Inbjudan är skickad till partner@sala.example")).to_be_visible()
    message = smtp.wait(1)[-1]
    assert message["To"] == "partner@sala.example"
    link = LINK.search(message.get_content()).group(0)

    for _ in range(2):  # a mail scanner: plain GETs change nothing
        with urllib.request.urlopen(link) as response:
            assert response.status == 200 and "Börja" in response.read().decode()
            assert response.headers["Referrer-Policy"] == "same-origin"
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT used_at FROM link_tokens WHERE email = 'partner@sala.example'").fetchone() == (None,)
        assert conn.execute("SELECT COUNT(*) FROM users WHERE email = 'partner@sala.example'").fetchone() == (0,)

    partner = browser_context(bypass_csp=True).new_page()
    partner.goto(link)
    heading(partner, "Välkommen till regionens analys")
    no_violations(partner)
    partner.get_by_role("button", name="Börja").click()
    wait_for_app(partner)
    heading(partner, "Välkommen")
    expect(partner.get_by_text(re.compile("Demo Ledare .* har bjudit in dig"))).to_be_visible()
    no_violations(partner)
    partner.reload()  # the invitation's session is a cookie too
    wait_for_app(partner)
    heading(partner, "Välkommen")
    partner.get_by_role("button", name="Börja fylla i").click()
    wait_for_app(partner)
    heading(partner, "Fyll i")
    partner.get_by_role("radiogroup", name=re.compile(r"^Vilken beskrivning stämmer bäst")).first.get_by_text(
        re.compile(r"^3 ")).click()
    wait_for_app(partner)
    partner.get_by_text("Jag är klar ändå").click()
    wait_for_app(partner)
    partner.get_by_role("button", name="Jag är klar").click()
    wait_for_app(partner)
    expect(partner.get_by_text(re.compile(r"Tack! Dina svar lämnades \d\d:\d\d"))).to_be_visible()

    lead.reload()
    wait_for_app(lead)
    expect(lead.get_by_text(re.compile(r"Status: klar \d{4}-\d\d-\d\d \d\d:\d\d · 1 av \d+ besvarade"))).to_be_visible()


def test_an_admin_reset_link_works_once_and_expires(app_server, browser_context):
    url, accounts, database = app_server
    admin = browser_context().new_page()
    sign_in(admin, url, ADMIN, accounts[ADMIN], path="konto")
    heading(admin, "Mitt konto")
    no_violations(admin)

    def new_link() -> str:
        admin.get_by_test_id("stSelectbox").filter(has_text="Konto").first.click()
        admin.keyboard.type(VIEWER)
        admin.keyboard.press("Enter")
        wait_for_app(admin)
        expect(admin.get_by_role("combobox", name="Konto")).to_have_value(re.compile(re.escape(VIEWER)))
        admin.get_by_role("button", name="Skapa länk för nytt lösenord").click()
        wait_for_app(admin)
        return admin.get_by_test_id("stCode").first.inner_text().strip()

    link = new_link()
    assert LINK.fullmatch(link), link
    person = browser_context(bypass_csp=True).new_page()
    person.goto(link)
    heading(person, "Välj ett nytt lösenord")
    no_violations(person)
    person.get_by_label("Nytt lösenord").fill("ett helt nytt lösenord")
    person.get_by_label("Upprepa det nya lösenordet").fill("ett helt nytt lösenord")
    person.get_by_role("button", name="Spara lösenordet").click()
    wait_for_app(person)
    heading(person, "Översikt")  # signed in by the link's new session

    again = browser_context().new_page()
    again.goto(link)
    expect(again.get_by_text("Länken gäller inte längre")).to_be_visible()

    later = new_link()
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE link_tokens SET expires_at = '2020-01-01 00:00:00.000000' WHERE purpose = 'reset' "
                     "AND spent_at IS NULL AND revoked_at IS NULL")
    expired = browser_context().new_page()
    expired.goto(later)
    expect(expired.get_by_text("Länken gäller inte längre")).to_be_visible()


def test_the_new_signed_out_pages_pass_axe(app_server, browser_context):
    url, _, _ = app_server
    page = browser_context(bypass_csp=True).new_page()
    for path, title in (("glomt-losenord", "Glömt lösenord"), ("logga-in", "Logga in")):
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        heading(page, title)
        no_violations(page)
    page.goto(f"{url}/inbjudan/{'A' * 43}")
    expect(page.get_by_text("Länken gäller inte längre")).to_be_visible()
    no_violations(page)
