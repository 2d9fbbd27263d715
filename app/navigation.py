"""The pages each role may use, and the sidebar menu.

st.navigation's own sectioned menu nests <div>s directly in its <ul>, which fails WCAG 1.3.1 (axe: list,
listitem); the router is therefore hidden and the menu drawn with page links. st.navigation is still
called on every run, for signed-out users too, so no page can be reached around it (no pages/ folder).

A page's address that the person may not open (yet) is not "Page not found": signed out, it leads to the
sign-in page and back to that page afterwards; signed in, it says that the page is not for this account.
"""

from __future__ import annotations

import streamlit as st

import store
from app import session
from app.context import pages_for
from app.i18n import t
from app.widgets import literal

VIEWS = "app/views/"
# page key → (file, url path, title key)
PAGES = {
    "overview": ("overview.py", "oversikt", "page_overview"),
    "fill": ("fill.py", "fyll-i", "page_fill"),
    "workshop": ("workshop.py", "workshop", "page_workshop"),
    "results": ("results.py", "resultat", "page_results"),
    "compare": ("compare.py", "jamforelse", "page_compare"),
    "plan": ("plan.py", "handlingsplan", "page_plan"),
    "export": ("export.py", "export", "page_export"),
    "admin": ("admin.py", "administration", "page_admin"),
    "welcome": ("welcome.py", "valkommen", "page_welcome"),
    "account": ("account.py", "konto", "page_account"),
}
REGION_PAGES = ("overview", "fill", "workshop", "results", "plan", "export")
NATIONAL_PAGES = ("compare", "admin")
ACCOUNT_PAGES = ("welcome", "account")


def _page(key: str, default: bool = False) -> st.Page:
    file, path, title = PAGES[key]
    return st.Page(VIEWS + file, title=t(title), url_path=path, default=default)


def sections(who: store.Identity | None) -> dict[str, list[st.Page]]:
    about = [st.Page(VIEWS + "instrument.py", title=t("page_instrument"), url_path="instrument"),
             st.Page(VIEWS + "score_file.py", title=t("page_score_file"), url_path="rakna")]
    if who is None:
        return {t("section_account"): [st.Page(VIEWS + "login.py", title=t("page_login"), url_path="logga-in",
                                               default=True),
                                       st.Page(VIEWS + "forgot.py", title=t("page_forgot"), url_path="glomt-losenord")],
                t("section_about"): about}
    allowed = pages_for(who)
    work = [_page(key, default=(key == "overview")) for key in REGION_PAGES if key in allowed]
    national = [_page(key) for key in NATIONAL_PAGES if key in allowed]
    account = [_page(key) for key in ACCOUNT_PAGES if key in allowed]
    return {t("section_work"): work, t("section_national"): national, t("section_account"): account,
            t("section_about"): about}


def elsewhere(who: store.Identity | None) -> list[st.Page]:
    """Hidden pages at the addresses of the pages this person may not open, so that none is 'Page not found'."""
    allowed = pages_for(who)
    return [st.Page(_stand_in(key, who is None), title=t(PAGES[key][2]), url_path=PAGES[key][1], visibility="hidden")
            for key in PAGES if key not in allowed]


def hidden(who: store.Identity | None) -> list[st.Page]:
    """Pages reached by a link, never from the menu: the participant's phone (no account needed) and, for whoever
    runs workshops, the projector view."""
    pages = [st.Page(VIEWS + "vote.py", title=t("page_vote"), url_path="rosta", visibility="hidden")]
    if "workshop" in pages_for(who):
        pages.append(st.Page(VIEWS + "projector.py", title=t("page_projector"), url_path="projektor",
                             visibility="hidden"))
    else:  # not "Page not found": signed out, sign in first (then the console); signed in, not for this account
        pages.append(st.Page(_stand_in("workshop", who is None), title=t("page_projector"), url_path="projektor",
                             visibility="hidden"))
    return pages


def _stand_in(key: str, signed_out: bool):
    def stand_in() -> None:
        if signed_out:  # sign in first, then this very page
            st.session_state[session.RETURN_KEY] = key
            st.switch_page(VIEWS + "login.py")
        st.title(t("page_no_access"))
        st.info(t("no_access_page"))

    stand_in.__name__ = f"stand_in_{key}"
    return stand_in


def menu(groups: dict[str, list[st.Page]], hidden: list[st.Page] = ()) -> st.Page:
    """Route (st.navigation) and draw the menu; returns the page to run."""
    pages = [page for group in groups.values() for page in group]
    current = st.navigation(pages + list(hidden), position="hidden")
    with st.sidebar:
        for title, group in groups.items():
            if not group:
                continue
            st.markdown(f"**{title}**")
            for page in group:
                st.page_link(page, label=page.title)
    return current


def run(groups: dict[str, list[st.Page]]) -> None:
    menu(groups).run()


def go_on(who: store.Identity | None) -> None:
    """Right after signing in: open the page the person came for (or Översikt)."""
    wanted = st.session_state.pop(session.GO_TO_KEY, None)
    if who is None or wanted is None:
        return
    key = wanted if wanted in pages_for(who) and wanted in PAGES else "overview"
    if key in pages_for(who):
        st.switch_page(VIEWS + PAGES[key][0])


def account(who: store.Identity | None) -> None:
    if who is None:
        return
    with st.sidebar:
        st.divider()
        st.markdown(t("signed_in_as", name=literal(who.name), email=literal(who.email)))  # typed text: shown as is
        if st.button(t("sign_out"), key="sign_out"):
            session.sign_out()
            st.rerun()
