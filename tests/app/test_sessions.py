"""Sessions, invitations and password self-service as the app runs them (AppTest, from the entry point).

AppTest has no browser: the cookie a real browser would send is put where the app reads it
(`app.session.browser_cookie`), and the handoff the page hands the browser is read from the page's st.html
element and traded for the cookie through the store, as POST /auth/session does (tests/browser covers the
real round trip).
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import text

import store
from app import session as app_session
from store import invitations, sessions
from tests.app.conftest import ADMIN, LEAD, VIEWER, app

HANDOFF = re.compile(r"handoff=([A-Za-z0-9_-]{43})")


def sign_in(at, email: str, password: str):
    at.text_input(key="login_email").input(email)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def cookie_of(at, db) -> str:
    """What the browser would hold: the page's handoff, traded once for the cookie."""
    bodies = [element.value for element in at.sidebar.get("html")]
    found = [m.group(1) for body in bodies for m in [HANDOFF.search(body)] if m]
    assert found, bodies
    cookie = sessions.claim_cookie(db, found[0])
    assert cookie is not None
    return cookie


@pytest.fixture
def browser(monkeypatch):
    """The cookie jar of one browser: every new tab (AppTest) sends what it holds."""
    jar: dict[str, str | None] = {"cookie": None}
    monkeypatch.setattr(app_session, "browser_cookie", lambda: jar["cookie"])
    return jar


class Tab:
    """A new browser tab at an address: the first run reads the cookie and the query parameters, then the page
    is opened (AppTest chooses a page only after a first run)."""

    def __init__(self, lang: str, page: str | None, params: dict[str, str]):
        self.at, self.page = app(lang), page
        for key, value in params.items():
            self.at.query_params[key] = value

    def run(self):
        self.at.run()
        if self.page and not self.at.exception:
            self.at.switch_page(f"app/views/{self.page}.py").run()
        return self.at


def tab(lang: str = "sv", page: str | None = None, **params: str) -> Tab:
    return Tab(lang, page, params)


def test_sign_in_then_a_refresh_keeps_the_person_on_the_same_page_and_place(demo_db, browser):
    db, passwords = demo_db
    at = sign_in(tab().run(), LEAD, passwords[LEAD])
    assert at.title[0].value == "Översikt"
    browser["cookie"] = cookie_of(at, db)
    sid = at.session_state[app_session.SESSION_KEY]
    assert store.session_identity(db, sid).identity.email == LEAD
    again = tab(page="fill", region="19", dim="D3").run()  # F5: a new websocket, the cookie, the address
    assert not again.exception
    assert again.title[0].value == "Fyll i"
    assert again.session_state[app_session.SESSION_KEY] == sid
    assert again.session_state["chosen_region"] == "19" and again.session_state["chosen_dimension"] == "D3"
    assert any(h.value.startswith("D3 ") for h in again.header)
    assert again.query_params["region"] == "19" and again.query_params["dim"] == "D3"


def test_a_deep_link_while_signed_out_leads_to_sign_in_and_back(demo_db, browser):
    _, passwords = demo_db
    at = tab(page=None, region="19", dim="D2").run()
    assert at.title[0].value == "Logga in"
    at.session_state[app_session.RETURN_KEY] = "fill"  # what the stand-in page at /fyll-i remembers
    sign_in(at, LEAD, passwords[LEAD])
    assert at.title[0].value == "Fyll i"
    assert any(h.value.startswith("D2 ") for h in at.header)


@pytest.mark.parametrize("cookie", ["A" * 43, "forged", "x" * 200, "<b>hej</b>"])
def test_a_forged_cookie_gives_the_sign_in_page_and_no_data(demo_db, browser, cookie):
    browser["cookie"] = cookie
    at = tab(page=None, region="19").run()
    assert at.title[0].value == "Logga in"
    assert app_session.SESSION_KEY not in at.session_state and app_session.EMAIL_KEY not in at.session_state
    assert "utloggad" in at.info[0].value
    assert [e.value for e in at.sidebar.get("html") if "/auth/logout" in e.value]  # the browser drops it
    for page in ("overview", "fill", "results"):
        with pytest.raises(ValueError):
            at.switch_page(f"app/views/{page}.py")


def test_an_expired_cookie_gives_the_sign_in_page(demo_db, browser):
    db, passwords = demo_db
    at = sign_in(tab().run(), LEAD, passwords[LEAD])
    browser["cookie"] = cookie_of(at, db)
    with db.writing() as conn:
        conn.execute(text("UPDATE sessions SET last_seen_at = '2020-01-01 00:00:00'"))
    later = tab().run()
    assert later.title[0].value == "Logga in" and "utan aktivitet" in later.info[0].value


