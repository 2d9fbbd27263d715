"""The app's own words in Swedish and English, and the language of the current session.

The language lives in the session (never process-global): each browser tab chooses its own.
"""

from __future__ import annotations

import streamlit as st

from app.texts import UI
from questionnaires.text import DEFAULT_LANGUAGE, normalise_language

LANG_KEY = "lang"


def lang() -> str:
    if LANG_KEY not in st.session_state:
        wanted = st.query_params.get("lang")
        st.session_state[LANG_KEY] = normalise_language(wanted) if wanted else DEFAULT_LANGUAGE
    return st.session_state[LANG_KEY]


def t(key: str, **params: object) -> str:
    return UI.render(key, lang(), **params)


def language_switch() -> None:
    current = lang()
    choice = st.sidebar.segmented_control(
        t("language"), options=["sv", "en"], default=current, key="_language_switch", required=True,
        format_func=lambda code: {"sv": "Svenska", "en": "English"}[code])
    if choice and choice != current:
        st.session_state[LANG_KEY] = choice
        st.rerun()
