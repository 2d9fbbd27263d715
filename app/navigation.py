"""The sidebar menu. st.navigation's own sectioned menu nests <div>s directly in its <ul>, which fails
WCAG 1.3.1 (axe: list, listitem), so the router is hidden and the menu drawn with page links."""

from __future__ import annotations

import streamlit as st


def run(sections: dict[str, list[st.Page]]) -> None:
    pages = [page for group in sections.values() for page in group]
    current = st.navigation(pages, position="hidden")
    with st.sidebar:
        for title, group in sections.items():
            if not group:
                continue
            st.markdown(f"**{title}**")
            for page in group:
                st.page_link(page, label=page.title)
    current.run()
