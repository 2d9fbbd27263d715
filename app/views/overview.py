"""Översikt: where the work stands. A region's round for regional users; every region's status nationally."""

import pandas as pd
import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.widgets import dimension_progress, respondent_progress
from questionnaires import load_regions
from reports import formatting as fmt
from service.progress import Snapshot

ctx = require("overview")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_overview"))
chosen = ui.round_or_stop(store.list_rounds(db, who))

if who.is_national:
    assessments = {a.region: a for a in store.list_assessments(db, who, round=chosen.label)}
    progress = ui.round_progress(db, who, chosen)  # each region's share of asked questions answered
    rows = []
    for region in load_regions():
        found = assessments.get(region.code)
        rows.append({
            t("section_region"): region.name,
            t("status"): ui.status_label(found.status) if found else t("not_started"),
            t("answered_progress"): fmt.share(progress[region.code], L) if region.code in progress else fmt.DASH,
            t("submitted_at"): ui.local_date(found.submitted_at) if found else "",
        })
    counts = pd.Series([a.status for a in assessments.values()]).value_counts()
    cols = st.columns(5)  # every status its own count: a reopened analysis is neither a draft nor submitted
    cols[0].metric(t("regions_started"), f"{len(assessments)} / {len(rows)}")
    for col, status in zip(cols[1:], ("submitted", "locked", "reopened", "draft"), strict=True):
        col.metric(ui.status_label(status).capitalize(), int(counts.get(status, 0)))
    st.subheader(t("regions_status", round=chosen.label))
    st.table(pd.DataFrame(rows).set_index(t("section_region")))
    st.stop()

region = ui.choose_region(list(who.regions))
try:
    assessment = store.get_assessment(db, who, region, chosen.label)
except store.NotFound:
    st.info(t("assessment_missing", region=ui.region_name(region), round=chosen.label))
    if who.leads(region) and chosen.open and st.button(t("start_assessment"), type="primary", key="start_assessment"):
        store.ensure_assessment(db, who, region, chosen.label)
        st.rerun()
    st.stop()

st.header(t("region_round", region=ui.region_name(region), round=chosen.label))
st.markdown(f"**{t('status')}:** {ui.status_label(assessment.status)}"
            + (f" · {t('submitted_at')}: {ui.local_date(assessment.submitted_at)}" if assessment.submitted_at else ""))
q = db.questionnaire(assessment.questionnaire)

st.subheader(t("completeness_by_dimension"))
snapshot = Snapshot(db, who, q, assessment)
sheets = store.list_respondents(db, who, assessment.id)
method2 = ui.partner_progress(snapshot, q, sheets) if q.method == 2 else None  # every partner counts
progress = method2[0] if method2 is not None else dimension_progress(snapshot, q)
if progress is None:
    st.write(t("completeness_hidden"))
else:
    for _, row in progress.iterrows():
        st.progress(min(1.0, float(row["completeness"])), text=f"{row['label']}: {fmt.share(row['completeness'], L)}")
    if method2 is not None:  # says how completeness is counted, and why a running score would be uncertain
        st.caption(t("partners_completeness", missing=method2[1], total=method2[2]))
        st.table(progress.set_index("label").rename_axis(t("dimension"))[["completeness_text", "confidence"]].rename(
            columns={"completeness_text": t("completeness"), "confidence": t("confidence")}))
    else:
        st.table(progress.set_index("label").rename_axis(t("dimension"))[["completeness_text"]].rename(columns={"completeness_text": t("completeness")}))

st.subheader(t("respondents"))
people = respondent_progress(snapshot, q, sheets)
if people.empty:
    st.write(t("no_respondents"))
else:
    st.table(people)

if who.leads(region):
    st.subheader(t("latest_changes"))
    entries = store.audit_log(db, who, region=region, limit=10)
    if entries:
        st.table(ui.audit_table(entries).set_index(t("when")))  # in words and in Swedish time
    else:
        st.write(t("no_changes"))
