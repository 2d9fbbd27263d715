"""OIDC sign-in (st.login): a verified e-mail address maps to the account's memberships in the store."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.widgets import literal
from tests.app.conftest import ENTRY, LEAD

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "mognad",
        "client_secret": "secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def oidc_app(user: dict) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = user
    return at


def test_signed_out_users_get_the_organisation_login_button(demo_db):
    at = oidc_app({"is_logged_in": False}).run()
    assert at.title[0].value == "Logga in"
    assert at.button(key="login_oidc").label == "Logga in med organisationskonto"


def test_a_verified_address_with_an_account_is_signed_in(demo_db):
    at = oidc_app({"is_logged_in": True, "email": LEAD, "name": "Demo Ledare"}).run()
    assert not at.exception and at.title[0].value == "Översikt"
    assert any(literal("ledare@demo.invalid") in m.value for m in at.markdown)  # shown literally


def test_an_address_without_an_account_gets_no_access(demo_db):
    at = oidc_app({"is_logged_in": True, "email": "okand@example.org"}).run()
    assert at.title[0].value == "Logga in"
    assert "har inte tillgång" in at.info[0].value
