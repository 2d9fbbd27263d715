"""Resultat in a follow-up round (issue 17): the change per dimension with its verdict, the comparable
indicators counted, the panel, and the reasons people gave for changed answers."""

from __future__ import annotations

import pandas as pd
import pytest

import store
from app.widgets import literal
from store import carry
from tests.app.conftest import LEAD, app
from tests.app.test_fill import sheet_id
from tests.app.test_followup_fill import _match_last_year


def results_page(email=LEAD, round_="2026"):
    at = app("sv", email)
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/results.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_change_with_verdicts_reasons_and_panel(demo_db):
    db, _ = demo_db
    _match_last_year(db)
    sheet, assessment = sheet_id(db, "r2")
    store.carry_forward(db, store.system_identity(), assessment, [sheet])
    proposal = next(p for p in carry.sheet_followup(db, store.system_identity(), sheet).proposals.values()
                    if isinstance(p.value, int))
    new = 0 if proposal.value else 1
    carry.change(db, store.system_identity(), sheet, proposal.indicator, new, "Samordnaren slutade")
    at = results_page()
    assert "**Förändring som betyder något (sedan 2025)**" in [m.value for m in at.markdown]
    assert "46 av 46 indikatorer är jämförbara med förra omgången (regional-validering@1 → regional-validering@1); " \
           "bara de räknas." in [c.value for c in at.caption]
    table = next(tb.value for tb in at.table if "Bedömning" in tb.value.columns)
    assert isinstance(table, pd.DataFrame) and len(table) == 10
    assert set(table["Bedömning"]) <= {"inget intervall (metod 1)", "för få svar för en poäng"}  # method 1
    assert any("Panelen har ändrats" in w.value for w in at.warning)  # 4 sheets in 2025, 3 in 2026
    reasons = [m.value for m in at.markdown if "Samordnaren slutade" in m.value]
    assert reasons == [f"- {literal(proposal.indicator)} ({literal(_answer(db, proposal.value))} → "
                       f"{literal(_answer(db, new))}): Samordnaren slutade"]


def _answer(db, value):
    q = db.questionnaire("regional-validering@1")
    if value in ("na", "dk"):
        return q.special_name(value)["sv"]
    return f"{value} {q.levels[value].name['sv']}"


@pytest.mark.parametrize("round_", ["2025"])
def test_a_first_round_shows_no_followup(demo_db, round_):
    at = results_page(round_=round_)
    assert not [m for m in at.markdown if "Förändring som betyder något" in m.value]
