"""Who is using this browser tab, and the database they work in.

The database handle is one shared resource per process. The identity is per session and is re-read from
the store on every run, so a disabled account or a withdrawn role takes effect at once. Sign-in is local
(argon2 accounts in the store) or OIDC through st.login when `[auth]` is configured.

Local sign-ins live in the store (store/sessions.py), behind an HttpOnly cookie set by the app's own route
(app/web.py): every run checks the tab's session (`auth_session`), and a tab that has none — a refresh, a
reconnect, a second tab — resumes from the cookie Streamlit read when the websocket opened
(`st.context.cookies`). Signing out ends the session in the store, so every other tab signed in with it is
signed out at its next run, whatever its cookie says.

Where the person was (region, round, sheet, dimension) rides in the address as query parameters
(`remember_place`/`restore_place`): they carry no authority; each page offers only what the store lets this
person open, and ignores a value outside that.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import streamlit as st

import store
from app.i18n import lang, t
from store import sessions as store_sessions

EMAIL_KEY = "auth_email"
SEEN_KEY = "auth_last_seen"
NOTICE_KEY = "auth_notice"
SESSION_KEY = "auth_session"  # the store's session id for this tab (local sign-ins and links)
HANDOFF_KEY = "_auth_handoff"  # the one-time secret the browser trades for its cookie (app/browser.py)
CLEAR_KEY = "_auth_clear_cookie"  # the browser should drop its cookie (signed out)
CHECKED_KEY = "_auth_cookie_checked"  # the cookie was looked at (once per websocket: it cannot change)
GO_TO_KEY = "_auth_go_to"  # the page to open after signing in
RETURN_KEY = "_auth_return_to"  # the page someone signed out was on
COOKIE = "mognad_session"
BRIDGE_SECONDS = 60  # how long the page keeps drawing the cookie's script after a sign-in or sign-out
TIMEOUT_MINUTES = float(os.environ.get("MOGNAD_SESSION_MINUTES", "60"))
IDLE = dt.timedelta(minutes=TIMEOUT_MINUTES)
# query parameter → the session-state key the pickers remember (app/widgets.choose)
PLACE = {"region": "chosen_region", "round": "chosen_round", "sheet": "chosen_sheet", "dim": "chosen_dimension"}
PLACE_KEY = "_place_restored"


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


def browser_cookie() -> str | None:
    """The session cookie the browser sent when this tab's websocket opened (None in AppTest and when absent)."""
    try:
        found = st.context.cookies.get(COOKIE)
    except Exception:  # no client (a bare script run)
        return None
    return found if isinstance(found, str) else None


def identity(db: store.Database) -> store.Identity | None:
    """The signed-in identity, or None. Applies the idle timeout."""
    state = st.session_state
    if state.get(SESSION_KEY) is None and state.get(EMAIL_KEY) is None and not state.get(CHECKED_KEY):
        state[CHECKED_KEY] = True
        cookie = browser_cookie()
        if cookie:
            check = store_sessions.resume(db, cookie, idle=IDLE)
            if check.identity is None:  # forged, ended, expired: the sign-in page, and the cookie goes
                state[CLEAR_KEY] = time.time() + BRIDGE_SECONDS
                state[NOTICE_KEY] = "session_timeout" if check.reason == "idle" else "session_ended"
                return None
            _remember(check.identity, check.session_id)
            return check.identity
    session_id = state.get(SESSION_KEY)
    if session_id is not None:
        check = store.session_identity(db, session_id, idle=IDLE)
        if check.identity is None:
            sign_out(notice="session_timeout" if check.reason == "idle" else "session_ended", end=False)
            return None
        _remember(check.identity, session_id)
        return check.identity
    return _email_identity(db)


def _email_identity(db: store.Database) -> store.Identity | None:
    """OIDC (st.login's own cookie), and a tab whose identity was set without a store session."""
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


def _remember(who: store.Identity, session_id: int) -> None:
    st.session_state[SESSION_KEY] = session_id
    st.session_state[EMAIL_KEY] = who.email
    st.session_state[SEEN_KEY] = time.time()


def sign_in(db: store.Database, who: store.Identity, via: str = "password") -> None:
    """After `store.authenticate`: a session in the store, and its handoff for the browser to claim the cookie."""
    session_id, handoff = store.start_session(db, who, via=via, user_agent=_user_agent())
    _remember(who, session_id)
    st.session_state[HANDOFF_KEY] = (handoff, time.time() + BRIDGE_SECONDS)
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state.pop(CLEAR_KEY, None)
    st.session_state[GO_TO_KEY] = st.session_state.pop(RETURN_KEY, None) or "overview"


def sign_out(notice: str | None = None, end: bool = True, everywhere: bool = False) -> None:
    """Forget this tab's identity; end its session in the store (every tab that shares it follows)."""
    session_id = st.session_state.get(SESSION_KEY)
    if end and session_id is not None:
        db = _database(os.environ.get("MOGNAD_DATABASE_URL") or None)
        if everywhere:
            who = store.session_identity(db, session_id, idle=IDLE).identity
            if who is not None:
                store.end_sessions(db, who)
        store.end_session(db, session_id)
    keep = {"lang": st.session_state.get("lang"), RETURN_KEY: st.session_state.get(RETURN_KEY)}
    keep.update({key: st.session_state.get(key) for key in PLACE.values()})
    for key in list(st.session_state):
        del st.session_state[key]
    st.session_state.update({k: v for k, v in keep.items() if v is not None})
    st.session_state[CHECKED_KEY] = True  # the cookie this websocket sent is the one just ended
    st.session_state[CLEAR_KEY] = time.time() + BRIDGE_SECONDS  # and the browser drops it (app/browser.py)
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def current_session() -> int | None:
    return st.session_state.get(SESSION_KEY)


def _user_agent() -> str | None:
    try:
        found = st.context.headers.get("user-agent")
    except Exception:
        return None
    return found if isinstance(found, str) else None


def client_address() -> str | None:
    try:
        found = st.context.ip_address
    except Exception:
        return None
    return found if isinstance(found, str) else None


def seen_url() -> str | None:
    try:
        found = st.context.url
    except Exception:
        return None
    return found if isinstance(found, str) else None


# -- where the person was --------------------------------------------------------------------------------------

def restore_place() -> None:
    """Once per tab: the pickers start where the address says (a refresh, a shared or bookmarked address)."""
    if st.session_state.get(PLACE_KEY):
        return
    st.session_state[PLACE_KEY] = True
    for param, key in PLACE.items():
        value = st.query_params.get(param)
        if not value or key in st.session_state:
            continue
        if key == "chosen_sheet":
            if value.isdigit():
                st.session_state[key] = int(value)
        elif len(value) <= 40:
            st.session_state[key] = value


def remember_place(who: store.Identity | None) -> None:
    """After the page: put the pickers' choices in the address, so that a refresh opens the same place."""
    if who is None:
        return
    for param, key in PLACE.items():
        value = st.session_state.get(key)
        if value is None:
            continue
        if st.query_params.get(param) != str(value):
            st.query_params[param] = str(value)


def demo_banner(db: store.Database) -> None:
    if "is_demo" not in st.session_state:  # once per session: the flag changes only with `mognad demo`
        st.session_state["is_demo"] = store.is_demo(db)
    if st.session_state["is_demo"]:
        st.warning(t("demo_banner"), icon=":material/science:")
