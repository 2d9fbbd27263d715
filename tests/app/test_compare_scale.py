"""Issue 15: Jämförelse draws its charts and the change between two rounds once per data version, and shows the
same thing as when it built them every run; a save, a submission, a publication or a new round builds them again;
nothing remembered for one person reaches another."""

from __future__ import annotations

import time

import pandas as pd
import pytest

import reports.charts
import service.reports
import store
from app.parts import compare as cv
from questionnaires import load_regions
from reports import formatting as fmt
from store.demo import DRAFT_2026
from tests.app.conftest import ANALYST, LEAD, app

NATIONAL = service.reports.national_report  # the real one, for what the tests expect (uncounted)
CHANGE_COLUMNS = ["Region", "Poäng 2025", "Poäng 2026", "Förändring", "Bland de svagaste nu"]


@pytest.fixture
def built(monkeypatch):
    """How often the heat map's Altair chart and a national report were built, counted where the page calls."""
    calls = {"heatmap": 0, "national_report": 0}
    heatmap, national = reports.charts.heatmap_chart, service.reports.national_report

    def counting_heatmap(*args, **kwargs):
        calls["heatmap"] += 1
        return heatmap(*args, **kwargs)

    def counting_national(*args, **kwargs):
        calls["national_report"] += 1
        return national(*args, **kwargs)

    monkeypatch.setattr(reports.charts, "heatmap_chart", counting_heatmap)
    monkeypatch.setattr(cv, "national_report", counting_national)
    monkeypatch.setattr(service.reports, "national_report", counting_national)  # the page imports it every run
    return calls


def compare_page(email=ANALYST, round_="2026"):
    at = app("sv", email)
    at.session_state["chosen_round"] = round_
    at.run()
    at.switch_page("app/views/compare.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def change_shown(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Bland de svagaste nu" in d.value.columns)


def charts_sent(at) -> list[tuple]:
    """Each chart as the browser gets it: its spec and its datasets' names (content hashes of the data)."""
    return [(c.proto.spec, tuple(d.name for d in c.proto.datasets)) for c in at.get("vega_lite_chart")]


def expected_change(db, now_label="2026", before_label="2025") -> pd.DataFrame:
    """The change table as the method gives it, built here without the page and without any memo."""
    who = store.identity_for_email(db, ANALYST)
    now = NATIONAL(db, who, now_label, named=True)
    before = NATIONAL(db, who, before_label, named=True)
    table = cv.change_table(now, before)

    def signed(v):
        return fmt.DASH if pd.isna(v) else ("+" if v > 0 else "−" if v < 0 else "±") + fmt.decimal(abs(v), "sv", 2)

    return pd.DataFrame({
        "Region": table["label"], "Poäng 2025": [fmt.decimal(v, "sv", 2) for v in table["before"]],
        "Poäng 2026": [fmt.decimal(v, "sv", 2) for v in table["now"]], "Förändring": [signed(v) for v in table["change"]],
        "Bland de svagaste nu": ["ja" if w else "" for w in table["weakest"]]})


def test_a_rerun_draws_the_same_page_without_building_it_again(demo_db, built):
    db, _ = demo_db
    at = compare_page()
    first_table, first_charts = change_shown(at), charts_sent(at)
    assert list(first_table.columns) == CHANGE_COLUMNS
    pd.testing.assert_frame_equal(first_table.reset_index(drop=True), expected_change(db))
    assert len(first_charts) == 5  # heat map, change between rounds, distribution, stages, trend
    assert built == {"heatmap": 1, "national_report": 2}  # 2026 for the page, 2025 for the change

    at.radio(key="compare_peer_by").set_value("nuts2").run()  # another report: its own drawings
    assert built == {"heatmap": 2, "national_report": 3}  # the 2025 report is not built again for the change
    at.radio(key="compare_peer_by").set_value("size_group").run()  # back: nothing is built
    at.run()
    assert built == {"heatmap": 2, "national_report": 3}
    pd.testing.assert_frame_equal(change_shown(at), first_table)
    assert charts_sent(at) == first_charts  # the same specs and the same data, byte for byte

    sort = at.selectbox(key="heatmap_sort_sv")
    sort.set_value("D3").run()  # another order: one heat map more
    assert built["heatmap"] == 3
    at.selectbox(key="heatmap_sort_sv").set_value("report").run()
    assert built["heatmap"] == 3 and charts_sent(at) == first_charts


