"""The comparison page's parts, drawn from a NationalReport (reports.model) so the page and the national
report agree. Individual regions appear only where names may be shown; otherwise only aggregates."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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
from service.reports import NoResults, national_report, region_report

T = TypeVar("T")


# -- what a rerun reuses --------------------------------------------------------------------------------------------
# Building an Altair chart and turning it into Vega-Lite validates it against the schema twice: 30–90 ms a chart,
# most of a rerun at 21 regions × 10 rounds (bench/scale.py --profile), and the same for a chart whose data did
# not change. The page's drawings depend only on the report shown, the widgets' values and the language, so each
# is built once per data version (app.memo) and drawn again from its Vega-Lite spec.

DRAWINGS = 32  # a page's charts and tables for one report: a handful, plus the sort orders and round pairs tried


def drawings(db, who, report_key: tuple) -> dict:
    """The remembered drawings of the report with memo key `report_key` in this language: a plain dict the parts
    fill as they draw. A new data version, another person or another language starts from an empty one."""
    return remembered(db, who, "compare_drawings", (*report_key, lang()), dict)


def _drawn(memo: dict | None, name: tuple, build: Callable[[], T]) -> T:
    if memo is None:  # a caller without a memo (a test, another page): build every time
        return build()
    if name not in memo:
        while len(memo) >= DRAWINGS:
            memo.pop(next(iter(memo)))
        memo[name] = build()
    return memo[name]


def chart(memo: dict | None, name: tuple, build: Callable[[], tuple]) -> None:
    """ui.chart's title, description, chart and data table, from what `build` returns — (title, description,
    figure, table, key, columns) — built once per memo and then drawn from its spec."""
    def make():
        title, description, figure, table, key, columns = build()
        return title, description, *ui.chart_parts(figure, table, columns), key

    ui.draw_chart(*_drawn(memo, name, make))


def group_filter(roster, peer_by: str) -> str | None:
    groups = sorted(set(peer_groups(roster, peer_by).values()))
    options = ["", *groups]
    choice = st.selectbox(t("show_group"), options, key=f"compare_group_{peer_by}_{lang()}",
                          format_func=ui.labels(options, lambda g: g or t("all_regions")))
    return choice or None


def sorted_order(report, by: str) -> tuple[str, ...]:
    """Region codes with the weakest first: by the overall score ("overall") or by one dimension's score; regions
    without a score last, in the report's own order."""
    if by == "overall":
        scores = report.overall["score"]
    else:
        frame = report.dimensions.reset_index()
        scores = frame[frame["dimension"] == by].set_index("region")["score"]
    known = [code for code in report.order if code in scores.index and pd.notna(scores.get(code))]
    known.sort(key=lambda code: float(scores[code]))
    return tuple(known + [code for code in report.order if code not in known])


def heatmap(report, memo: dict | None = None) -> None:
    L = lang()
    options = ["report", "overall", *[d.id for d in report.q.dimensions]]
    by = st.selectbox(t("heatmap_sort"), options, key=f"heatmap_sort_{L}",
                      format_func=ui.labels(options, lambda o: t("heatmap_sort_report") if o == "report" else
                                            t("heatmap_sort_overall") if o == "overall" else
                                            t("heatmap_sort_dimension", dimension=f"{o} {report.q.dimension_by_id[o].title[L]}")))

    def build():
        order = report.order if by == "report" else sorted_order(report, by)
        figure, table = charts.heatmap_chart(report.dimensions, report.labels, order, report.q, L)
        columns = {"label": t("section_region"), **{d.id: d.id for d in report.q.dimensions}}  # no internal names
        if "low_confidence" in table.columns:  # method 2: the uncertain cells in words beside the dashed frames
            columns["low_confidence"] = t("uncertain_in")
        return t("heatmap_title"), describe.heatmap(table, report.q, L), figure, table, "heatmap", columns

    chart(memo, ("heatmap", by), build)


# -- method 2 (docs/method.md 10.10): tiers with rank intervals, the interval plot, the change table ------------
# Only for regions shown by name (the page calls these where `named`); nothing at all for method 1.

def tiers(report, memo: dict | None = None) -> None:
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

    def build():
        figure, table = charts.interval_chart(found, median, report.q, L)
        return (label("interval_plot", L), describe.intervals(table, L, median), figure, table, "intervals",
                {"label": t("section_region"), "respondents": label("respondents_answered", L),
                 "score": label("overall", L), "interval_lo": label("interval_from", L),
                 "interval_hi": label("interval_to", L), "tier": label("tier", L),
                 "low_confidence": words.render("confidence", L)})

    chart(memo, ("intervals",), build)


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


