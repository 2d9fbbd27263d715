"""Administration → Omgångar: after a round is published the admin downloads its open data (the files of
`mognad publish`, as one zip); without the publisher's settings the page names the missing variable."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.app.conftest import ADMIN, _clear_streamlit_caches, app, demo_db, demo_file  # noqa: F401 — fixtures
from tests.test_publication import ENVIRONMENT


def admin_page(round_label: str):
    at = app("sv", ADMIN)
    at.run()
    at.switch_page("app/views/admin.py").run()
    at.selectbox(key="admin_round").select(round_label).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def configured(monkeypatch):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("demo_db", "configured")
def test_a_published_round_can_be_downloaded_as_open_data():
    at = admin_page("2025")
    at.button(key="publication_make").click().run()
    assert not at.exception and not at.error
    raw = at.session_state["_publication:2025"]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("mognad-oppna-data-2025/datapackage.json"))
    assert {"mognad-oppna-data-2025/catalog.rdf", "mognad-oppna-data-2025/dimensions_sv.csv"} <= names
    assert descriptor["rounds"] == ["2025"]
    assert [b for b in at.get("download_button") if b.proto.label == "Ladda ned öppna data (zip)"]


@pytest.mark.usefixtures("demo_db", "configured")
def test_no_button_for_an_unpublished_round_and_a_missing_setting_is_named(monkeypatch):
    at = admin_page("2026")
    assert not [b for b in at.button if b.key == "publication_make"]
    monkeypatch.delenv("MOGNAD_PUBLISHER_ORGNR")
    at = admin_page("2025")
    at.button(key="publication_make").click().run()
    assert any("MOGNAD\\_PUBLISHER\\_ORGNR saknas" in e.value for e in at.error)
    assert "_publication:2025" not in at.session_state