def test_a_submission_a_publication_a_new_round_or_a_save_builds_the_page_again(demo_db, built):
    db, _ = demo_db
    admin = store.system_identity()
    at = compare_page()
    region = sorted(DRAFT_2026 - {"19"})[0]  # a draft of 2026 that is not the demo lead's
    who = store.identity_for_email(db, ANALYST)
    name = NATIONAL(db, who, "2025", named=True).labels[region]
    assert name not in set(change_shown(at)["Region"])  # not in 2026 yet
    assert built["heatmap"] == 1

    store.submit_assessment(db, admin, store.get_assessment(db, admin, region, "2026").id)  # now it counts
    at.run()
    assert built["heatmap"] == 2
    after = change_shown(at)
    assert after.set_index("Region").loc[name, "Poäng 2026"] not in ("", fmt.DASH)
    pd.testing.assert_frame_equal(after.reset_index(drop=True), expected_change(db))

    store.publish_round(db, admin, "2025-pilot")  # a publication
    at.run()
    assert built["heatmap"] == 3

    store.open_round(db, admin, "2027", store.get_round(db, admin, "2026").questionnaire)  # a new round
    at.run()
    assert built["heatmap"] == 4
    assert "2027" in at.selectbox(key="change_to_2026").options

    lead = store.identity_for_email(db, LEAD)
    sheet = store.list_respondents(db, lead, store.get_assessment(db, lead, "19", "2026").id)[0]
    store.save_answer(db, lead, sheet.id, "D1.1", 2, comment="ändrad")  # a save anywhere
    at.run()
    assert built["heatmap"] == 5
    pd.testing.assert_frame_equal(change_shown(at).reset_index(drop=True), expected_change(db))


def test_a_regional_lead_in_the_same_session_never_gets_the_analysts_drawings(demo_db):
    at = compare_page()  # the analyst fills the memo with named drawings of 2026
    at.session_state["auth_email"] = LEAD  # another person in the same browser session; 2026 is unpublished
    at.session_state["auth_last_seen"] = time.time()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not [d for d in at.dataframe if "Bland de svagaste nu" in d.value.columns]
    assert not [s for s in at.selectbox if s.key and s.key.startswith(("change_", "heatmap_sort"))]
    shown = " ".join([m.value for m in at.markdown] + [c.proto.spec for c in at.get("vega_lite_chart")]
                     + [" ".join(d.value.astype(str).to_numpy().ravel()) for d in at.dataframe]
                     + [" ".join(d.value.astype(str).to_numpy().ravel()) for d in at.table])
    others = [region.name for region in load_regions() if region.code not in {"19", "03"}]  # the lead's own
    assert len(others) == 19
    assert [name for name in others if name in shown] == []


def _two_charts():
    import altair as alt
    import pandas as pd
    import streamlit as st

    from app.parts import compare as cv

    frame = pd.DataFrame({"region": ["Region A", "Region B"], "score": [1.25, 2.5]})
    figure = alt.Chart(frame).mark_bar().encode(x="region:N", y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 4])))
    st.altair_chart(figure, theme=None, key="chart_plain")  # what ui.chart sends
    memo = st.session_state.setdefault("drawings", {})

    def build():
        st.session_state["builds"] = st.session_state.get("builds", 0) + 1
        return "Titel", "Beskrivning", figure, frame, "remembered", None

    cv.chart(memo, ("bars",), build)


def test_a_remembered_chart_reaches_the_browser_as_st_altair_chart_sends_it():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_two_charts, default_timeout=60).run()
    for _ in range(2):  # the first run builds the spec, the second draws it from the memo
        assert not at.exception, [e.message for e in at.exception]
        plain, remembered = (c.proto for c in at.get("vega_lite_chart"))
        assert remembered.spec == plain.spec
        assert [(d.name, d.data.data) for d in remembered.datasets] == [(d.name, d.data.data) for d in plain.datasets]
        assert (remembered.theme, remembered.use_container_width) == (plain.theme, plain.use_container_width)
        assert len(remembered.datasets) == 1 and "Region B" in at.dataframe[0].value["region"].tolist()
        at.run()
    assert at.session_state["builds"] == 1
