"""What a page needs to know about this run: the store, who is signed in, and which pages they may use.

The entry point computes it once per run; pages call `require(...)` as a second guard behind the
navigation (the store enforces the rules a third time, whatever the UI does).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import store
from app.i18n import t

KEY = "_run_context"

# Pages by role. The navigation shows only these; each page checks again with `require`.
REGIONAL_PAGES = {
    "lead": {"overview", "fill", "workshop", "results", "compare", "plan", "export"},
    "respondent": {"overview", "fill"},
    "viewer": {"overview", "results", "compare", "plan", "export"},
}
NATIONAL_PAGES = {
    "admin": {"overview", "fill", "workshop", "results", "compare", "plan", "export", "admin"},
    "analyst": {"overview", "results", "compare", "plan", "export"},
}


@dataclass(frozen=True)
class Context:
    db: store.Database
    who: store.Identity | None

    @property
    def pages(self) -> set[str]:
        return pages_for(self.who)


def pages_for(who: store.Identity | None) -> set[str]:
    if who is None:
        return set()
    allowed = set(NATIONAL_PAGES.get(who.national_role or "", set()))
    for role in who.regions.values():
        allowed |= REGIONAL_PAGES.get(role, set())
    allowed.add("account")  # everyone signed in: password, sessions ("Mitt konto")
    if who.respondent_ids:
        allowed.add("welcome")  # a partner's start page: who invited them, what and by when
    return allowed


def publish(context: Context) -> None:
    st.session_state[KEY] = context


def require(page: str) -> Context:
    """The run's context if the signed-in user may use `page`; otherwise a message and a stopped page."""
    context = st.session_state.get(KEY)
    if context is None or context.who is None:
        st.warning(t("sign_in_first"))
        st.stop()
    if page not in context.pages:
        st.error(t("no_access_page"))
        st.stop()
    return context
