"""Resultat: a region's profile — scores and stages with data quality, the comparison with the national and
peer-group medians, strengths and gaps, disagreement, change since last round, and "så räknades det"."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.memo import remembered
from app.parts import results as rv
from service.reports import NoResults, region_report

ctx = require("results")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_results"))
chosen = ui.round_or_stop(store.list_rounds(db, who))
region = ui.region_or_stop(ui.result_regions(db, who, chosen))
assessment = ui.assessment_or_stop(db, who, region, chosen.label)
q = db.questionnaire(assessment.questionnaire)
peer_by = st.radio(t("peer_group"), ["size_group", "nuts2"], horizontal=True, key="peer_by",
                   format_func=ui.labels(["size_group", "nuts2"], lambda key: t(f"peer_{key}")))
try:  # one report: the page, its drill-down and the downloads show the same numbers
    report = remembered(db, who, "region_report", (region, chosen.label, peer_by, L),
                        lambda: region_report(db, who, region, chosen.label, peer_by=peer_by, lang=L))
except (NoResults, store.Forbidden):
    report = None
if report is None:
    st.info(t("no_results_visible"))
    st.stop()

st.header(t("region_round", region=report.region.name, round=chosen.label))
st.markdown(f"**{t('status')}:** {ui.status_label(assessment.status)} · {q.title[L]} ({q.ref})")
ui.overall_metrics(report.summary)
rv.quality_badge(report)
rv.uncertainty(report)
rv.profile(report, peer_by)
rv.strengths_and_gaps(report)
ui.disagreement_list(report.summary, q)
rv.changes(report)
rv.drill_down(report)
