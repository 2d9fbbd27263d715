"""A change that means something (issue 17): the verdict follows the difference's 90 % interval (MOVER over the
two rounds' intervals), reasons and last round's actions beside it, comparable indicators counted, panel changes."""

from __future__ import annotations

import pytest

import store
from questionnaires.loader import load
from service import followup
from store import carry
from store.plan_review import ReviewEntry
from tests.conftest import ROOT
from tests.store.conftest import PASSWORD


@pytest.mark.parametrize(("now", "lo", "hi", "before", "blo", "bhi", "expected"), [
    # d = 1.0; lower = 1 − √(0.3² + 0.4²) = 0.5; upper = 1 + √(0.2² + 0.1²) ≈ 1.2236
    (3.0, 2.7, 3.2, 2.0, 1.9, 2.4, (1.0, 0.5, 1.2236068)),
    # d = −1.0; lower = −1 − √(0.5² + 0.5²) ≈ −1.7071; upper = −1 + √(0.3² + 0.4²) = −0.5
    (2.0, 1.5, 2.3, 3.0, 2.6, 3.5, (-1.0, -1.7071068, -0.5)),
    # d = 0.5 but the intervals are wide: upper 0.5 + √(0.5² + 0.5²), lower 0.5 − √(0.5² + 0.5²) ≈ −0.2071
    (2.5, 2.0, 3.0, 2.0, 1.5, 2.5, (0.5, -0.2071068, 1.2071068)),
])
def test_the_difference_interval_is_mover(now, lo, hi, before, blo, bhi, expected):
    assert followup.change_interval(now, lo, hi, before, blo, bhi) == pytest.approx(expected)


@pytest.mark.parametrize(("args", "expected"), [
    ((1.0, 0.5, 1.2), "improved"),
    ((-1.0, -1.7, -0.5), "declined"),
    ((0.5, -0.2, 1.2), "none"),
    ((0.5, 0.0, 1.0), "none"),  # touching 0 is not excluding it
    ((0.0, 0.0, 0.0), "none"),
    ((0.5, None, None), "unknown"),  # method 1: no intervals
    ((None, None, None), "not_comparable"),
])
def test_the_label_follows_the_interval(args, expected):
    assert followup.verdict(*args) == expected


def test_non_overlapping_intervals_are_always_a_certain_change():
    """The national report's rule (intervals do not overlap) implies this one: never a contradiction."""
    d, lower, upper = followup.change_interval(3.0, 2.6, 3.3, 2.0, 1.7, 2.5)
    assert followup.verdict(d, lower, upper) == "improved"


