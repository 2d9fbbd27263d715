"""The audit log: who, when, what, old → new; per region for leads, everything for the admin."""

from __future__ import annotations

import pytest

import store


def test_a_regions_log_tells_its_story_newest_first(world):
    db, w = world
    store.save_answer(db, w.lead, w.lead_sheet, "D1.1", 4, base_revision=1)
    store.submit_assessment(db, w.lead, w.assessment)
    entries = store.audit_log(db, w.lead, region="19")
    assert [e.action for e in entries[:2]] == ["assessment.submit", "answer.save"]
    submit, answer = entries[0], entries[1]
    assert (submit.actor, submit.old, submit.new) == ("ledare19@test.se", {"status": "draft"}, {"status": "submitted"})
    assert answer.old == {"value": 3, "comment": "belägg", "confidence": None}
    assert answer.new["value"] == 4 and answer.new["revision"] == 2 and answer.new["respondent"] == "r1"
    assert all(e.region == "19" for e in entries)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_who_may_read_which_log(world):
    db, w = world
    assert {e.region for e in store.audit_log(db, w.admin)} >= {"19", "03", None}
    assert {e.region for e in store.audit_log(db, w.lead)} == {"19"}
    for who in (w.analyst, w.viewer, w.respondent, w.outsider):
        with pytest.raises(store.Forbidden):
            store.audit_log(db, who)
    with pytest.raises(store.Forbidden):
        store.audit_log(db, w.lead, region="03")


def test_limit(world):
    db, w = world
    assert len(store.audit_log(db, w.admin, limit=3)) == 3
    assert len(store.audit_log(db, w.admin, limit=0)) == 1