def distribution(report, memo: dict | None = None) -> None:
    def build():
        L = lang()
        figure, table = charts.distribution_chart(report.dimensions, report.national, report.q, L)
        return (t("distribution_title"), describe.distribution(table, L), figure, table, "distribution",
                {"title": t("dimension"), "n": t("count"), "min": "min", "q1": t("national_q1"),
                 "median": t("national_median"), "q3": t("national_q3"), "max": "max"})

    chart(memo, ("distribution",), build)


def stages(report, memo: dict | None = None) -> None:
    def build():
        L = lang()
        figure, table = charts.stage_chart(report.stages, report.q, L, report.overall_stages)
        return t("stages_title"), describe.stages(table, report.q, L), figure, table, "stages", None

    chart(memo, ("stages",), build)


def trend(report, memo: dict | None = None) -> None:
    if len(report.rounds) < 2:
        st.subheader(t("trend_title"))
        st.write(t("trend_one_round"))
        return

    def build():
        L = lang()
        history = report.history.reset_index()
        series = {"median": t("national_median"), "q1": t("national_q1"), "q3": t("national_q3")}
        figure, table = charts.trend_chart(history, report.q, L, series, report.rounds)
        return t("trend_title"), describe.trend(table, L, "median", t("national_median")), figure, table, "trend", None

    chart(memo, ("trend",), build)


def summary_table(report, memo: dict | None = None) -> None:
    st.subheader(t("summary_title"))
    shown = _drawn(memo, ("summary",), lambda: _summary(report))
    if shown is not None:
        st.table(shown)


def _summary(report) -> pd.DataFrame | None:
    L = lang()
    rows = []
    for dim in report.q.dimensions:
        if dim.id not in report.national.index:
            continue
        row = report.national.loc[dim.id]
        rows.append({t("dimension"): f"{dim.id} {dim.title[L]}", t("count"): int(row["n"]),
                     t("national_median"): fmt.decimal(row["median"], L, 2),
                     t("national_q1"): fmt.decimal(row["q1"], L, 2), t("national_q3"): fmt.decimal(row["q3"], L, 2),
                     "min": fmt.decimal(row["min"], L, 2), "max": fmt.decimal(row["max"], L, 2)})
    return pd.DataFrame(rows).set_index(t("dimension")) if rows else None


def quality(report, memo: dict | None = None) -> None:
    """Data quality per region with the glossary's words for headers and shares as percentages."""
    st.subheader(t("quality_title"))
    st.dataframe(_drawn(memo, ("quality",), lambda: _quality(report)), hide_index=True, width="stretch")


def _quality(report) -> pd.DataFrame:
    L = lang()
    frame = report.quality.copy()
    shown = pd.DataFrame({t("section_region"): [report.labels.get(code, code) for code in frame.index]})
    names = {"respondents": t("respondents"), "answered_share": t("answered_share"), "na_share": t("na_share"),
             "dk_share": t("dk_share"), "dimensions_scored": label("dimensions_scored", L),
             "dimensions": t("quality_dimensions"), "disagreements": label("disagreements", L)}
    for column, name in names.items():
        if column not in frame.columns:
            continue
        values = frame[column].tolist()
        if column.endswith("_share"):
            shown[name] = [fmt.share(v, L) for v in values]
        else:
            shown[name] = [fmt.integer(None if pd.isna(v) else int(v), L) for v in values]
    return shown


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


# -- each region's change between two rounds (named only) ----------------------------------------------------

WEAKEST = 3  # how many of the lowest overall scores are marked


def change_table(now, before) -> pd.DataFrame:
    """Region, score before, score now, change, whether among the weakest now; the largest fall first."""
    rows = []
    for code in now.order:
        score = now.overall["score"].get(code)
        earlier = before.overall["score"].get(code) if before is not None else None
        rows.append({"region": code, "label": now.labels[code],
                     "before": None if earlier is None or pd.isna(earlier) else float(earlier),
                     "now": None if score is None or pd.isna(score) else float(score)})
    table = pd.DataFrame(rows, columns=["region", "label", "before", "now"])
    table["change"] = table["now"] - table["before"]
    weakest = set(table.dropna(subset=["now"]).nsmallest(WEAKEST, "now")["region"])
    table["weakest"] = table["region"].isin(weakest)
    return table.sort_values(["change", "now"], na_position="last", kind="stable").reset_index(drop=True)


