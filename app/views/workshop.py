"""Workshop: the region's partnership assesses together — the facilitator's console (plan, open, show each
indicator, reveal, second vote, record the consensus value with its evidence, the report)."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import t
from app.parts import workshop as pw

ctx = require("workshop")
db, who = ctx.db, ctx.who
st.title(t("page_workshop"))
st.write(t("ws_intro"))
chosen = ui.round_or_stop([r for r in store.list_rounds(db, who) if r.status == "open"])
region = ui.region_or_stop([code for code in store.regions_to_fill(who) if store.may_manage(who, code)],
                           empty="no_access_page")
assessment = ui.assessment_or_stop(db, who, region, chosen.label, may_start=True)
q = db.questionnaire(assessment.questionnaire)
editable = assessment.round_open and assessment.status in ("draft", "reopened")
if not editable:
    st.info(t("ws_not_editable", reason=ui.status_label(assessment.status)))
if q.method == 1:
    st.info(t("ws_method1"))
found = pw.choose(db, who, assessment, q, editable)
if found is None:
    st.stop()
pw.status(db, who, found, q)
if found.status == "open":
    pw.navigator(db, who, found, q)
    pw.live(db, who, found.id, found.step, q)
    pw.result(db, who, found, q)
st.divider()
pw.report_downloads(db, who, found)
