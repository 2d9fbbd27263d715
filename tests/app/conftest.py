"""AppTest helpers: every test starts from the entry point, as a browser does, on a real SQLite file."""

from __future__ import annotations

import shutil
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import store
from tests.conftest import ROOT

ENTRY = str(ROOT / "streamlit_app.py")
DEMO = "demo.invalid"
ADMIN, ANALYST, LEAD, RESPONDENT, VIEWER = (f"{who}@{DEMO}" for who in ("admin", "analytiker", "ledare", "respondent",
                                                                          "lasare"))


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    # st.cache_* are process-global: without this one test's data would leak into the next
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = store.Database(f"sqlite:///{path}")
    db.upgrade()
    result = store.load_demo(db)
    db.engine.dispose()
    return path, {account.email: account.password for account in result.accounts}


@pytest.fixture
def demo_db(demo_file, tmp_path, monkeypatch):
    """A private copy of the demo database for one test; MOGNAD_DATABASE_URL points at it."""
    source, passwords = demo_file
    path = tmp_path / "mognad.sqlite"
    shutil.copy(source, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("MOGNAD_DATABASE_URL", url)
    return store.Database(url), passwords


def app(lang: str = "sv", email: str | None = None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.session_state["lang"] = lang
    if email:
        at.session_state["auth_email"] = email
        at.session_state["auth_last_seen"] = time.time()
    return at
