"""Jämförelse: every region side by side. National users (and everyone, once a round is published) see
regions by name; regional users otherwise see their own region and anonymous aggregates only."""

import streamlit as st

import store
from app import compare_views as cv
from app import components as ui
from app import data
from app.context import require
from app.i18n import lang, t

ctx = require("compare")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_compare"))
chosen = ui.round_or_stop(store.list_rounds(db, who))
q = db.questionnaire(chosen.questionnaire)
scores, roster, _ = data.comparison(db, who, q)
named = who.is_national or chosen.published
peer_by = st.radio(t("peer_group"), ["size_group", "nuts2"], horizontal=True, key="compare_peer_by",
                   format_func=ui.labels(["size_group", "nuts2"], lambda key: t(f"peer_{key}")))
group = cv.group_filter(roster, peer_by) if named else None
report = cv.national(scores, q, chosen.label, roster, data.round_order(db, who), named, peer_by, only_group=group)
if report is None:
    st.info(t("no_submitted", round=chosen.label))
    st.stop()
st.markdown(t("compare_intro", n=report.participating, round=chosen.label))
if not named:
    st.info(t("anonymous_notice"))

if named:
    cv.heatmap(report)
    cv.distribution(report)
else:
    cv.own_profiles(db, who, q, chosen.label, peer_by)
cv.summary_table(report)
cv.stages(report)
cv.trend(report)
if named:
    cv.quality(report)
