"""Export: the reports, built only when someone clicks (a download button with a callable)."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.parts import export as exports

ctx = require("export")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_export"))
st.write(t("export_intro"))
chosen = ui.round_or_stop(store.list_rounds(db, who))
q = db.questionnaire(chosen.questionnaire)
language = st.radio(t("report_language"), ["sv", "en"], horizontal=True, key="export_language",
                    format_func=lambda code: {"sv": "Svenska", "en": "English"}[code], index=["sv", "en"].index(L))

st.header(t("region_exports"))
codes = ui.result_regions(db, who, chosen)
if not codes:
    st.write(t("no_results_visible"))
else:
    region = ui.choose_region(codes)
    exports.region_downloads(db, who, q, region, chosen, language)

if who.is_national or chosen.published:
    st.header(t("national_exports"))
    exports.national_downloads(db, who, q, chosen, language)