def test_signing_out_in_one_tab_ends_the_other(demo_db, browser):
    db, passwords = demo_db
    first = sign_in(tab().run(), LEAD, passwords[LEAD])
    browser["cookie"] = cookie_of(first, db)
    second = tab().run()
    assert second.title[0].value == "Översikt"
    first.button(key="sign_out").click().run()
    assert first.title[0].value == "Logga in"
    assert [e.value for e in first.sidebar.get("html") if "/auth/logout" in e.value]
    second.run()  # its next click
    assert second.title[0].value == "Logga in" and "utloggad" in second.info[0].value


def test_sign_out_everywhere_and_the_admin_ending_someones_sessions(demo_db, browser):
    db, passwords = demo_db
    viewer = sign_in(tab().run(), VIEWER, passwords[VIEWER])
    other = sign_in(tab().run(), VIEWER, passwords[VIEWER])
    admin = sign_in(tab().run(), ADMIN, passwords[ADMIN])
    admin.switch_page("app/views/account.py").run()
    admin.selectbox(key="account_admin_email").set_value(VIEWER).run()
    assert "Aktiva inloggningar: 2" in " ".join(m.value for m in admin.markdown)
    admin.button(key="admin_end_sessions").click().run()
    assert "2 inloggningar" in admin.success[0].value
    viewer.run()
    other.run()
    assert viewer.title[0].value == "Logga in" and other.title[0].value == "Logga in"
    # sign out everywhere, from the account page
    mine = sign_in(tab().run(), VIEWER, passwords[VIEWER])
    elsewhere = sign_in(tab().run(), VIEWER, passwords[VIEWER])
    mine.switch_page("app/views/account.py").run()
    mine.button(key="sign_out_everywhere").click().run()
    assert mine.title[0].value == "Logga in"
    elsewhere.run()
    assert elsewhere.title[0].value == "Logga in"


def test_a_disabled_account_is_signed_out_of_its_sessions(demo_db, browser):
    db, passwords = demo_db
    at = sign_in(tab().run(), VIEWER, passwords[VIEWER])
    store.disable_user(db, store.system_identity(), VIEWER)
    at.run()
    assert at.title[0].value == "Logga in"


def test_the_address_carries_no_authority(demo_db, browser):
    """A region or sheet in the address that the person may not open is ignored; the store decides."""
    db, passwords = demo_db
    at = sign_in(tab().run(), LEAD, passwords[LEAD])
    browser["cookie"] = cookie_of(at, db)
    system = store.system_identity()
    foreign = store.list_respondents(db, system, store.get_assessment(db, system, "01", "2026").id)[0].id
    again = tab(page="fill", region="01", sheet=str(foreign)).run()
    assert not again.exception
    assert again.session_state["chosen_region"] in ("19", "03")
    own_sheets = {r.id for r in store.list_respondents(db, system, store.get_assessment(
        db, system, again.session_state["chosen_region"], "2026").id)}
    assert again.session_state["chosen_sheet"] in own_sheets


def test_change_password_on_my_account(demo_db, browser):
    db, passwords = demo_db
    at = sign_in(tab().run(), VIEWER, passwords[VIEWER])
    at.switch_page("app/views/account.py").run()
    at.text_input(key="current_password").input("fel-lösenord")
    at.text_input(key="new_password").input("ett nytt lösenord")
    at.text_input(key="repeat_password").input("ett nytt lösenord")
    at.button[0].click().run()
    assert "nuvarande lösenordet stämmer inte" in at.error[0].value
    at.text_input(key="current_password").input(passwords[VIEWER])
    at.text_input(key="new_password").input("ett nytt lösenord")
    at.text_input(key="repeat_password").input("ett nytt lösenord")
    at.button[0].click().run()
    assert "Lösenordet är sparat" in at.success[0].value
    assert at.title[0].value == "Mitt konto"  # this tab stays signed in
    assert store.authenticate(db, VIEWER, "ett nytt lösenord").email == VIEWER


def test_the_admin_makes_a_reset_link_shown_once(demo_db, browser):
    db, passwords = demo_db
    admin = sign_in(tab().run(), ADMIN, passwords[ADMIN])
    admin.switch_page("app/views/account.py").run()
    admin.selectbox(key="account_admin_email").set_value(VIEWER).run()
    admin.button(key="admin_reset_link").click().run()
    link = admin.code[0].value
    assert re.fullmatch(r"https?://[^/]+/losenord/[A-Za-z0-9_-]{43}", link), link
    assert store.reset_address(db, link.rsplit("/", 1)[1]) == VIEWER


