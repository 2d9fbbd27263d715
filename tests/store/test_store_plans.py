"""Action plans: all-or-nothing saves, stable ids, order, optimistic versions, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

import store
from questionnaires.actionplan import PlanItem


def _item(action: str, **kwargs) -> PlanItem:
    return PlanItem(id=kwargs.pop("id", None), dimension=kwargs.pop("dimension", "D1"), action=action, **kwargs)


def test_save_and_read_back_with_stable_ids(world):
    db, w = world
    assert store.plan_version(db, w.lead, w.assessment) == 0
    version = store.save_plan(db, w.lead, w.assessment, [
        _item("Ta fram ett beslut", indicators=("D1.1",), owner="Regiondirektören", start=dt.date(2026, 1, 1),
              due=dt.date(2026, 6, 30), resources="0,5 tjänst", success_indicator="Beslut finns", status="ongoing",
              source_action="D1.1:0:1", extra={"note": "från Excel"}),
        _item("Kartlägg aktörerna", dimension="D2"),
    ], base_version=0)
    assert version == 1
    items = store.plan_items(db, w.lead, w.assessment)
    assert [i.action for i in items] == ["Ta fram ett beslut", "Kartlägg aktörerna"]
    first = items[0]
    assert len(first.id) == 32 and first.indicators == ("D1.1",) and first.due == dt.date(2026, 6, 30)
    assert first.extra == {"note": "från Excel"} and first.status == "ongoing"
    changed = [items[1], first.__class__(**{**first.__dict__, "status": "done"})]
    assert store.save_plan(db, w.lead, w.assessment, changed, base_version=1) == 2
    again = store.plan_items(db, w.lead, w.assessment)
    assert [i.id for i in again] == [items[1].id, first.id]  # the order given
    assert again[1].status == "done"
    assert store.save_plan(db, w.lead, w.assessment, again, base_version=2) == 2  # nothing changed, no new version


def test_deleting_and_keeping_untouched_items(world):
    db, w = world
    store.save_plan(db, w.lead, w.assessment, [_item("A"), _item("B"), _item("C")])
    a, b, c = store.plan_items(db, w.lead, w.assessment)
    store.save_plan(db, w.lead, w.assessment, [_item("D")], deleted_ids=[b.id])
    assert [i.action for i in store.plan_items(db, w.lead, w.assessment)] == ["D", "A", "C"]


def test_every_problem_is_reported_and_nothing_is_saved(world):
    db, w = world
    store.save_plan(db, w.lead, w.assessment, [_item("Finns")])
    with pytest.raises(store.Invalid) as caught:
        store.save_plan(db, w.lead, w.assessment, [
            _item("", dimension="D9"),
            _item("OK", indicators=("D2.1",), start=dt.date(2026, 5, 1), due=dt.date(2026, 1, 1)),
            _item("Främmande", id="0" * 32),
            _item("Fel status", status="klar-ish"),
        ], deleted_ids=["f" * 32])
    lines = caught.value.lines("sv")
    assert len(lines) == 7
    assert lines[0].startswith("åtgärd 1: ")
    assert any(line.startswith("åtgärd 2: ") and "före start" in line for line in lines)
    assert any("indikatorn D2.1 hör inte till dimensionen D1" in line for line in lines)
    assert any(line.startswith("åtgärd 3: ") for line in lines)
    assert [i.action for i in store.plan_items(db, w.lead, w.assessment)] == ["Finns"]
    assert store.plan_version(db, w.lead, w.assessment) == 1


def test_an_item_of_another_region_cannot_be_edited_through_this_plan(world):
    db, w = world
    store.save_plan(db, w.lead_other, w.other_assessment, [_item("Uppsalas åtgärd")])
    foreign = store.plan_items(db, w.lead_other, w.other_assessment)[0]
    with pytest.raises(store.Invalid):
        store.save_plan(db, w.lead, w.assessment, [foreign])
    with pytest.raises(store.Invalid):
        store.save_plan(db, w.lead, w.assessment, [], deleted_ids=[foreign.id])
    assert store.plan_items(db, w.lead_other, w.other_assessment) == [foreign]


def test_an_outdated_version_is_a_conflict(world):
    db, w = world
    store.save_plan(db, w.lead, w.assessment, [_item("Först")], base_version=0)
    with pytest.raises(store.Conflict) as caught:
        store.save_plan(db, w.admin, w.assessment, [_item("Samtidigt")], base_version=0)
    conflict = caught.value
    assert (conflict.stored_revision, conflict.attempted_revision) == (1, 0)
    assert [i.action for i in conflict.stored] == ["Först"]
    assert [i.action for i in conflict.attempted] == ["Samtidigt"]
    assert "ledare19@test.se" in conflict.message("sv")


def test_the_plan_can_be_followed_up_after_submission(world):
    db, w = world
    store.submit_assessment(db, w.lead, w.assessment)
    assert store.save_plan(db, w.lead, w.assessment, [_item("Efter inlämning")]) == 1


def test_plan_changes_are_in_the_audit_log(world):
    db, w = world
    store.save_plan(db, w.lead, w.assessment, [_item("A")])
    item = store.plan_items(db, w.lead, w.assessment)[0]
    store.save_plan(db, w.lead, w.assessment, [PlanItem(**{**item.__dict__, "status": "done"})])
    store.save_plan(db, w.lead, w.assessment, [], deleted_ids=[item.id])
    actions = [(e.action, e.old and e.old.get("status"), e.new and e.new.get("status"))
               for e in store.audit_log(db, w.lead, region="19") if e.action.startswith("plan.")]
    assert actions == [("plan.delete", "done", None), ("plan.change", "not_started", "done"), ("plan.add", None, "not_started")]
