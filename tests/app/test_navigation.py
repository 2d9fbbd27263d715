"""Who reaches which page: the navigation is built from the role, and everything else is unreachable."""

from __future__ import annotations

import time

import pytest

from tests.app.conftest import ADMIN, ANALYST, LEAD, RESPONDENT, VIEWER, app

ALL = ["overview", "fill", "workshop", "results", "compare", "plan", "export", "admin"]
ABOUT = ["instrument", "score_file"]
EXPECTED = {
    ADMIN: set(ALL),
    ANALYST: {"overview", "results", "compare", "plan", "export"},
    LEAD: {"overview", "fill", "workshop", "results", "compare", "plan", "export"},
    RESPONDENT: {"overview", "fill"},
    VIEWER: {"overview", "results", "compare", "plan", "export"},
}


def reachable(at, page: str) -> bool:
    try:
        at.switch_page(f"app/views/{page}.py")
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("email", sorted(EXPECTED))
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_role_reaches_exactly_its_pages(demo_db, email, lang):
    at = app(lang, email).run()
    assert not at.exception
    for page in ALL:
        assert reachable(at, page) == (page in EXPECTED[email]), page
    for page in EXPECTED[email] | set(ABOUT):
        fresh = app(lang, email).run()
        fresh.switch_page(f"app/views/{page}.py").run()
        assert not fresh.exception, (email, page, [e.message for e in fresh.exception])
        assert not fresh.error, (email, page, [e.value for e in fresh.error])


def test_signed_out_users_see_only_sign_in_and_the_public_pages(demo_db):
    at = app().run()
    assert at.title[0].value == "Logga in"
    for page in ALL:
        assert not reachable(at, page)
    assert reachable(at, "instrument") and reachable(at, "score_file")


def test_the_demo_banner_says_the_data_are_fictional(demo_db):
    at = app("sv", LEAD).run()
    assert "fiktivt" in at.warning[0].value
    at = app("en", LEAD).run()
    assert "fictional" in at.warning[0].value


def test_idle_sessions_are_signed_out(demo_db):
    at = app("sv", LEAD)
    at.session_state["auth_last_seen"] = time.time() - 2 * 3600
    at.run()
    assert at.title[0].value == "Logga in"
    assert "utan aktivitet" in at.info[0].value
    assert not reachable(at, "overview")


def test_a_disabled_account_loses_access_at_once(demo_db):
    import store

    db, _ = demo_db
    at = app("sv", VIEWER).run()
    assert reachable(at, "results")
    store.disable_user(db, store.system_identity(), VIEWER)
    at.run()
    assert at.title[0].value == "Logga in" and not reachable(at, "results")


@pytest.mark.parametrize(("lang", "message"), [("sv", "fel e-postadress eller lösenord"),
                                                ("en", "wrong e-mail address or password")])
def test_sign_in_with_a_wrong_password(demo_db, lang, message):
    at = app(lang).run()
    at.text_input(key="login_email").input(LEAD)
    at.text_input(key="login_password").input("fel-lösenord")
    at.button[0].click().run()
    assert message in at.error[0].value


def test_sign_in_and_out(demo_db):
    _, passwords = demo_db
    at = app().run()
    at.text_input(key="login_email").input(LEAD)
    at.text_input(key="login_password").input(passwords[LEAD])
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "Översikt"
    at.button(key="sign_out").click().run()
    assert at.title[0].value == "Logga in"
