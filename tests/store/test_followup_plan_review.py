"""The review of last round's action plan (issue 17): required before the new plan; continuing actions are copied
with their owners and a source reference; every rule and permission checked by the store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

import store
from questionnaires.actionplan import PlanItem
from store import plan_review
from store.errors import Forbidden, Invalid, NotEditable, RoundClosed
from store.plan_review import ReviewEntry
from store.schema import audit


@pytest.fixture
def reviewed(world):
    db, w = world
    system = store.system_identity("tester")
    store.save_plan(db, w.lead, w.assessment, [
        PlanItem(None, "D1", "Ta fram en regional strategi", ("D1.1",), owner="Anna Ek", due=dt.date(2025, 12, 31),
                 status="ongoing"),
        PlanItem(None, "D2", "Kartlägg aktörer", ("D2.1",), owner="Bo Lind", status="done"),
        PlanItem(None, "D3", "Samordna utbildning", owner="Cia Berg")])
    old = [item.id for item in store.plan_items(db, w.lead, w.assessment)]
    store.close_round(db, system, "2025")
    store.open_round(db, system, "2026", "metodexempel@1")
    new = store.ensure_assessment(db, w.lead, "19", "2026").id
    return db, w, new, old


def test_the_new_plan_waits_for_the_review(reviewed):
    db, w, new, old = reviewed
    assert plan_review.review_gate(db, w.lead, new) == (3, 3)
    with pytest.raises(NotEditable) as caught:
        plan_review.start_new_plan(db, w.lead, new)
    assert caught.value.message("sv") == "gå igenom förra omgångens åtgärder först: 3 av 3 saknar status"
    assert caught.value.message("en") == "review last round's actions first: 3 of 3 have no status"
    assert plan_review.save_reviews(db, w.lead, new, [
        ReviewEntry(old[0], "ongoing", "Halvvägs: remiss ute", True),
        ReviewEntry(old[1], "done", "Klar i mars")]) == 2
    assert plan_review.review_gate(db, w.lead, new) == (3, 1)
    with pytest.raises(NotEditable):
        plan_review.start_new_plan(db, w.lead, new)
    plan_review.save_reviews(db, w.lead, new, [ReviewEntry(old[2], "dropped", "Ingen budget")])
    made = plan_review.start_new_plan(db, w.lead, new)
    assert len(made) == 1
    (item,) = store.plan_items(db, w.lead, new)
    assert (item.id, item.action, item.owner, item.due, item.status, item.indicators) == (
        made[0], "Ta fram en regional strategi", "Anna Ek", dt.date(2025, 12, 31), "ongoing", ("D1.1",))
    assert item.extra == {"carried_from": old[0], "carried_from_round": "2025"}
    assert store.plan_version(db, w.lead, new) == 1
    # once only
    assert plan_review.start_new_plan(db, w.lead, new) == []
    last = plan_review.last_plan(db, w.viewer, new)
    assert last.previous_round == "2025" and last.complete
    assert last.reviews[old[0]].carried_to == made[0]
    # the old action keeps its history
    assert [i.id for i in store.plan_items(db, w.lead, w.assessment)] == old
    with db.reading() as conn:
        actions = conn.execute(select(audit.c.action).where(audit.c.target == f"plan_action:{old[0]}")
                               .order_by(audit.c.id)).scalars().all()
        carried = json.loads(conn.execute(select(audit.c.new).where(audit.c.action == "plan.carry")).scalar())
    assert actions == ["plan.add", "plan.review"]
    assert carried["owner"] == "Anna Ek"


def test_bad_entries_are_refused_whole(reviewed):
    db, w, new, old = reviewed
    with pytest.raises(Invalid) as caught:
        plan_review.save_reviews(db, w.lead, new, [
            ReviewEntry(old[0], "ongoing", "ok", True),
            ReviewEntry(old[1], "done", "klar", True),
            ReviewEntry("okänd", "done"),
            ReviewEntry(old[2], "paused"),
            ReviewEntry(old[2], "done", "x" * 1001)])
    assert caught.value.lines("sv") == [
        "åtgärd 2: en åtgärd som är Klar kan inte fortsätta i den nya planen",
        "åtgärd 3: åtgärden okänd finns inte i förra omgångens handlingsplan",
        "åtgärd 3: okänd status 'paused' (tillåtna: done, ongoing, not_started, dropped)",
        "åtgärd 3: utfallet är 1001 tecken; högst 1000"]  # the action's place in last round's plan
    assert plan_review.last_plan(db, w.lead, new).reviews == {}


def test_who_may_review(reviewed):
    db, w, new, old = reviewed
    for who in (w.viewer, w.respondent, w.lead_other, w.analyst, w.outsider):
        with pytest.raises(Forbidden):
            plan_review.save_reviews(db, who, new, [ReviewEntry(old[0], "done")])
        with pytest.raises(Forbidden):
            plan_review.start_new_plan(db, who, new)
    assert plan_review.save_reviews(db, w.admin, new, [ReviewEntry(old[0], "done")]) == 1
    with pytest.raises(Forbidden):
        plan_review.last_plan(db, w.lead_other, new)


def test_a_closed_round_is_not_reviewed(reviewed):
    db, w, new, old = reviewed
    store.close_round(db, store.system_identity("tester"), "2026")
    with pytest.raises(RoundClosed):
        plan_review.save_reviews(db, w.lead, new, [ReviewEntry(old[0], "done")])


def test_a_first_round_has_nothing_to_review(world):
    db, w = world
    last = plan_review.last_plan(db, w.lead, w.assessment)
    assert (last.previous_round, last.items, last.complete) == (None, [], True)
    assert plan_review.start_new_plan(db, w.lead, w.assessment) == []
