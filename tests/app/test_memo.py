"""Results are remembered per session until the data change, and never across people."""

from __future__ import annotations

import time

import pytest

import service.reports
import store
from tests.app.conftest import LEAD, VIEWER, app


@pytest.fixture
def builds(monkeypatch):
    calls: list[tuple] = []
    real = service.reports.region_report

    def counting(db, who, region, round_label, **options):
        calls.append((who.email, region, round_label))
        return real(db, who, region, round_label, **options)

    monkeypatch.setattr(service.reports, "region_report", counting)
    return calls


def results(email, region="19", round_="2025"):
    at = app("sv", email)
    at.session_state["chosen_region"] = region
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/results.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_rerun_reuses_the_report_and_any_change_rebuilds_it(demo_db, builds):
    db, _ = demo_db
    at = results(LEAD)
    assert len(builds) == 1
    at.radio(key="peer_by").set_value("nuts2").run()  # another input: another entry
    at.radio(key="peer_by").set_value("size_group").run()  # back: remembered
    assert len(builds) == 2
    at.selectbox(key="drill_dimension").select("D2").run()
    assert len(builds) == 2
    lead = store.identity_for_email(db, LEAD)
    assessment = store.get_assessment(db, lead, "19", "2026")
    sheet = store.list_respondents(db, lead, assessment.id)[0]
    store.save_answer(db, lead, sheet.id, "D1.1", 3, comment="ny")  # a save anywhere moves the version
    at.run()
    assert len(builds) == 3
    store.close_round(db, store.system_identity(), "2026")  # and so does a change of a round
    at.run()
    assert len(builds) == 4


def test_two_people_never_share_an_entry(demo_db, builds):
    at = results(LEAD)
    at.session_state["auth_email"] = VIEWER  # another person in the same browser session
    at.session_state["auth_last_seen"] = time.time()
    at.run()
    assert [email for email, *_ in builds] == [LEAD, VIEWER]


def test_the_least_recently_used_entry_is_dropped_first(monkeypatch):
    """A result a person keeps coming back to outlives ones they looked at once."""
    import types

    from app import memo

    monkeypatch.setattr(memo, "st", types.SimpleNamespace(session_state={}))
    monkeypatch.setattr(memo.store, "data_version", lambda db, who: 1)
    who = store.system_identity("test")
    built: list[int] = []

    def get(n):
        return memo.remembered(None, who, "n", (n,), lambda: built.append(n) or n)

    get(0)
    for n in range(1, memo.ENTRIES + 3):
        get(n)
        get(0)  # used after every other entry: never the least recently used
    assert built.count(0) == 1
    get(1)  # the oldest of the others was dropped and is built again
    assert built.count(1) == 2
