"""Issue 14, the analyst's view: each region's change between two chosen rounds, a heat map in any dimension's
order, and the national Översikt with each region's response progress."""

from __future__ import annotations

import store
from app.parts import compare as cv
from service.reports import national_report
from tests.app.conftest import ANALYST, app


def page(name, round_="2026"):
    at = app("sv", ANALYST)
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page(f"app/views/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_each_regions_change_between_two_rounds(demo_db):
    db, _ = demo_db
    who = store.identity_for_email(db, ANALYST)
    now = national_report(db, who, "2026", named=True, lang="sv")
    before = national_report(db, who, "2025", named=True, lang="sv")
    table = cv.change_table(now, before)
    changes = table["change"].dropna().tolist()
    assert changes == sorted(changes)  # the largest fall first
    assert table["weakest"].sum() == 3
    assert set(table[table["weakest"]]["region"]) == set(now.overall["score"].nsmallest(3).index)

    at = page("compare")
    assert at.selectbox(key="change_from_2026").value == "2025" and at.selectbox(key="change_to_2026").value == "2026"
    shown = next(d.value for d in at.dataframe if "Bland de svagaste nu" in d.value.columns)
    assert list(shown.columns) == ["Region", "Poäng 2025", "Poäng 2026", "Förändring", "Bland de svagaste nu"]
    assert shown.iloc[0]["Region"] == now.labels[table.iloc[0]["region"]]
    assert "Förändring per region mellan två omgångar" in [s.value for s in at.subheader]
    assert "Totalpoäng 2025 och 2026 per region" in [s.value for s in at.subheader]


def test_the_first_round_is_compared_with_the_next(demo_db):
    at = page("compare", round_="2025")
    assert at.selectbox(key="change_from_2025").value == "2025" and at.selectbox(key="change_to_2025").value == "2026"
    assert any("Bland de svagaste nu" in d.value.columns for d in at.dataframe)


def test_the_heat_map_is_ordered_by_any_dimension(demo_db):
    db, _ = demo_db
    who = store.identity_for_email(db, ANALYST)
    report = national_report(db, who, "2026", named=True, lang="sv")
    order = cv.sorted_order(report, "D3")
    d3 = report.dimensions.xs("D3", level="dimension")["score"]
    scored = [code for code in order if code in d3.index and d3[code] == d3[code]]
    assert [float(d3[c]) for c in scored] == sorted(float(d3[c]) for c in scored)
    at = page("compare")
    sort = at.selectbox(key="heatmap_sort_sv")
    assert sort.options[:3] == ["Som i rapporten", "Lägst totalt först", "Lägst i D1 Mandat och styrning först"]
    sort.set_value("D3").run()
    assert not at.exception


def test_the_national_overview_shows_each_regions_progress(demo_db):
    at = page("overview")
    table = at.table[-1].value
    assert list(table.columns) == ["Status", "Besvarat", "Inlämnad"]
    assert table.index.name == "Region"
    assert all(value.endswith("\xa0%") or value == "–" for value in table["Besvarat"])  # Babel: 91 %


def test_a_region_sees_the_change_only_between_published_rounds(demo_db):
    from tests.app.conftest import LEAD

    at = app("sv", LEAD)
    at.session_state["chosen_round"] = "2025"
    at.run()
    at.switch_page("app/views/compare.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key and s.key.startswith("change_")]  # 2026 is not published
    assert ("Det finns ingen annan omgång att jämföra med: den behöver samma version av instrumentet och, för "
            "regionala användare, vara publicerad.") in [m.value for m in at.markdown]


def test_the_change_is_remembered_per_pair_of_rounds_and_per_language(demo_db):
    """Issue 15: the page remembers the change table per pair of rounds and language; another pair or language
    is its own, and coming back shows exactly what was shown before."""
    at = page("compare")
    first = next(d.value for d in at.dataframe if "Bland de svagaste nu" in d.value.columns)
    at.selectbox(key="change_from_2026").set_value("2026").run()
    at.selectbox(key="change_to_2026").set_value("2025").run()  # backwards: the change has the other sign
    backwards = next(d.value for d in at.dataframe if "Bland de svagaste nu" in d.value.columns)
    assert list(backwards.columns) == ["Region", "Poäng 2026", "Poäng 2025", "Förändring", "Bland de svagaste nu"]
    signs = {row["Region"]: row["Förändring"][0] for _, row in first.iterrows() if row["Förändring"] != "–"}
    flipped = {row["Region"]: row["Förändring"][0] for _, row in backwards.iterrows() if row["Förändring"] != "–"}
    assert {r: {"+": "−", "−": "+", "±": "±"}[s] for r, s in signs.items()} == flipped
    at.selectbox(key="change_from_2026").set_value("2025").run()
    at.selectbox(key="change_to_2026").set_value("2026").run()
    again = next(d.value for d in at.dataframe if "Bland de svagaste nu" in d.value.columns)
    assert again.equals(first)
    switch = next(b for b in at.get("button_group") if b.key == "_language_switch")
    switch.set_value("en").run()
    at.run()
    english = next(d.value for d in at.dataframe if "Among the weakest now" in d.value.columns)
    assert list(english.columns) == ["Region", "Score 2025", "Score 2026", "Change", "Among the weakest now"]
    assert english["Region"].tolist() == first["Region"].tolist()
