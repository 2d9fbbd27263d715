"""The authorization matrix: every role × every operation × own or other region (and own or other sheet).

The scenario (conftest.World) centres on region 19: `lead`, `viewer` and `respondent` belong to it; `lead_other`
and `viewer_other` belong to region 03; `outsider` has an account and no role. Reads are checked in three
states of 19's assessment (draft, submitted, and submitted in a published round); every write starts from a
fresh copy of the scenario, and a refused write must leave no trace.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

import store
from questionnaires.actionplan import PlanItem
from questionnaires.answers import AnswersFile, RespondentAnswers
from store.schema import audit
from tests.store.conftest import BACKENDS, Snapshot

ACTORS = ("admin", "analyst", "lead", "lead_other", "viewer", "viewer_other", "respondent", "outsider")
MEMBERS_19 = {"admin", "lead", "viewer", "respondent"}


# -- reads --------------------------------------------------------------------------------------------------

def _sees_19_in_sheet(db, w, who):
    sheet, _ = store.answer_sheet(db, who, "metodexempel@1")
    return "19" in set(sheet["region"])


def _sees_19_in_list(db, w, who):
    return any(a.region == "19" for a in store.list_assessments(db, who))


READS = {
    # name: (operation, who may, by state of 19's assessment)
    "list_rounds": (lambda db, w, who: store.list_rounds(db, who), {s: set(ACTORS) for s in ("draft", "submitted", "published")}),
    "get_assessment": (lambda db, w, who: store.get_assessment(db, who, "19", "2025"),
                       {"draft": MEMBERS_19 | {"analyst"}, "submitted": MEMBERS_19 | {"analyst"}, "published": set(ACTORS)}),
    "list_respondents": (lambda db, w, who: store.list_respondents(db, who, w.assessment),
                         {"draft": MEMBERS_19, "submitted": MEMBERS_19 | {"analyst"}, "published": MEMBERS_19 | {"analyst"}}),
    "get_own_respondent": (lambda db, w, who: store.get_respondent(db, who, w.own_sheet),
                           {"draft": MEMBERS_19, "submitted": MEMBERS_19 | {"analyst"}, "published": MEMBERS_19 | {"analyst"}}),
    "get_other_respondent": (lambda db, w, who: store.get_respondent(db, who, w.lead_sheet),
                             {"draft": {"admin", "lead", "viewer"}, "submitted": {"admin", "lead", "viewer", "analyst"},
                              "published": {"admin", "lead", "viewer", "analyst"}}),
    "current_answers": (lambda db, w, who: store.current_answers(db, who, w.assessment),
                        {"draft": MEMBERS_19, "submitted": MEMBERS_19 | {"analyst"}, "published": MEMBERS_19 | {"analyst"}}),
    "history_own_sheet": (lambda db, w, who: store.answer_history(db, who, w.own_sheet, "D1.1"),
                          {"draft": MEMBERS_19, "submitted": MEMBERS_19 | {"analyst"}, "published": MEMBERS_19 | {"analyst"}}),
    "history_other_sheet": (lambda db, w, who: store.answer_history(db, who, w.lead_sheet, "D1.1"),
                            {"draft": {"admin", "lead", "viewer"}, "submitted": {"admin", "lead", "viewer", "analyst"},
                             "published": {"admin", "lead", "viewer", "analyst"}}),
    "plan_items": (lambda db, w, who: store.plan_items(db, who, w.assessment),
                   {"draft": {"admin", "lead", "viewer"}, "submitted": {"admin", "lead", "viewer", "analyst"},
                    "published": set(ACTORS)}),
    "plan_version": (lambda db, w, who: store.plan_version(db, who, w.assessment),
                     {"draft": {"admin", "lead", "viewer"}, "submitted": {"admin", "lead", "viewer", "analyst"},
                      "published": set(ACTORS)}),
    "audit_log_19": (lambda db, w, who: store.audit_log(db, who, region="19"),
                     {s: {"admin", "lead"} for s in ("draft", "submitted", "published")}),
    "list_users": (lambda db, w, who: store.list_users(db, who),
                   {s: {"admin", "lead", "lead_other"} for s in ("draft", "submitted", "published")}),
}
FILTERS = {  # never refused: they show only what the actor may see
    "answer_sheet_has_19": (_sees_19_in_sheet, {"draft": MEMBERS_19, "submitted": MEMBERS_19 | {"analyst"},
                                                "published": set(ACTORS)}),
    "list_assessments_has_19": (_sees_19_in_list, {"draft": MEMBERS_19 | {"analyst"},
                                                   "submitted": MEMBERS_19 | {"analyst"}, "published": set(ACTORS)}),
}


@pytest.fixture(scope="module", params=[(backend, state) for backend in BACKENDS
                                        for state in ("draft", "submitted", "published")],
                ids=lambda p: f"{getattr(p[0], 'values', [p[0]])[0]}-{p[1]}")
def read_world(request, world_snapshots, tmp_path_factory):
    backend, state = request.param
    backend = getattr(backend, "values", [backend])[0]
    snapshot: Snapshot = world_snapshots(backend)
    db = snapshot.open(tmp_path_factory.mktemp(f"read-{state}"), request)
    w = snapshot.world
    store.save_plan(db, w.lead, w.assessment, [PlanItem(None, "D1", "Ett beslut")])
    if state in ("submitted", "published"):
        store.submit_assessment(db, w.lead, w.assessment)
    if state == "published":
        store.close_round(db, w.admin, "2025")
        store.publish_round(db, w.admin, "2025")
    yield db, w, state
    if backend == "sqlite":
        db.dispose()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", sorted(READS))
def test_reads(read_world, operation, actor):
    db, w, state = read_world
    run, allowed = READS[operation]
    who = getattr(w, actor)
    if actor in allowed[state]:
        run(db, w, who)
    else:
        with pytest.raises(store.Forbidden) as caught:
            run(db, w, who)
        assert isinstance(caught.value, PermissionError)
        assert caught.value.message("sv").startswith("du har inte behörighet")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", sorted(FILTERS))
def test_filtered_reads(read_world, operation, actor):
    db, w, state = read_world
    run, allowed = FILTERS[operation]
    assert run(db, w, getattr(w, actor)) == (actor in allowed[state])


def test_a_respondent_sees_only_their_own_sheet(read_world):
    db, w, _ = read_world
    assert [r.id for r in store.list_respondents(db, w.respondent, w.assessment)] == [w.own_sheet]
    assert {r.respondent_id for r in store.current_answers(db, w.respondent, w.assessment)} == {w.own_sheet}


# -- writes -------------------------------------------------------------------------------------------------

def _submitted_first(operation):
    def run(db, w, who):
        store.submit_assessment(db, w.admin, w.assessment)
        return operation(db, w, who)
    return run


def _import(db, w, who):
    data = AnswersFile("metodexempel@1", "19", "2025",
                       (RespondentAnswers("r1", "region", None, None, {"D1.2": 2}, {}, {}),))
    return store.import_answers(db, who, data)


LEADS_19 = {"admin", "lead"}
WRITES = {
    "open_round": (lambda db, w, who: store.open_round(db, who, "2026", "metodexempel@1"), {"admin"}),
    "close_round": (lambda db, w, who: store.close_round(db, who, "2025"), {"admin"}),
    "publish_round": (_submitted_first(lambda db, w, who: (store.close_round(db, w.admin, "2025"),
                                                           store.publish_round(db, who, "2025"))), {"admin"}),
    "register_questionnaire": (lambda db, w, who: store.register_questionnaire(db, who, _variant(w)), {"admin"}),
    "create_partner_in_19": (lambda db, w, who: store.create_user(db, who, "ny@kommun.se", "Ny",
                                                                  regions={"19": "respondent"}), LEADS_19),
    "grant_viewer_in_19": (lambda db, w, who: store.set_membership(db, who, "utan.roll@test.se", "19", "viewer"),
                           LEADS_19),
    "withdraw_viewer_in_19": (lambda db, w, who: store.remove_membership(db, who, "lasare19@test.se", "19"), LEADS_19),
    "disable_user": (lambda db, w, who: store.disable_user(db, who, "lasare19@test.se"), {"admin"}),
    "ensure_assessment": (lambda db, w, who: store.ensure_assessment(db, who, "19", "2025"), LEADS_19),
    "submit": (lambda db, w, who: store.submit_assessment(db, who, w.assessment), LEADS_19),
    "reopen_submitted": (_submitted_first(lambda db, w, who: store.reopen_assessment(db, who, w.assessment)), LEADS_19),
    "lock": (_submitted_first(lambda db, w, who: store.lock_assessment(db, who, w.assessment)), {"admin"}),
    "add_respondent": (lambda db, w, who: store.add_respondent(db, who, w.assessment, "Ny", "af"), LEADS_19),
    "remove_respondent": (lambda db, w, who: store.remove_respondent(db, who, w.lead_sheet), LEADS_19),
    "answer_own_sheet": (lambda db, w, who: store.save_answer(db, who, w.own_sheet, "D1.2", 3), LEADS_19 | {"respondent"}),
    "answer_other_sheet": (lambda db, w, who: store.save_answer(db, who, w.lead_sheet, "D1.2", 3), LEADS_19),
    "save_plan": (lambda db, w, who: store.save_plan(db, who, w.assessment, [PlanItem(None, "D1", "Åtgärd",
                                                                                        due=dt.date(2026, 6, 1))]),
                  LEADS_19),
    "import_answers": (_import, LEADS_19),
}


_VARIANTS: dict[str, object] = {}


def _variant(_w):
    """A second version of the worked example, as a regional variant would be registered."""
    import tempfile
    from pathlib import Path

    from questionnaires import load
    from tests.conftest import EXAMPLE

    if "q" not in _VARIANTS:
        folder = Path(tempfile.mkdtemp(prefix="mognad-variant-"))
        path = folder / "variant.yaml"
        path.write_text(EXAMPLE.read_text("utf-8").replace('version: "1"', 'version: "2"', 1), "utf-8")
        _VARIANTS["q"] = load(path)
    return _VARIANTS["q"]


def _audit_rows(db) -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(audit)).scalar_one()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", sorted(WRITES))
def test_writes(world, operation, actor):
    db, w = world
    run, allowed = WRITES[operation]
    who = getattr(w, actor)
    if actor in allowed:
        run(db, w, who)
        return
    before = _audit_rows(db)
    with pytest.raises(store.Forbidden):
        run(db, w, who)
    if operation not in ("reopen_submitted", "lock", "publish_round"):  # those prepare as admin first
        assert _audit_rows(db) == before, "a refused write left a trace"
