"""Who is using this browser tab, and the database they work in.

The database handle is one shared resource per process. The identity is per session and is re-read from
the store on every run, so a disabled account or a withdrawn role takes effect at once. Sign-in is local
(argon2 accounts in the store) or OIDC through st.login when `[auth]` is configured.
"""

from __future__ import annotations

import os
import time

import streamlit as st

import store
from app.i18n import lang, t

EMAIL_KEY = "auth_email"
SEEN_KEY = "auth_last_seen"
NOTICE_KEY = "auth_notice"
TIMEOUT_MINUTES = float(os.environ.get("MOGNAD_SESSION_MINUTES", "60"))


@st.cache_resource(show_spinner=False)
def _database(url: str | None) -> store.Database:
    return store.Database(url)


def database() -> store.Database:
    """The store, or a clear message and a stopped page when it cannot be reached."""
    try:
        db = _database(os.environ.get("MOGNAD_DATABASE_URL") or None)
        state, _ = db.schema_state()
    except store.StoreUnavailable as exc:
        st.error(t("db_unavailable", reason=exc.message(lang())))
        st.stop()
    if state != "current":
        st.error(t("db_not_upgraded"))
        st.stop()
    return db


def oidc_configured() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file means: no OIDC, say nothing to the browser
        return False


def identity(db: store.Database) -> store.Identity | None:
    """The signed-in identity, or None. Applies the idle timeout."""
    email = st.session_state.get(EMAIL_KEY)
    if email is None and oidc_configured() and getattr(st.user, "is_logged_in", False):
        email = st.user.get("email")
        if email:
            st.session_state[EMAIL_KEY] = email
            st.session_state[SEEN_KEY] = time.time()
    if email is None:
        return None
    if time.time() - st.session_state.get(SEEN_KEY, 0) > TIMEOUT_MINUTES * 60:
        sign_out(notice="session_timeout")
        return None
    found = store.identity_for_email(db, email)
    if found is None:  # disabled, removed, or an OIDC address without an account
        sign_out(notice="no_access")
        return None
    st.session_state[SEEN_KEY] = time.time()
    return found


def sign_in(email: str) -> None:
    st.session_state[EMAIL_KEY] = email
    st.session_state[SEEN_KEY] = time.time()
    st.session_state.pop(NOTICE_KEY, None)


def sign_out(notice: str | None = None) -> None:
    keep = {"lang": st.session_state.get("lang")}
    for key in list(st.session_state):
        del st.session_state[key]
    st.session_state.update({k: v for k, v in keep.items() if v})
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def demo_banner(db: store.Database) -> None:
    if "is_demo" not in st.session_state:  # once per session: the flag changes only with `mognad demo`
        st.session_state["is_demo"] = store.is_demo(db)
    if st.session_state["is_demo"]:
        st.warning(t("demo_banner"), icon=":material/science:")
