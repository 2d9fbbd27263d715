"""The data version changes with every change a result depends on, and only then."""

from __future__ import annotations

import store
from questionnaires.actionplan import PlanItem


def test_every_kind_of_change_moves_the_version(world):
    db, w = world
    before = store.data_version(db, w.lead)
    assert store.data_version(db, w.viewer) == before  # reading changes nothing
    store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 2)
    after_answer = store.data_version(db, w.lead)
    assert after_answer != before
    store.save_plan(db, w.lead, w.assessment, [PlanItem(None, "D1", "Steg")], base_version=0)
    after_plan = store.data_version(db, w.lead)
    assert after_plan != after_answer
    store.submit_assessment(db, w.lead, w.assessment)
    after_submit = store.data_version(db, w.lead)
    assert after_submit != after_plan
    store.close_round(db, w.admin, "2025")
    store.publish_round(db, w.admin, "2025")
    assert store.data_version(db, w.lead) != after_submit
