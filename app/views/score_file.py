"""Räkna på en svarsfil: score an uploaded answers file without storing anything."""

import streamlit as st

from app import components as ui
from app.i18n import lang, t
from questionnaires import find, load_regions
from questionnaires.answers import MAX_BYTES, AnswersError, parse
from questionnaires.regions import region_by_code
from scoring import plan, region_summary, score
from scoring.sheet import from_answers_file

L = lang()
st.title(t("page_score_file"))
st.write(t("score_file_intro"))
upload = st.file_uploader(t("answers_file"), type=["json"], key="score_file_upload", max_upload_size=MAX_BYTES // 2**20)
if upload is not None:
    try:
        answers, q = parse(upload.getvalue(), find, [r.code for r in load_regions()])
    except AnswersError as exc:
        st.error(t("file_problems") + "\n\n" + "\n".join(f"- {p.render(L, upload.name)}" for p in exc.problems))
        st.stop()
    scores = score(from_answers_file(answers, q), q)
    summary = region_summary(scores, plan(scores, q), q, answers.region, answers.round, L)
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
