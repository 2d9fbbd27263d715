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
from reports.labels import label
from reports.model import TIERS, tier_table
from scoring import bootstrap, explain
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
    columns = None
    if "low_confidence" in table.columns:  # method 2: the uncertain cells in words beside the dashed frames
        columns = {"label": t("section_region"), **{d.id: d.id for d in report.q.dimensions},
                   "low_confidence": t("uncertain_in")}
    ui.chart(t("heatmap_title"), describe.heatmap(table, report.q, L), figure, table, "heatmap", columns)


# -- method 2 (docs/method.md 10.10): tiers with rank intervals, the interval plot, the change table ------------
# Only for regions shown by name (the page calls these where `named`); nothing at all for method 1.

def tiers(report) -> None:
    """Each region's tier against the national median with its median rank and 90 % rank interval, grouped
    by tier and in the report's own order: never a league table. Then the interval plot."""
    L = lang()
    found = tier_table(report)
    if found.empty:
        return
    words = explain.WORDS
    median = report.national_overall["median"]
    st.subheader(label("tiers", L))
    st.write(label("tiers_intro", L, median=fmt.decimal(median, L, 2),
                   replicates=fmt.integer(bootstrap.REPLICATES, L)))
    counts = found["tier"].value_counts()
    st.markdown(f"**{label('tier_counts', L, **{tier: int(counts.get(tier, 0)) for tier in TIERS})}**")
    rows = [{
        label("tier", L): describe.tier(row["tier"], L),
        t("section_region"): row["label"],
        label("overall", L): fmt.decimal(row["score"], L, 2),
        words.render("interval", L): _interval(row["interval_lo"], row["interval_hi"]),
        label("rank_interval", L): describe.rank(row["rank_median"], row["rank_lo"], row["rank_hi"], L),
        label("respondents_answered", L): int(row["panel"]),
        words.render("confidence", L): _uncertain(row),
    } for _, row in found.iterrows()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="tiers_table")
    figure, table = charts.interval_chart(found, median, report.q, L)
    ui.chart(label("interval_plot", L), describe.intervals(table, L, median), figure, table, "intervals",
             {"label": t("section_region"), "respondents": label("respondents_answered", L),
              "score": label("overall", L), "interval_lo": label("interval_from", L),
              "interval_hi": label("interval_to", L), "tier": label("tier", L),
              "low_confidence": words.render("confidence", L)})


def changes(report) -> None:
    """Each region's overall change since the previous round; a change within the intervals is "ingen säker
    förändring"."""
    L = lang()
    found = report.changes
    if found is None or not len(found) or tier_table(report).empty:
        return
    previous = str(found["previous_round"].iloc[0])
    st.subheader(label("changes_since", L, round=previous))
    st.write(label("changes_intro", L, round=previous))
    rows = []
    for code in report.order:
        if code not in found.index:
            continue
        row = found.loc[code]
        rows.append({
            t("section_region"): report.labels[code],
            label("score_in", L, round=previous): fmt.decimal(row["previous"], L, 2),
            label("interval_in", L, round=previous): _interval(row["previous_lo"], row["previous_hi"]),
            label("score_in", L, round=report.round): fmt.decimal(row["score"], L, 2),
            label("interval_in", L, round=report.round): _interval(row["interval_lo"], row["interval_hi"]),
            label("change", L): _signed(row["change"]),
            label("conclusion", L): describe.certainty(row["certain"], L),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="changes_table")


def _interval(lo, hi) -> str:
    if pd.isna(lo) or pd.isna(hi):
        return fmt.DASH
    L = lang()
    return explain.WORDS.render("interval_range", L, lo=fmt.decimal(lo, L, 2), hi=fmt.decimal(hi, L, 2))


def _signed(value) -> str:
    if pd.isna(value):
        return fmt.DASH
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + fmt.decimal(abs(value), lang(), 2)


def _uncertain(row) -> str:
    if not bool(row["low_confidence"]):
        return ""
    return describe.uncertain(row["reasons"], lang(), respondents=row["panel"], lo=row["interval_lo"],
                              hi=row["interval_hi"], completeness=row["completeness"])


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
