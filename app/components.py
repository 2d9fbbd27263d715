"""Building blocks shared by several pages: result tables with Swedish number formatting."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.i18n import lang, t
from questionnaires.model import Questionnaire
from reports import formatting as fmt


def stage_text(stage_label: str | None, reason: str | None = None) -> str:
    if stage_label:
        return stage_label
    return t("no_applicable") if reason == "not_applicable" else t("insufficient")


def overall_metrics(summary: dict) -> None:
    L = lang()
    overall = summary["overall"]
    left, middle, right = st.columns(3)
    left.metric(t("overall"), fmt.decimal(overall["score"], L, 2))
    middle.metric(t("percent"), fmt.percent(overall["percent"], L))
    right.metric(t("col_stage"), stage_text(overall["stage_label"]))


def dimension_table(summary: dict, q: Questionnaire) -> pd.DataFrame:
    L = lang()
    rows = []
    for dim in summary["dimensions"]:
        rows.append({
            t("dimension"): f"{dim['id']} {q.dimension_by_id[dim['id']].title[L]}",
            t("score"): fmt.decimal(dim["score"], L, 2),
            t("percent"): fmt.percent(dim["percent"], L),
            t("col_stage"): stage_text(dim["stage_label"]),
            t("completeness"): fmt.share(dim["completeness"], L),
        })
    return pd.DataFrame(rows).set_index(t("dimension"))


def disagreement_list(summary: dict, q: Questionnaire) -> None:
    L = lang()
    flagged = [i for i in summary["indicators"] if i["disagreement"]]
    st.subheader(t("disagreement_heading"))
    if not flagged:
        st.write(t("no_disagreement"))
        return
    st.table(pd.DataFrame([{t("indicator"): f"{i['id']} {q.indicator_by_id[i['id']].statement[L]}",
                            t("value"): fmt.decimal(i["value"], L, 1), t("spread"): fmt.decimal(i["spread"], L, 0)}
                           for i in flagged]).set_index(t("indicator")))


def indicator_table(summary: dict, q: Questionnaire) -> pd.DataFrame:
    L = lang()
    return pd.DataFrame([{
        t("indicator"): f"{i['id']} {q.indicator_by_id[i['id']].statement[L]}",
        t("value"): fmt.decimal(i["value"], L, 1),
        t("status"): t(f"status_{i['status']}"),
        t("respondents"): i["respondents"],
        t("spread"): fmt.decimal(i["spread"], L, 0),
    } for i in summary["indicators"]]).set_index(t("indicator"))


def plan_proposals(summary: dict, q: Questionnaire) -> None:
    L = lang()
    st.subheader(t("plan_heading"))
    for item in summary["plan"]:
        if not item["gap"]:
            continue
        dimension = q.dimension_by_id[item["dimension"]]
        stage = next(s for s in q.stages if s.id == item["target_stage"])
        st.markdown(f"**{dimension.id} {dimension.title[L]}** – {t('target')}: {stage.name[L]} "
                    f"({fmt.decimal(item['target'], L)}), {t('gap')} {fmt.decimal(item['gap'], L, 2)}, "
                    f"{t('priority')} {fmt.decimal(item['priority'], L, 2)}")
        st.markdown("\n".join(f"- {a['indicator']} {a['from_level']}→{a['to_level']}: {a['text']}" for a in item["actions"]))
