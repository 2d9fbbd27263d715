"""Administration: the open-round form offers the newest instrument version first (version 2), and
version 1 stays available for a round that must continue a version-1 series."""

from __future__ import annotations

from tests.app.conftest import ADMIN, app


def test_open_round_offers_version_2_first(demo_db):
    at = app("sv", ADMIN).run()
    at.switch_page("app/views/admin.py").run()
    assert not at.exception, [e.message for e in at.exception]
    [version] = [s for s in at.selectbox if s.label == "Version av instrumentet"]
    assert version.options[0] == "regional-validering@2" and version.value == "regional-validering@2"
    assert "regional-validering@1" in version.options


def test_newest_version_first_counts_versions_as_numbers():
    from app.parts.admin import newest_first

    assert newest_first(["x@1", "x@10", "x@2", "a@3"]) == ["x@10", "a@3", "x@2", "x@1"]
