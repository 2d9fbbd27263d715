"""Handlingsplan in a follow-up round (issue 17): last round's actions are reviewed before the new plan;
"Skapa ny plan" says why it is disabled; continuing actions keep owner and history."""

from __future__ import annotations

import store
from app.widgets import literal
from tests.app.conftest import LEAD, VIEWER, app


def plan_page(email=LEAD, round_="2026"):
    at = app("sv", email)
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/plan.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_review_comes_before_the_new_plan(demo_db):
    db, _ = demo_db
    who = store.system_identity()
    old = store.plan_items(db, who, store.get_assessment(db, who, "19", "2025").id)
    new = store.get_assessment(db, who, "19", "2026").id
    at = plan_page()
    assert "Uppföljning av förra omgångens handlingsplan (2025)" in [s.value for s in at.subheader]
    button = at.button(key="followup_new_plan")
    assert button.disabled
    assert button.help == "4 av 4 åtgärder saknar status. Den nya planen kan skapas när alla är genomgångna."
    # review: the first continues (pågår), the others are done or dropped
    verdicts = ["ongoing", "done", "dropped", "done"]
    for item, status in zip(old, verdicts, strict=True):
        at.selectbox(key=f"review_status_{item.id}").set_value(status)
        at.text_input(key=f"review_outcome_{item.id}").input(f"Utfall {status}")
    at.checkbox(key=f"review_continues_{old[0].id}").check()
    at.button(key=f"FormSubmitter:plan_review_{new}-Spara uppföljningen").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Uppföljningen sparades (4 ändrade)." in [s.value for s in at.success]
    assert not at.button(key="followup_new_plan").disabled
    at.button(key="followup_new_plan").click().run()
    assert "1 fortsättande åtgärder lades in i den nya planen." in [s.value for s in at.success]
    (carried,) = store.plan_items(db, who, new)
    assert (carried.action, carried.owner, carried.status) == (old[0].action, old[0].owner, "ongoing")
    assert carried.extra == {"carried_from": old[0].id, "carried_from_round": "2025"}
    # the viewer reads the review, cannot change it
    at = plan_page(VIEWER)
    assert not [b for b in at.button if b.key == "followup_new_plan"]
    assert at.dataframe


def test_a_continuing_finished_action_is_refused_with_its_place(demo_db):
    db, _ = demo_db
    who = store.system_identity()
    old = store.plan_items(db, who, store.get_assessment(db, who, "19", "2025").id)
    new = store.get_assessment(db, who, "19", "2026").id
    at = plan_page()
    at.selectbox(key=f"review_status_{old[1].id}").set_value("done")
    at.checkbox(key=f"review_continues_{old[1].id}").check()
    at.button(key=f"FormSubmitter:plan_review_{new}-Spara uppföljningen").click().run()
    assert [e.value for e in at.error] == [literal("åtgärd 2: en åtgärd som är Klar kan inte fortsätta i den nya planen")]
    assert store.last_plan(db, who, new).reviews == {}
