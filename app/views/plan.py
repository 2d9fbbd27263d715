"""Handlingsplan: proposals from the gap analysis, the plan editor (SMART fields, status), the Excel round
trip, and last round's plan beside the score changes."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.memo import remembered
from app.parts import plan as plan_views
from app.parts import plan_review, workshop_plan
from questionnaires.actionplan import FIELDS, STATUSES
from service.reports import NoResults, region_report

ctx = require("plan")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_plan"))
rounds = store.list_rounds(db, who)
chosen = ui.round_or_stop(rounds)
region = ui.region_or_stop(ui.result_regions(db, who, chosen))
assessment = ui.assessment_or_stop(db, who, region, chosen.label)
q = db.questionnaire(assessment.questionnaire)
try:
    items = store.plan_items(db, who, assessment.id)
    version = store.plan_version(db, who, assessment.id)
except store.Forbidden:
    st.info(t("plan_not_visible"))
    st.stop()
may_edit = store.may_manage(who, region) and chosen.open
st.header(t("region_round", region=ui.region_name(region), round=chosen.label))
if not may_edit:
    st.info(t("plan_read_only"))
plan_review.section(db, who, assessment, may_edit)  # a follow-up round: review last round's actions first

try:  # read and scored once: proposals, the workbook and last round's changes all come from it
    report = remembered(db, who, "region_report", (region, chosen.label, "size_group", L),
                        lambda: region_report(db, who, region, chosen.label, lang=L))
except (NoResults, store.Forbidden):
    report = None
st.subheader(t("plan_heading"))
plan_views.proposal_list(db, who, q, assessment, plan_views.proposals(report), items, version, may_edit)
workshop_plan.clarify(db, who, assessment, q, items, version, may_edit)  # disagreement in a workshop

st.subheader(t("plan_items_heading"))
frame = plan_views.items_frame(items)
dimension_names = {d.id: f"{d.id} {d.title[L]}" for d in q.dimensions}
config = {
    "id": None,
    "source_action": None,
    "dimension": st.column_config.SelectboxColumn(FIELDS["dimension"][L], options=list(dimension_names),
                                                  format_func=dimension_names.get, required=True),
    "indicators": st.column_config.MultiselectColumn(FIELDS["indicators"][L], options=[i.id for i in q.indicators]),
    "action": st.column_config.TextColumn(FIELDS["action"][L], required=True, max_chars=2000, width="large"),
    "owner": st.column_config.TextColumn(FIELDS["owner"][L], max_chars=200),
    "start": st.column_config.DateColumn(FIELDS["start"][L], format="YYYY-MM-DD"),
    "due": st.column_config.DateColumn(FIELDS["due"][L], format="YYYY-MM-DD"),
    "resources": st.column_config.TextColumn(FIELDS["resources"][L], max_chars=2000),
    "success_indicator": st.column_config.TextColumn(FIELDS["success_indicator"][L], max_chars=2000),
    "status": st.column_config.SelectboxColumn(FIELDS["status"][L], options=list(STATUSES),
                                               format_func=lambda code: STATUSES[code][L], required=True,
                                               default="not_started"),
}
if may_edit:
    plan_views.item_forms(db, who, q, assessment, items, version)  # one action, one form with labelled fields
    with st.expander(t("plan_edit_table")), st.form("plan_form"):  # all at once, and new rows
        edited = st.data_editor(frame, key=f"plan_editor_{assessment.id}_{version}", num_rows="dynamic",
                                hide_index=True, column_config=config, width="stretch")
        saved = st.form_submit_button(t("save_plan"), type="primary", key="save_plan")
    if saved:
        plan_views.save(db, who, q, assessment, edited, frame, version)
else:
    st.dataframe(plan_views.readable(items, q), hide_index=True, width="stretch")
notice = st.session_state.pop("_plan_notice", None)
if notice:
    st.success(notice)

plan_views.excel_round_trip(db, who, q, assessment, items, version, may_edit, report)
plan_views.previous_round(db, who, q, region, chosen, rounds, report)
plan_views.status_summary(items)
