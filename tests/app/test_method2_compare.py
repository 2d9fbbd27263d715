"""Jämförelse and Översikt for a method-2 round (docs/method.md 10.9–10.10), from answers saved through the
store in a copy of the demo database: tiers with rank intervals lead (never a league table), the interval
plot, low-confidence cells marked in the heatmap and in its table, the change table; the disclosure rule
holds (no tier, rank or interval of another region before publication); method-1 rounds look as before."""

from __future__ import annotations

import json
import re

import pytest

import store
from questionnaires import find, load_regions
from questionnaires.answers import parse
from tests.app.conftest import ANALYST, LEAD, app
from tests.test_method2_national import panel_rows

V2 = "regional-validering@2"
FIRST, SECOND = "2027", "2028"
REGIONS = ["01", "03", "04", "05", "06", "19"]


def _import(db, q, code: str, label: str, rows) -> int:
    document = {"format": "mognad-answers/1", "questionnaire": q.ref, "region": code, "round": label,
                "respondents": [{"id": key, "role": role, "answers": answers} for _, _, key, role, answers in rows]}
    answers, _ = parse(json.dumps(document), find, [r.code for r in load_regions()], q)
    return store.import_answers(db, store.system_identity(), answers).assessment_id


def method2_rounds(db, publish: bool = True) -> None:
    """Two closed method-2 rounds (2027, 2028) with six regions each, submitted through the store; the second
    published only when `publish`."""
    system, q = store.system_identity(), find(V2)
    for label in (FIRST, SECOND):
        store.open_round(db, system, label, V2)
        rows = panel_rows(q, label, first=label == FIRST)
        for code in REGIONS:
            assessment = _import(db, q, code, label, [row for row in rows if row[0] == code])
            store.submit_assessment(db, system, assessment)
        store.close_round(db, system, label)
        if publish or label == FIRST:
            store.publish_round(db, system, label)