def test_forgotten_password_without_mail_sends_nothing_and_says_whom_to_ask(demo_db, monkeypatch):
    monkeypatch.delenv("MOGNAD_SMTP_URL", raising=False)
    at = tab(page="forgot").run()
    assert at.title[0].value == "Glömt lösenord" and "administratören" in at.info[0].value


def test_the_lead_invites_without_mail_and_copies_the_link(demo_db, browser, monkeypatch):
    monkeypatch.delenv("MOGNAD_SMTP_URL", raising=False)
    db, passwords = demo_db
    at = sign_in(tab().run(), LEAD, passwords[LEAD])
    at.switch_page("app/views/fill.py").run()
    at.selectbox(key="_w_chosen_region_sv").set_value("19").run()
    assert "skickar ingen e-post" in " ".join(i.value for i in at.info)
    at.text_input(key="invite_name").input("Västerås stad")
    at.text_input(key="invite_organisation").input("Vuxenutbildningen")
    at.text_input(key="invite_email").input("partner@vasteras.se")
    at.button(key="FormSubmitter:invite_partner-Bjud in").click().run()
    assert not at.exception, [e.message for e in at.exception]
    link = at.code[0].value
    secret = link.rsplit("/", 1)[1]
    assert "/inbjudan/" in link and invitations.preview(db, secret).usable
    assert "Kopiera länken" in " ".join(s.value for s in at.success)
    listed = " ".join(m.value for m in at.markdown)
    assert "Västerås stad" in listed and "inbjuden" in listed
    at.run()
    assert not at.code  # shown once: the store keeps only its digest


def test_the_partner_path_welcome_done_and_the_receipt_the_lead_sees(demo_db, browser):
    db, passwords = demo_db
    lead = store.authenticate(db, LEAD, passwords[LEAD])
    assessment = store.get_assessment(db, lead, "19", "2026")
    invitation, secret = invitations.invite(db, lead, assessment.id, "Västerås stad", "kommun", "partner@vasteras.se")
    opened = invitations.accept(db, secret)  # POST "Börja" (app/web.py)
    browser["cookie"] = opened.cookie
    partner = tab(page="welcome").run()
    assert not partner.exception, [e.message for e in partner.exception]
    assert partner.title[0].value == "Välkommen"
    page = " ".join(m.value for m in partner.markdown)
    assert "Demo Ledare" in page and "Västmanland" in page and "minuter" in page and "sparas av sig själva" in page
    partner.button(key="welcome_start").click().run()
    assert partner.title[0].value == "Fyll i"
    assert partner.session_state["chosen_sheet"] == invitation.respondent_id
    partner.switch_page("app/views/fill.py")  # AppTest stays on the page it was told, whatever st.switch_page did
    partner.checkbox(key=f"done_anyway_{invitation.respondent_id}").check().run()
    partner.button(key=f"sheet_done_{invitation.respondent_id}").click().run()
    receipt = partner.success[-1].value
    assert receipt.startswith("Tack! Dina svar lämnades") and f"0 av {invitation.asked}" in receipt
    browser["cookie"] = None  # the lead, in a browser of their own
    seen = sign_in(tab().run(), LEAD, passwords[LEAD])
    seen.switch_page("app/views/fill.py").run()
    seen.selectbox(key="_w_chosen_region_sv").set_value("19").run()
    listed = " ".join(m.value for m in seen.markdown)
    assert re.search(r"Västerås stad.*Status: klar \d{4}-\d\d-\d\d \d\d:\d\d", listed, re.S), listed


def test_a_partner_chooses_a_password_on_the_welcome_page(demo_db, browser):
    db, passwords = demo_db
    lead = store.authenticate(db, LEAD, passwords[LEAD])
    assessment = store.get_assessment(db, lead, "19", "2026")
    _, secret = invitations.invite(db, lead, assessment.id, "Västerås stad", "kommun", "partner@vasteras.se")
    browser["cookie"] = invitations.accept(db, secret).cookie
    partner = tab(page="welcome").run()
    partner.text_input(key="welcome_new").input("mitt eget lösenord")
    partner.text_input(key="welcome_repeat").input("mitt eget lösenord")
    partner.button[0].click().run()
    assert "Lösenordet är sparat" in partner.success[0].value
    assert store.authenticate(db, "partner@vasteras.se", "mitt eget lösenord")
    assert not invitations.preview(db, secret).usable


def test_the_idle_timeout_of_a_tab_without_a_store_session_still_applies(demo_db):
    at = app("sv", LEAD)
    at.session_state["auth_last_seen"] = time.time() - 2 * 3600
    at.run()
    assert at.title[0].value == "Logga in"
