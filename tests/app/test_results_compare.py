"""Resultat and Jämförelse: the same numbers as the method, charts with tables, and the publication rule."""

from __future__ import annotations

import json

import pytest

import store
from scoring import plan, region_summary, score
from tests.app.conftest import ANALYST, LEAD, VIEWER, app


def page(name, email, region=None, round_=None, lang="sv", query=None):
    at = app(lang, email)
    if region:
        at.session_state["chosen_region"] = region
    if round_:
        at.session_state["chosen_round"] = round_
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app/views/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def test_results_show_the_methods_numbers_with_chart_and_table(demo_db):
    db, _ = demo_db
    at = page("results", VIEWER, "19", "2025")
    q = db.questionnaire("regional-validering@1")
    sheet, _ = store.answer_sheet(db, store.system_identity(), q.ref, rounds=["2025"], regions=["19"])
    scores = score(sheet, q)
    summary = region_summary(scores, plan(scores, q), q, "19", "2025", "sv")
    from reports import formatting as fmt

    assert [m.value for m in at.metric] == [fmt.decimal(summary["overall"]["score"], "sv", 2),
                                          fmt.percent(summary["overall"]["percent"], "sv"),
                                          summary["overall"]["stage_label"]]
    assert at.header[0].value == "Region Västmanland – omgång 2025"
    assert charts(at), "the profile chart"
    assert any(e.label.startswith("Tabell: Profil") for e in at.expander)
    assert any(s.value == "Så räknades det" for s in at.subheader)


def test_results_drill_down_lists_each_respondents_answer(demo_db):
    at = page("results", LEAD, "19", "2025")
    at.selectbox(key="drill_dimension").select("D3").run()
    assert not at.exception
    assert any(e.label.startswith("D3.1 · ") for e in at.expander)
    assert at.table  # respondent × answer tables


def test_a_regional_user_cannot_open_another_regions_unpublished_results(demo_db):
    # a forged choice and a forged query parameter: the picker offers own regions only
    at = page("results", LEAD, "01", "2026", query={"region": "01"})
    options = at.selectbox(key="_w_chosen_region_sv").options
    assert set(options) == {"Region Uppsala", "Region Västmanland"}
    assert "Region Stockholm" not in at.header[0].value


def test_the_store_refuses_another_regions_draft_whatever_the_page_does(demo_db):
    db, _ = demo_db
    lead = store.identity_for_email(db, LEAD)
    sheet, _ = store.answer_sheet(db, lead, "regional-validering@1", rounds=["2026"], regions=["23"])
    assert sheet.empty  # Jämtland's 2026 draft is not the lead's
    with pytest.raises(store.Forbidden):
        store.list_respondents(db, lead, store.get_assessment(db, store.system_identity(), "23", "2026").id)


def test_comparison_names_regions_for_national_users(demo_db):
    at = page("compare", ANALYST, round_="2026")
    assert not [i for i in at.info if "inte publicerad" in i.value]
    titles = [s.value for s in at.subheader]
    assert "Regioner och dimensioner" in titles and "Spridning per dimension" in titles
    heatmap = charts(at)[0]
    assert "Region Stockholm" in json.dumps(heatmap, ensure_ascii=False)


def test_comparison_is_anonymous_for_regions_before_publication(demo_db):
    at = page("compare", LEAD, round_="2026")
    assert any("inte publicerad" in i.value for i in at.info)
    titles = [s.value for s in at.subheader]
    assert "Regioner och dimensioner" not in titles and "Spridning per dimension" not in titles
    everything = json.dumps(charts(at), ensure_ascii=False) + " ".join(str(t.value) for t in at.table)
    assert "Region Stockholm" not in everything and "Region Skåne" not in everything
    assert "Rikets median och kvartiler" in titles


def test_comparison_is_named_once_the_round_is_published(demo_db):
    at = page("compare", LEAD, round_="2025")
    assert not [i for i in at.info if "inte publicerad" in i.value]
    assert "Region Stockholm" in json.dumps(charts(at), ensure_ascii=False)


def test_comparison_peer_group_filter(demo_db):
    at = page("compare", ANALYST, round_="2025")
    at.selectbox(key="compare_group_size_group_sv").select("A").run()
    assert not at.exception
    heatmap = json.dumps(charts(at)[0], ensure_ascii=False)
    assert "Region Stockholm" in heatmap and "Region Gotland" not in heatmap
    assert any(m.value.startswith("3 regioner med inlämnade resultat") for m in at.markdown)


def test_comparison_in_english(demo_db):
    at = page("compare", ANALYST, round_="2025", lang="en")
    assert at.title[0].value == "Comparison"
    assert "Regions and dimensions" in [s.value for s in at.subheader]
