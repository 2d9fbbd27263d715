"""Instrument version 2 in the app and the store: "Ej relevant" is offered, and accepted, exactly where the
indicator allows it (na_allowed); everywhere else the store refuses it naming the indicator."""

from __future__ import annotations

import pytest

import store
from questionnaires import find
from tests.app.conftest import LEAD, app

V2 = "regional-validering@2"


def _round(db):
    system = store.system_identity()
    store.open_round(db, system, "2027", V2)
    assessment = store.ensure_assessment(db, system, "19", "2027")
    sheet = store.add_respondent(db, system, assessment.id, "Regionen", "region")
    return assessment, sheet


def test_the_store_refuses_not_relevant_where_the_indicator_does_not_allow_it(demo_db):
    db, _ = demo_db
    _, sheet = _round(db)
    q = find(V2)
    allowed = next(ind for ind in q.indicators if ind.na_allowed and ind.applies_to("region"))
    refused = next(ind for ind in q.indicators if not ind.na_allowed and ind.applies_to("region"))
    lead = store.identity_for_email(db, LEAD)
    store.save_answer(db, lead, sheet.id, allowed.id, "na")
    with pytest.raises(store.Invalid) as error:
        store.save_answer(db, lead, sheet.id, refused.id, "na")
    assert refused.id in error.value.lines("sv")[0] and "Ej relevant" in error.value.lines("sv")[0]


def test_fill_in_offers_not_relevant_exactly_where_allowed(demo_db):
    db, _ = demo_db
    _, sheet = _round(db)
    q = find(V2)
    at = app("sv", LEAD)
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_round"] = "2027"
    at.session_state["chosen_sheet"] = sheet.id
    allowed = next(ind for ind in q.indicators if ind.na_allowed and ind.applies_to("region"))
    at.session_state["chosen_dimension"] = allowed.dimension  # a dimension with both kinds of indicator
    at.run()
    at.switch_page("app/views/fill.py").run()
    assert not at.exception, [e.message for e in at.exception]
    shown = {r.key.rsplit("_", 1)[1]: r.options for r in at.radio if r.key and r.key.startswith(f"answer_{sheet.id}_")}
    assert allowed.id in shown and len(shown) > 1
    for indicator, options in shown.items():
        offers = any(option.startswith("Ej relevant") for option in options)
        assert offers == q.indicator_by_id[indicator].na_allowed, indicator
