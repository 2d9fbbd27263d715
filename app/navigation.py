"""The pages each role may use, and the sidebar menu.

st.navigation's own sectioned menu nests <div>s directly in its <ul>, which fails WCAG 1.3.1 (axe: list,
listitem); the router is therefore hidden and the menu drawn with page links. st.navigation is still
called on every run, for signed-out users too, so no page can be reached around it (no pages/ folder).
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
    "results": ("results.py", "resultat", "page_results"),
    "compare": ("compare.py", "jamforelse", "page_compare"),
    "plan": ("plan.py", "handlingsplan", "page_plan"),
    "export": ("export.py", "export", "page_export"),
    "admin": ("admin.py", "administration", "page_admin"),
}
REGION_PAGES = ("overview", "fill", "results", "plan", "export")
NATIONAL_PAGES = ("compare", "admin")


def _page(key: str, default: bool = False) -> st.Page:
    file, path, title = PAGES[key]
    return st.Page(VIEWS + file, title=t(title), url_path=path, default=default)


def sections(who: store.Identity | None) -> dict[str, list[st.Page]]:
    about = [st.Page(VIEWS + "instrument.py", title=t("page_instrument"), url_path="instrument"),
             st.Page(VIEWS + "score_file.py", title=t("page_score_file"), url_path="rakna")]
    if who is None:
        return {t("section_account"): [st.Page(VIEWS + "login.py", title=t("page_login"), url_path="logga-in",
                                               default=True)],
                t("section_about"): about}
    allowed = pages_for(who)
    work = [_page(key, default=(key == "overview")) for key in REGION_PAGES if key in allowed]
    national = [_page(key) for key in NATIONAL_PAGES if key in allowed]
    return {t("section_work"): work, t("section_national"): national, t("section_about"): about}


def run(groups: dict[str, list[st.Page]]) -> None:
    pages = [page for group in groups.values() for page in group]
    current = st.navigation(pages, position="hidden")
    with st.sidebar:
        for title, group in groups.items():
            if not group:
                continue
            st.markdown(f"**{title}**")
            for page in group:
                st.page_link(page, label=page.title)
    current.run()


def account(who: store.Identity | None) -> None:
    if who is None:
        return
    with st.sidebar:
        st.divider()
        st.markdown(t("signed_in_as", name=literal(who.name), email=literal(who.email)))  # typed text: shown as is
        if st.button(t("sign_out"), key="sign_out"):
            session.sign_out()
            st.rerun()
