"""AppTest helpers: every test starts from the entry point, as a browser does."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

ENTRY = str(ROOT / "streamlit_app.py")


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    # st.cache_* are process-global: without this one test's data would leak into the next
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def app(lang: str = "sv") -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.session_state["lang"] = lang
    return at