@pytest.fixture
def method2_rounds(db, admin):
    q = load(ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml")
    store.register_questionnaire(db, admin, q)
    store.create_user(db, admin, "lead@test.se", "Lead", password=PASSWORD, regions={"19": "lead"})
    lead = store.identity_for_email(db, "lead@test.se")
    roles = ["region", "kommun", "af", "bransch"]

    def round_(label, d1, d2, people):
        store.open_round(db, admin, label, q.ref)
        assessment = store.ensure_assessment(db, lead, "19", label).id
        sheets = {}
        for n, role in enumerate(people):
            sheet = store.add_respondent(db, lead, assessment, f"P{n}", role, user_email=f"p{n}@test.se").id
            sheets[role] = sheet
            for ind in q.indicators:
                if not ind.applies_to(role):
                    continue
                value = d1 if ind.dimension == "D1" else d2 if ind.dimension == "D2" else 2
                store.save_answer(db, lead, sheet, ind.id, value)
        return assessment, sheets

    old, _ = round_("2025", 1, 3, roles)
    store.save_plan(db, lead, old, [__import__("questionnaires.actionplan").actionplan.PlanItem(
        None, "D1", "Förankra strategin", ("D1.1",), owner="Anna")])
    store.close_round(db, admin, "2025")
    new, sheets = round_("2026", 4, 3, [*roles, "utbildning"])
    return db, lead, q, old, new, sheets


def test_a_certain_improvement_and_no_certain_change(method2_rounds):
    db, lead, q, old, new, sheets = method2_rounds
    item = store.plan_items(db, lead, old)[0]
    store.save_reviews(db, lead, new, [ReviewEntry(item.id, "done", "Beslut i juni")])
    result = followup.followup_change(db, lead, "19", "2026")
    by_dim = {d.dimension: d for d in result.dimensions}
    assert (result.previous_round, result.comparable_indicators, result.indicators) == ("2025", 10, 10)
    assert by_dim["D1"].previous == 1.0 and by_dim["D1"].score == 4.0 and by_dim["D1"].change == 3.0
    assert by_dim["D1"].verdict == "improved"
    assert by_dim["D2"].change == 0.0 and by_dim["D2"].verdict == "none"
    ((action, review),) = by_dim["D1"].actions
    assert (action.action, review.status, review.outcome) == ("Förankra strategin", "done", "Beslut i juni")
    assert by_dim["D2"].actions == []
    assert result.panel_changed
    assert result.panel_before == {"af": 1, "bransch": 1, "kommun": 1, "region": 1}
    assert result.panel_now == {"af": 1, "bransch": 1, "kommun": 1, "region": 1, "utbildning": 1}


def test_reasons_are_shown_with_their_dimension(db, admin):
    q = load(ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml")
    store.register_questionnaire(db, admin, q)
    store.create_user(db, admin, "lead@test.se", "Lead", password=PASSWORD, regions={"19": "lead"})
    lead = store.identity_for_email(db, "lead@test.se")
    store.open_round(db, admin, "2025", q.ref)
    old = store.ensure_assessment(db, lead, "19", "2025").id
    before = store.add_respondent(db, lead, old, "Regionen", "region", user_email="p@test.se").id
    store.save_answer(db, lead, before, "D2.1", 1)
    store.close_round(db, admin, "2025")
    store.open_round(db, admin, "2026", q.ref)
    new = store.ensure_assessment(db, lead, "19", "2026").id
    sheet = store.add_respondent(db, lead, new, "Regionen", "region", user_email="p@test.se").id
    carry.carry_forward(db, lead, new)
    carry.change(db, lead, sheet, "D2.1", 3, "Nytt avtal med kommunerna")
    result = followup.followup_change(db, lead, "19", "2026")
    by_dim = {d.dimension: d for d in result.dimensions}
    assert [r.reason for r in by_dim["D2"].reasons] == ["Nytt avtal med kommunerna"]
    assert by_dim["D1"].reasons == []
    assert not result.panel_changed
    assert by_dim["D2"].verdict == "insufficient"  # one answer in D2: no score in either round


def test_a_first_round_has_no_followup(world):
    db, w = world
    assert followup.followup_change(db, w.lead, "19", "2025") is None


def test_the_region_report_section_and_the_workbook_sheet(method2_rounds):
    from openpyxl import Workbook

    from reports.followup import render_followup_html, write_review_sheet

    db, lead, q, old, new, sheets = method2_rounds
    item = store.plan_items(db, lead, old)[0]
    store.save_reviews(db, lead, new, [ReviewEntry(item.id, "ongoing", "Remiss <ute>", True)])
    html = render_followup_html(followup.followup_change(db, lead, "19", "2026"), q, "sv")
    assert "<h2>Förändring som betyder något (sedan 2025)</h2>" in html
    assert "<td>1,00 (1,00–1,00)</td><td>4,00 (4,00–4,00)</td><td>3,00 (3,00–3,00)</td><td>säker förbättring</td>" in html
    assert "<li>Förankra strategin – pågår: Remiss &lt;ute&gt;</li>" in html  # escaped, never markup
    assert "Panelen har ändrats" in html
    assert render_followup_html(None, q) .strip() == ""
    wb = Workbook()
    write_review_sheet(wb, store.last_plan(db, lead, new), "sv")
    ws = wb["Uppföljning"]
    assert [c.value for c in ws[4]] == ["Förankra strategin", "Anna", "pågår", "Remiss <ute>", "ja"]
