"""Räkna på en svarsfil: score an uploaded answers file without storing anything."""

import streamlit as st

from app import widgets as ui
from app.i18n import lang, t
from questionnaires.answers import MAX_BYTES
from questionnaires.regions import region_by_code
from service.answers import read_answers
from service.summary import answers_summary

L = lang()
st.title(t("page_score_file"))
st.write(t("score_file_intro"))
upload = st.file_uploader(t("answers_file"), type=["json", "xlsx"], key="score_file_upload",
                          max_upload_size=MAX_BYTES // 2**20)
if upload is not None:
    result = read_answers(upload.name, upload.getvalue(), lang=L)
    if isinstance(result, list):
        ui.problem_list(result)
        st.stop()
    answers, q = result
    summary = answers_summary(answers, q, L)
    st.header(t("region_round", region=region_by_code()[answers.region].name, round=answers.round))
    st.markdown(f"{q.title[L]} ({q.ref}) · {t('respondents')}: {len(answers.respondents)}")
    ui.overall_metrics(summary)
    st.subheader(t("dimension"))
    st.table(ui.dimension_table(summary, q))
    st.markdown(t("method_link"))
    ui.disagreement_list(summary, q)
    ui.plan_proposals(summary, q)
    with st.expander(t("indicator")):
        st.table(ui.indicator_table(summary, q))
