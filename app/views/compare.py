"""Jämförelse: every region side by side. National users (and everyone, once a round is published) see
regions by name; regional users otherwise see their own region and anonymous aggregates only."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.memo import remembered
from app.parts import compare as cv
from questionnaires import load_regions
from service.reports import NoResults, national_report

ctx = require("compare")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_compare"))
rounds = store.list_rounds(db, who)  # once per run: the round chooser and the change between two rounds
chosen = ui.round_or_stop(rounds)
q = db.questionnaire(chosen.questionnaire)
named = who.is_national or chosen.published
peer_by = st.radio(t("peer_group"), ["size_group", "nuts2"], horizontal=True, key="compare_peer_by",
                   format_func=ui.labels(["size_group", "nuts2"], lambda key: t(f"peer_{key}")))
group = cv.group_filter(load_regions(), peer_by) if named else None
key = (chosen.label, named, peer_by, group)
try:  # the page and the national report read the same model
    report = remembered(db, who, "national_report", key,
                        lambda: national_report(db, who, chosen.label, named=named, peer_by=peer_by,
                                                only_group=group, lang=L))
except NoResults:
    report = None
if report is None:
    st.info(t("no_submitted", round=chosen.label))
    st.stop()
st.markdown(t("compare_intro", n=report.participating, round=chosen.label))
if not named:
    st.info(t("anonymous_notice"))

memo = cv.drawings(db, who, key)  # the charts of this report, built once per data version
if named:
    cv.tiers(report, memo)  # method 2: tiers with rank intervals and the interval plot lead (nothing for method 1)
    cv.heatmap(report, memo)  # sortable by any dimension, the weakest first
    cv.region_changes(db, who, report, rounds, memo)  # each region between two chosen rounds
    cv.distribution(report, memo)
    cv.changes(report)  # method 2: the change since the previous round, certain or not
else:
    cv.own_profiles(db, who, q, chosen.label, peer_by)
cv.summary_table(report, memo)
cv.stages(report, memo)
cv.trend(report, memo)
if named:
    cv.quality(report, memo)
