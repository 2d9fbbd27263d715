"""Resultat for a round of version 2 whose previous round used version 1: the change table says which
questions are not comparable, in Swedish and English, and shows a change only for the comparable pairs."""

from __future__ import annotations

import pytest

from store import demo
from tests.app.conftest import LEAD, app

NOT_COMPARABLE = {"sv": "inte jämförbar (ny version av frågan)", "en": "not comparable (new version of the question)"}


def results(lang: str, round_: str):
    at = app(lang, LEAD)
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/results.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def cells(at) -> str:
    return " ".join(str(v) for table in at.table for v in table.value.to_numpy().ravel()) + \
        " ".join(str(v) for table in at.table for v in table.value.index)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_results_mark_questions_that_are_not_comparable_across_versions(demo_db, lang):
    at = results(lang, demo.PILOT)
    shown = cells(at)
    assert NOT_COMPARABLE[lang] in shown
    assert "D1.6" in shown and "D9.1" in shown  # the comparable pair, with its version-1 origin
    text = " ".join(m.value for m in at.markdown)
    assert "regional-validering@1" in text and "2025" in text


def test_a_version_1_round_shows_its_change_as_before(demo_db):
    at = results("sv", "2026")
    shown = cells(at)
    assert NOT_COMPARABLE["sv"] not in shown and "2025" in shown  # the change since 2025, within version 1
    assert not any("regional-validering@1, den här använder" in m.value for m in at.markdown)


@pytest.mark.parametrize(("who", "name"), [(who, name) for who in ("lead", "analyst")
                                            for name in ("overview", "results", "compare", "plan", "export", "fill")
                                            if (who, name) != ("analyst", "fill")])  # an analyst fills nothing in
def test_every_page_opens_on_the_version_2_pilot(demo_db, who, name):
    from tests.app.conftest import ANALYST

    at = app("sv", LEAD if who == "lead" else ANALYST)
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_round"] = demo.PILOT
    at.run()
    at.switch_page(f"app/views/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
