"""The comparison page's parts, drawn from a NationalReport (reports.model) so the page and the national
report agree. Individual regions appear only where names may be shown; otherwise only aggregates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from app.memo import remembered
from reports import charts, describe
from reports import formatting as fmt
from scoring.compare import peer_groups
from service.reports import NoResults, region_report


def group_filter(roster, peer_by: str) -> str | None:
    groups = sorted(set(peer_groups(roster, peer_by).values()))
    options = ["", *groups]
    choice = st.selectbox(t("show_group"), options, key=f"compare_group_{peer_by}_{lang()}",
                          format_func=ui.labels(options, lambda g: g or t("all_regions")))
    return choice or None


def heatmap(report) -> None:
    L = lang()
    figure, table = charts.heatmap_chart(report.dimensions, report.labels, report.order, report.q, L)
    ui.chart(t("heatmap_title"), describe.heatmap(table, report.q, L), figure, table, "heatmap")


def distribution(report) -> None:
    L = lang()
    figure, table = charts.distribution_chart(report.dimensions, report.national, report.q, L)
    ui.chart(t("distribution_title"), describe.distribution(table, L), figure, table, "distribution",
             {"title": t("dimension"), "n": t("count"), "min": "min", "q1": t("national_q1"),
              "median": t("national_median"), "q3": t("national_q3"), "max": "max"})


def stages(report) -> None:
    L = lang()
    figure, table = charts.stage_chart(report.stages, report.q, L, report.overall_stages)
    ui.chart(t("stages_title"), describe.stages(table, report.q, L), figure, table, "stages")


def trend(report) -> None:
    L = lang()
    if len(report.rounds) < 2:
        st.subheader(t("trend_title"))
        st.write(t("trend_one_round"))
        return
    history = report.history.reset_index()
    series = {"median": t("national_median"), "q1": t("national_q1"), "q3": t("national_q3")}
    figure, table = charts.trend_chart(history, report.q, L, series, report.rounds)
    ui.chart(t("trend_title"), describe.trend(table, L, "median", t("national_median")), figure, table, "trend")


def summary_table(report) -> None:
    L = lang()
    q = report.q
    st.subheader(t("summary_title"))
    rows = []
    for dim in q.dimensions:
        if dim.id not in report.national.index:
            continue
        row = report.national.loc[dim.id]
        rows.append({t("dimension"): f"{dim.id} {dim.title[L]}", t("count"): int(row["n"]),
                     t("national_median"): fmt.decimal(row["median"], L, 2),
                     t("national_q1"): fmt.decimal(row["q1"], L, 2), t("national_q3"): fmt.decimal(row["q3"], L, 2),
                     "min": fmt.decimal(row["min"], L, 2), "max": fmt.decimal(row["max"], L, 2)})
    if rows:
        st.table(pd.DataFrame(rows).set_index(t("dimension")))


def quality(report) -> None:
    st.subheader(t("quality_title"))
    frame = report.quality.copy()
    frame.index = [report.labels.get(code, code) for code in frame.index]
    st.dataframe(ui.formatted(frame), width="stretch")


def own_profiles(db, who, q, round_: str, peer_by: str) -> None:
    """For regional users in an unpublished round: their own regions against the aggregates."""
    from app.parts.results import profile

    for code in sorted(who.regions):
        try:
            report = remembered(db, who, "region_report", (code, round_, peer_by, lang()),
                                lambda code=code: region_report(db, who, code, round_, peer_by=peer_by, lang=lang()))
        except (store.Forbidden, store.NotFound, NoResults):  # nothing of this region to show yet
            report = None
        if report is not None:
            profile(report, peer_by)