def region_changes(db, who, report, rounds, memo: dict | None = None) -> None:
    """Per region: the overall score in two chosen rounds of the same instrument, as a sortable table and a slope
    chart (the weakest now highlighted), with the data table behind it.

    `rounds` is the page's own store.list_rounds (read once per run). With `memo` (drawings()) the table and the
    chart of a pair of rounds are built once per data version: the other round's national report is then not
    even looked up on a rerun."""
    comparable = [r.label for r in sorted(rounds, key=lambda r: (r.opened_at, r.id))  # by name: national users,
                  if r.questionnaire == report.q.ref and (who.is_national or r.published)]  # others published only
    st.subheader(t("region_change_title"))
    if len(comparable) < 2:
        st.write(t("region_change_one_round"))
        return
    left, right = st.columns(2)
    later = comparable.index(report.round) if report.round in comparable else len(comparable) - 1
    later = max(later, 1)  # the first round: to the next one
    start = left.selectbox(t("change_from"), comparable, index=later - 1, key=f"change_from_{report.round}")
    end = right.selectbox(t("change_to"), comparable, index=later, key=f"change_to_{report.round}")
    if start == end:
        st.info(t("region_change_same"))
        return
    found = _drawn(memo, ("region_change", start, end), lambda: _region_change(db, who, report, start, end))
    if found is None:
        st.write(t("region_change_missing"))
        return
    intro, shown, drawing = found
    st.write(intro)
    st.dataframe(shown, hide_index=True, width="stretch", key=f"region_change_table_{start}_{end}")
    chart(memo, ("region_change_chart", start, end), lambda: drawing)


def _region_change(db, who, report, start: str, end: str) -> tuple | None:
    """(intro, the table as shown, what chart() draws) for the change from `start` to `end`; None when either
    round has no report. Only the overall scores, labels and order of the two reports are used, and none of
    them depends on the peer grouping: the other round's report is the one of the first peer grouping, so
    switching the grouping does not build it again."""
    import altair as alt

    L = lang()

    def national(label):
        if label == report.round:
            return report
        try:
            return remembered(db, who, "national_report", (label, True, "size_group", None),
                              lambda: national_report(db, who, label, named=True, peer_by="size_group", lang=L))
        except (NoResults, store.Forbidden):
            return None

    now, before = national(end), national(start)
    if now is None or before is None:
        return None
    table = change_table(now, before)
    weak = ", ".join(table[table["weakest"]]["label"])
    intro = t("region_change_intro", start=start, end=end, weakest=weak, n=WEAKEST)
    shown = pd.DataFrame({
        t("section_region"): table["label"],
        t("score_in", round=start): [fmt.decimal(v, L, 2) for v in table["before"]],
        t("score_in", round=end): [fmt.decimal(v, L, 2) for v in table["now"]],
        t("change"): [_signed(v) for v in table["change"]],
        t("weakest_now"): [t("yes") if w else "" for w in table["weakest"]],
    })
    long = pd.concat([table.assign(round=start, score=table["before"]), table.assign(round=end, score=table["now"])])
    long = long.dropna(subset=["score"])
    long["group"] = [t("weakest_now") if w else t("other_regions") for w in long["weakest"]]
    figure = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("round:N", title=t("round"), sort=[start, end]),
        y=alt.Y("score:Q", title=t("score"), scale=alt.Scale(domain=[0, 4])),
        detail="label:N",
        color=alt.Color("group:N", title="", scale=alt.Scale(domain=[t("weakest_now"), t("other_regions")],
                                                             range=["#b2182b", "#9e9e9e"])),
        strokeWidth=alt.condition(alt.datum.weakest, alt.value(3), alt.value(1)),
        tooltip=[alt.Tooltip("label:N", title=t("section_region")), alt.Tooltip("round:N", title=t("round")),
                 alt.Tooltip("score:Q", title=t("score"), format=".2f")],
    ).properties(height=360)
    drawing = (t("region_change_chart", start=start, end=end), t("region_change_chart_help"), figure,
               table.drop(columns=["region", "weakest"]).assign(change=table["change"]), "region_change",
               {"label": t("section_region"), "before": t("score_in", round=start), "now": t("score_in", round=end),
                "change": t("change")})
    return intro, shown, drawing