def page(name, email, round_, region=None, lang="sv"):
    at = app(lang, email)
    at.session_state["chosen_round"] = round_
    if region:
        at.session_state["chosen_region"] = region
    at.run()
    at.switch_page(f"app/views/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def datasets(at) -> dict:
    """Every chart's named data sets (Streamlit sends them beside the spec, as Arrow)."""
    import pyarrow as pa

    return {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for el in at.get("vega_lite_chart")
            for d in el.proto.datasets}


def frames(at) -> list:
    return [el.value for el in at.dataframe]


@pytest.fixture
def m2_db(demo_db):
    db, passwords = demo_db
    method2_rounds(db)
    return db


def test_comparison_of_a_method_2_round_leads_with_tiers_and_rank_intervals(m2_db):
    at = page("compare", ANALYST, SECOND)
    titles = [s.value for s in at.subheader]
    assert titles.index("Regionerna jämfört med riket") < titles.index("Regioner och dimensioner")
    tiers = next(f for f in frames(at) if "Jämfört med riket" in f.columns)
    assert list(tiers["Jämfört med riket"]) == ["över riket"] + ["i nivå med riket"] * 4 + ["under riket"]
    assert tiers["Region"].iloc[0] == "Region Stockholm" and tiers["Region"].iloc[-1] == "Region Jönköpings län"
    ranks = tiers["Rang, median (90 %-intervall)"]
    assert all(" (" in rank and "–" in rank for rank in ranks)  # never a rank without its interval
    assert "Placering" not in tiers.columns and "Rang" not in tiers.columns
    uncertain = dict(zip(tiers["Region"], tiers["Säkerhet"], strict=True))
    assert uncertain["Region Västmanland"].startswith("Osäkert: bara en partner har svarat")
    assert uncertain["Region Stockholm"] == ""
    assert any("1 över riket, 4 i nivå med riket, 1 under riket." in m.value for m in at.markdown)


def test_the_interval_plot_and_the_heatmap_mark_low_confidence(m2_db):
    at = page("compare", ANALYST, SECOND)
    specs = charts(at)
    dumped = [json.dumps(spec, ensure_ascii=False) for spec in specs]
    interval = next(spec for spec, text in zip(specs, dumped, strict=True) if "interval_hi" in text)
    assert any(layer.get("encoding", {}).get("y2", {}).get("field") == "interval_hi" for layer in interval["layer"])
    heatmap = next(spec for spec, text in zip(specs, dumped, strict=True) if '"strokeDash"' in text
                   and "Region Sörmland" in text and "interval_hi" not in text)
    dashed = next(layer for layer in heatmap["layer"] if layer.get("mark", {}).get("strokeDash"))
    data = datasets(at)[dashed["data"]["name"]]
    framed = set(zip(data.loc[data["uncertain"], "label"], data.loc[data["uncertain"], "dimension"], strict=True))
    assert ("Region Sörmland", "D2") in framed and ("Region Sörmland", "D1") not in framed
    assert not any(label == "Region Stockholm" for label, _ in framed)
    # the text alternative: the heatmap's data table names the uncertain dimensions of each region
    table = next(f for f in frames(at) if "Osäkert i" in f.columns)
    by_region = dict(zip(table["Region"], table["Osäkert i"], strict=True))
    assert by_region["Region Sörmland"] == "D2" and by_region["Region Stockholm"] == ""
    assert by_region["Region Västmanland"].startswith("D1, D2")
    assert any(e.label == "Tabell: Totalpoäng med osäkerhetsintervall mot antal respondenter" for e in at.expander)


def test_the_change_table_marks_no_certain_change(m2_db):
    at = page("compare", ANALYST, SECOND)
    assert "Förändring sedan 2027" in [s.value for s in at.subheader]
    changes = next(f for f in frames(at) if "Slutsats" in f.columns)
    conclusion = dict(zip(changes["Region"], changes["Slutsats"], strict=True))
    assert conclusion["Region Uppsala"] == "säker ökning"
    assert conclusion["Region Stockholm"] == "ingen säker förändring"
    assert conclusion["Region Östergötland"] == "ingen säker förändring"


def test_the_comparison_in_english(m2_db):
    at = page("compare", ANALYST, SECOND, lang="en")
    tiers = next(f for f in frames(at) if "Compared with the country" in f.columns)
    assert "above the national level" in set(tiers["Compared with the country"])
    changes = next(f for f in frames(at) if "Conclusion" in f.columns)
    assert "no certain change" in set(changes["Conclusion"])


def test_no_tier_rank_or_interval_of_another_region_before_publication(demo_db):
    db, _ = demo_db
    method2_rounds(db, publish=False)
    at = page("compare", LEAD, SECOND)
    assert any("inte publicerad" in i.value for i in at.info)
    titles = [s.value for s in at.subheader]
    assert "Regionerna jämfört med riket" not in titles and "Förändring sedan 2027" not in titles
    everything = json.dumps(charts(at), ensure_ascii=False) + " ".join(str(f.to_dict()) for f in frames(at)) \
        + " ".join(str(t.value) for t in at.table) + " ".join(m.value for m in at.markdown)
    for name in ("Region Stockholm", "Region Jönköpings län", "Region Sörmland", "i nivå med riket", "Rang, median"):
        assert name not in everything
    assert not re.search(r"(över|under) riket\b", everything)  # ("över rikets median" is the region's own profile)


def test_a_method_1_round_looks_as_before(m2_db):
    at = page("compare", ANALYST, "2025")
    titles = [s.value for s in at.subheader]
    assert titles[0] == "Regioner och dimensioner"
    assert "Regionerna jämfört med riket" not in titles and not any(t.startswith("Förändring sedan") for t in titles)
    assert not any('"strokeDash"' in json.dumps(spec) for spec in charts(at))


def test_overview_counts_missing_partners_and_flags_uncertain_dimensions(demo_db):
    db, _ = demo_db
    system, q = store.system_identity(), find(V2)
    store.open_round(db, system, "2029", V2)
    region_answers = {ind.id: 3 for ind in q.indicators if ind.applies_to("region")}
    assessment = _import(db, q, "19", "2029", [("19", "2029", "r1", "region", region_answers)])
    store.add_respondent(db, system, assessment, "Kommunen", "kommun")  # a partner who has answered nothing
    at = page("overview", LEAD, "2029", region="19")
    d1 = q.dimension_by_id["D1"]
    asked = sum(ind.applies_to("region") + ind.applies_to("kommun") for ind in d1.indicators)
    answered = sum(ind.applies_to("region") for ind in d1.indicators)
    table = at.table[0].value
    row = next(i for i in table.index if str(i).startswith("D1 "))
    assert table.loc[row, "Fullständighet"] == f"{round(100 * answered / asked)}\u00a0%"
    assert table.loc[row, "Säkerhet"].startswith("Osäkert: bara en partner har svarat")
    said = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert "en partner som inte har svarat sänker den" in said and "1 av 2 partner" in said
