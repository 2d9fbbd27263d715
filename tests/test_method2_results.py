"""Method 2's uncertainty where people read results: the region report (HTML) and Resultat say "Osäkert: …"
in plain words, show the 90 % intervals and the foundation flag; method 1's report is unchanged."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from questionnaires import load
from questionnaires.answers import parse
from questionnaires.regions import load_regions
from reports.model import region_report_from_answers
from reports.region_html import render_region_html
from tests.conftest import EXAMPLE, EXAMPLE_ANSWERS, ROOT

EXAMPLE_2 = ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml"
ANSWERS_2 = ROOT / "docs" / "examples" / "metodexempel-2-svar.json"


def report_of(definition, answers_file):
    q = load(definition)
    answers, q = parse(answers_file.read_bytes(), lambda ref: q, [r.code for r in load_regions()], q)
    return region_report_from_answers(answers, q, generated_at=dt.datetime(2026, 3, 12))


def test_the_report_model_carries_intervals_low_confidence_and_flags():
    report = report_of(EXAMPLE_2, ANSWERS_2)
    assert report.intervals == {"overall": (2.764, 2.847), "D1": (1.625, 1.875), "D2": (3.333, 3.333)}
    assert report.low_confidence == {"overall": ("completeness",)}
    assert report.flags == ("foundation",)
    assert [p.dimension for p in report.proposals] == ["D1", "D2"]  # method 2's plan: the foundation first
    plain = report_of(EXAMPLE, EXAMPLE_ANSWERS)
    assert (plain.intervals, plain.low_confidence, plain.flags) == ({}, {}, ())


def test_the_region_report_says_what_is_uncertain_in_plain_words():
    html = render_region_html(report_of(EXAMPLE_2, ANSWERS_2), "sv")
    assert "Osäkerhetsintervall (90\u00a0%)" in html or "Osäkerhetsintervall (90 %)" in html
    assert "1,62–1,88" in html and "2,76–2,85" in html
    assert "Osäkert: bara 89\u00a0% av frågorna har fått ett svar." in html
    assert "Instabil grund: en grunddimension (D1) ligger under 2,0" in html
    assert "Konsensusvärde (D1.2)" in html and "Utkast till handlingsplan, version 2026-02-10" in html
    assert "2026-03-12 · Regionala valideringsforumet, workshop 12 mars" in html
    assert "Rollernas medianer: Region (regionalt utvecklingsansvarig aktör) 4,0; Kommun/komvux 0,5" in html
    english = render_region_html(report_of(EXAMPLE_2, ANSWERS_2), "en")
    assert "Uncertain: only 89% of the questions have been answered." in english
    assert "Osäker" not in render_region_html(report_of(EXAMPLE, EXAMPLE_ANSWERS), "sv")


def _results_part(lang: str = "sv"):
    import datetime as dt

    import streamlit as st

    from app.parts import results as rv
    from questionnaires import load
    from questionnaires.answers import parse
    from questionnaires.regions import load_regions
    from reports.model import region_report_from_answers
    from tests.conftest import ROOT

    st.session_state["lang"] = st.session_state.get("lang", "sv")
    q = load(ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml")
    raw = (ROOT / "docs" / "examples" / "metodexempel-2-svar.json").read_bytes()
    answers, q = parse(raw, lambda ref: q, [r.code for r in load_regions()], q)
    rv.uncertainty(region_report_from_answers(answers, q, generated_at=dt.datetime(2026, 3, 12)))


def test_resultat_warns_in_words_a_politician_understands():
    at = AppTest.from_function(_results_part)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert "Osäkert: bara 89\u00a0% av frågorna har fått ett svar." in warnings[0]
    assert any(w.startswith("Instabil grund") for w in warnings)
    shown = " ".join(m.value for m in at.markdown)
    assert "1,62–1,88" in shown and "3,33–3,33" in shown
    at.session_state["lang"] = "en"
    at.run()
    assert "Uncertain: only 89% of the questions have been answered." in at.warning[0].value
