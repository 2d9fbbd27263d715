"""The report charts (Altair). Each returns the chart and the tidy table behind it, shown beside the chart.

Design choices for reading and for WCAG: one region is compared as bars and marks on one common scale (not
a radar per region); series differ by shape as well as colour; every colour holds at least 3:1 against
white; heatmap text switches to white on dark cells. Texts are in the report's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from questionnaires.model import Questionnaire
from reports import formatting as fmt
from reports.labels import label
from scoring import explain
from scoring.compare import NO_STAGE

REGION = "#1f5fa8"  # 6.2:1 on white
NATIONAL = "#1a1a1a"
PEER = "#a8481a"  # 5.6:1 on white
BAND = "#aab8c8"
STAGE_COLOURS = ["#deebf7", "#9ecae1", "#4a90c8", "#1f5fa8", "#08306b"]
NO_STAGE_COLOUR = "#bdbdbd"
ROW = 26


AXIS = {"labelFontSize": 11, "titleFontSize": 11, "labelColor": "#1a1a1a", "titleColor": "#1a1a1a",
        "gridColor": "#e3e3e3"}
LEGEND = {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "direction": "horizontal", "labelLimit": 260}


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # Vega's own ARIA attributes are switched off: svg.to_svg names the whole image instead, and the
    # data table beside it carries the detail. The font stays Vega's default (sans-serif): naming a font
    # family makes vl-convert look it up for every text it measures, four times slower.
    # vl-convert measures text in Liberation Sans (Arial's metrics); a browser without Arial or Liberation
    # falls back to a wider font, so the padding leaves room for labels that come out longer.
    # One configure call: every Altair call deep-copies the whole chart.
    chart.padding = {"left": 45, "right": 45, "top": 5, "bottom": 5}
    # mark.aria=False as well: in a layered chart Vega otherwise gives each layer's mark container an ARIA
    # role without a name (axe: svg-img-alt) — the chart is named as a whole, the table holds the detail.
    return chart.configure(aria=False, mark={"aria": False}, axis=AXIS, legend=LEGEND, view={"stroke": None})


def _titles(q: Questionnaire, lang: str) -> dict[str, str]:
    return {dim.id: f"{dim.id} {dim.title[lang]}" for dim in q.dimensions}


def _scale(q: Questionnaire) -> alt.Scale:
    return alt.Scale(domain=[0, q.scale_max], nice=False)


def profile_chart(comparison: pd.DataFrame, q: Questionnaire, lang: str, region_label: str,
                  show_national: bool = True, show_peer: bool = True) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """The region's score per dimension as bars; the national median (diamond), the middle half of the
    regions (grey band) and the peer-group median (triangle) on the same scale.

    `comparison`: scoring.compare.region_comparison (index dimension). Table: dimension, title, score,
    national_median, national_q1, national_q3, peer_median.
    """
    titles = _titles(q, lang)
    data = pd.DataFrame({
        "dimension": list(comparison.index),
        "title": [titles[d] for d in comparison.index],
        "score": comparison["score"].to_numpy(dtype=float),
        "national_median": comparison["national_median"].to_numpy(dtype=float),
        "national_q1": comparison["national_q1"].to_numpy(dtype=float),
        "national_q3": comparison["national_q3"].to_numpy(dtype=float),
        "peer_median": comparison["peer_median"].to_numpy(dtype=float),
    })
    order = list(data["title"])
    series_region = region_label
    series_national = label("national_median", lang)
    series_peer = label("peer_median", lang)
    show_peer = show_peer and show_national
    domain = [series_region] + ([series_national] if show_national else []) + ([series_peer] if show_peer else [])
    colours = [REGION] + ([NATIONAL] if show_national else []) + ([PEER] if show_peer else [])
    shapes = ["square"] + (["diamond"] if show_national else []) + (["triangle-up"] if show_peer else [])
    y = alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    x_title = label("score_scale", lang, top=q.scale_max)
    band = alt.Chart(data).transform_filter("isValid(datum.national_q1)").mark_bar(
        height=ROW * 0.62, color=BAND, opacity=0.55).encode(y=y, x=alt.X("national_q1:Q", scale=_scale(q), title=x_title),
                                                            x2="national_q3:Q")
    bars = alt.Chart(data).transform_filter("isValid(datum.score)").transform_calculate(
        series=f"{_js(series_region)}").mark_bar(height=ROW * 0.32).encode(
        y=y, x=alt.X("score:Q", scale=_scale(q), title=x_title),
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), title=None),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=domain, range=shapes), title=None))
    if not show_national:
        return _finish(alt.layer(bars).properties(width=360, height=alt.Step(ROW))), data
    long = data.melt(id_vars=["title"], value_vars=["national_median"] + (["peer_median"] if show_peer else []),
                     var_name="key", value_name="value").dropna(subset=["value"])
    long["series"] = long["key"].map({"national_median": series_national, "peer_median": series_peer})
    marks = alt.Chart(long).mark_point(filled=True, size=90, opacity=1, stroke="white", strokeWidth=0.8).encode(
        y=y, x=alt.X("value:Q", scale=_scale(q), title=x_title),
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), title=None),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=domain, range=shapes), title=None))
    chart = alt.layer(band, bars, marks).properties(width=360, height=alt.Step(ROW))
    return _finish(chart), data


def heatmap_chart(dimensions: pd.DataFrame, labels: Mapping[str, str], order: Sequence[str], q: Questionnaire,
                  lang: str) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """Regions × dimensions, the score as colour and as text.

    `dimensions`: Scores.dimensions of one round with index (region, dimension). Table: one row per
    region (label) with a column per dimension id.
    """
    titles = _titles(q, lang)
    frame = dimensions.reset_index()
    frame = frame[frame["region"].isin(order)]
    frame["label"] = frame["region"].map(labels)
    frame["title"] = frame["dimension"].map(titles)
    frame["text"] = [fmt.decimal(v, lang, 1) for v in frame["score"]]
    frame["dark"] = frame["score"].fillna(0) > q.scale_max * 0.55
    row_order = [labels[code] for code in order]
    x = alt.X("dimension:N", sort=[d.id for d in q.dimensions], title=None,
              axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("label:N", sort=row_order, title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(frame[["label", "dimension", "title", "score", "text", "dark"]])
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        color=alt.condition("isValid(datum.score)",
                            alt.Color("score:Q", scale=alt.Scale(domain=[0, q.scale_max], scheme="blues"),
                                      title=label("score", lang), legend=alt.Legend(orient="bottom",
                                                                                    direction="horizontal")),
                            alt.value("#f2f2f2")))
    text = base.mark_text(fontSize=10).encode(
        x=x, y=y, text="text:N",
        color=alt.condition("datum.dark", alt.value("white"), alt.value("#1a1a1a")))
    layers = [rect, text]
    uncertain = q.method == 2 and "low_confidence" in frame.columns
    if uncertain:  # method 2: a dashed frame marks a low-confidence cell (the table says it in words)
        frame["uncertain"] = frame["low_confidence"].fillna(False).astype(bool)
        layers.append(alt.Chart(frame[["label", "dimension", "uncertain", "dark"]]).transform_filter(
            "datum.uncertain").mark_rect(filled=False, strokeWidth=2, strokeDash=[4, 2], width={"band": 0.8},
            height={"band": 0.72}).encode(
            x=x, y=y, stroke=alt.condition("datum.dark", alt.value("white"), alt.value(NATIONAL))))  # as the text
    chart = alt.layer(*layers).properties(width=alt.Step(46), height=alt.Step(20))
    table = frame.pivot(index="region", columns="dimension", values="score").reindex(index=list(order))
    table = table[[d.id for d in q.dimensions if d.id in table.columns]]
    table.insert(0, "label", [labels[code] for code in table.index])
    table.columns.name = None
    if uncertain:  # the text alternative of the dashed frames: the uncertain dimensions of each region
        flagged = frame[frame["uncertain"]].groupby("region", sort=False)["dimension"].agg(list)
        position = {d.id: i for i, d in enumerate(q.dimensions)}
        table["low_confidence"] = [", ".join(sorted(flagged.get(code, []), key=position.get)) for code in order]
    return _finish(chart), table.reset_index(drop=True)


TIER_STYLE = {"above": (REGION, "triangle-up"), "within": ("#5b5b5b", "circle"), "below": (PEER, "triangle-down")}


def interval_chart(tiers: pd.DataFrame, national_median: float | None, q: Questionnaire,
                   lang: str) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """Method 2: each region's overall score (point) and 90 % interval (bar) against the number of respondents
    who gave a level (`panel`, what the interval rests on),
    with the national median as a dashed line; shape and colour give the tier, an open point low confidence.
    Regions with the same number of respondents are set a little apart; the regions above or below the
    country are named.

    `tiers`: reports.model.tier_table. Table: label, respondents, score, interval_lo, interval_hi, tier (in
    words), low_confidence (in words), in the order of `tiers`.
    """
    names = {tier: explain.WORDS.render(f"tier_{tier}", lang) for tier in TIER_STYLE}
    data = tiers[tiers["score"].notna()].copy()
    data["respondents"] = data["panel"]  # the respondents who gave a level: what the interval rests on
    data["tier_name"] = [names.get(tier, label("no_tier", lang)) for tier in data["tier"]]
    data["uncertain"] = data["low_confidence"].astype(bool)
    data["confidence"] = [label("uncertain_short", lang) if flag else "" for flag in data["uncertain"]]
    same = data.groupby("respondents").cumcount()
    size = data.groupby("respondents")["respondents"].transform("size")
    data["x"] = data["respondents"] + (same - (size - 1) / 2) * (0.5 / size.clip(lower=2))
    data["named"] = [name if tier in ("above", "below") else "" for name, tier in zip(data["label"], data["tier"],
                                                                                      strict=True)]
    shown = [tier for tier in TIER_STYLE if tier in set(data["tier"])]
    domain = [names[tier] for tier in shown]
    colour = alt.Color("tier_name:N", scale=alt.Scale(domain=domain, range=[TIER_STYLE[t][0] for t in shown]),
                       title=label("tier", lang))
    shape = alt.Shape("tier_name:N", scale=alt.Scale(domain=domain, range=[TIER_STYLE[t][1] for t in shown]),
                      title=label("tier", lang))
    low, high = int(data["respondents"].min()) if len(data) else 0, int(data["respondents"].max()) if len(data) else 1
    x = alt.X("x:Q", title=label("respondents_answered", lang), scale=alt.Scale(domain=[max(0, low - 1), high + 1], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d"))
    y = alt.Y("score:Q", scale=_scale(q), title=label("score_scale", lang, top=q.scale_max))
    base = alt.Chart(data[["label", "x", "score", "interval_lo", "interval_hi", "tier_name", "uncertain", "named"]])
    bars = base.mark_rule(strokeWidth=2, opacity=0.8).encode(
        x=alt.X("x:Q", title=label("respondents_answered", lang)), y=alt.Y("interval_lo:Q", scale=_scale(q)),
        y2="interval_hi:Q", color=colour)
    solid = base.transform_filter("!datum.uncertain").mark_point(filled=True, size=70, opacity=1).encode(
        x=x, y=y, color=colour, shape=shape)
    hollow = base.transform_filter("datum.uncertain").mark_point(filled=False, size=70, strokeWidth=2,
                                                                 opacity=1).encode(x=x, y=y, color=colour, shape=shape)
    names_ = base.transform_filter("datum.named != ''").mark_text(align="left", dx=7, fontSize=10,
                                                                  color=NATIONAL).encode(x=x, y=y, text="named:N")
    layers = [bars, solid, hollow, names_]
    if national_median is not None and not pd.isna(national_median):
        line = alt.Chart(pd.DataFrame({"median": [float(national_median)]})).mark_rule(
            color=NATIONAL, strokeDash=[5, 3], strokeWidth=1.5).encode(y=alt.Y("median:Q", scale=_scale(q)))
        layers.insert(0, line)
    chart = alt.layer(*layers).properties(width=420, height=260)
    table = data[["label", "respondents", "score", "interval_lo", "interval_hi", "tier_name", "confidence"]].rename(
        columns={"tier_name": "tier", "confidence": "low_confidence"})
    return _finish(chart), table.reset_index(drop=True)


def distribution_chart(dimensions: pd.DataFrame, national: pd.DataFrame, q: Questionnaire,
                       lang: str) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """Every region as a tick per dimension, with the middle half (band) and the median (black mark).

    `dimensions`: one round, index (region, dimension); `national`: compare.national_summary for that round
    (index dimension). Table: dimension, title, n, min, q1, median, q3, max.
    """
    titles = _titles(q, lang)
    order = [titles[d.id] for d in q.dimensions]
    stats = national.reset_index()
    stats["title"] = stats["dimension"].map(titles)
    y = alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    x = alt.X("score:Q", scale=_scale(q), title=label("score_scale", lang, top=q.scale_max))
    band = alt.Chart(stats).transform_filter("isValid(datum.q1)").mark_bar(
        height=ROW * 0.62, color=BAND, opacity=0.55).encode(y=y, x=alt.X("q1:Q", scale=_scale(q),
                                                                        title=x.to_dict().get("title")), x2="q3:Q")
    median = alt.Chart(stats).transform_filter("isValid(datum.median)").mark_point(
        shape="diamond", filled=True, size=110, color=NATIONAL, opacity=1, stroke="white", strokeWidth=0.8).encode(
        y=y, x=alt.X("median:Q", scale=_scale(q), title=x.to_dict().get("title")))
    layers = [band, median]
    if len(dimensions):  # an aggregates-only report lists no region: the band and the median are all there is
        points = dimensions.reset_index()[["dimension", "score"]].dropna()
        points["title"] = points["dimension"].map(titles)
        layers.insert(1, alt.Chart(points).mark_tick(color=REGION, opacity=0.75, thickness=1.5,
                                                     size=ROW * 0.5).encode(y=y, x=x))
    chart = alt.layer(*layers).properties(width=360, height=alt.Step(ROW))
    table = stats[["dimension", "title", "n", "min", "q1", "median", "q3", "max"]]
    return _finish(chart), table


def stage_chart(stages: pd.DataFrame, q: Questionnaire, lang: str,
                overall: pd.DataFrame | None = None) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """How many regions are at each stage, per dimension (and overall first), as stacked bars.

    `stages`: compare.stage_distribution of one round, index (dimension, stage); `overall`: the same for
    the overall score, index (stage). Table: one row per dimension, a column per stage id and NO_STAGE.
    """
    titles = {"": label("overall", lang), **_titles(q, lang)}
    frames = []
    if overall is not None:
        frames.append(overall.reset_index().assign(dimension=""))
    frames.append(stages.reset_index())
    long = pd.concat(frames, ignore_index=True)
    long["title"] = long["dimension"].map(titles)
    names = {s.id: f"{s.id} {s.name[lang]}" for s in q.stages} | {NO_STAGE: label("no_stage", lang)}
    long["stage_name"] = long["stage"].map(names)
    long["position"] = long["stage"].map({s.id: s.index for s in q.stages} | {NO_STAGE: len(q.stages)})
    order = list(dict.fromkeys(long["title"]))
    domain = [names[s.id] for s in q.stages] + [names[NO_STAGE]]
    colours = (STAGE_COLOURS * 2)[: len(q.stages)] + [NO_STAGE_COLOUR]
    chart = alt.Chart(long[long["regions"] > 0]).mark_bar(height=ROW * 0.62, stroke="white", strokeWidth=1).encode(
        y=alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X("sum(regions):Q", title=label("n_regions", lang), axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("stage_name:N", scale=alt.Scale(domain=domain, range=colours), title=label("stage", lang)),
        order=alt.Order("position:Q"),
    ).properties(width=360, height=alt.Step(ROW))
    table = long.pivot(index="dimension", columns="stage", values="regions").reindex(
        index=list(dict.fromkeys(long["dimension"])), columns=[s.id for s in q.stages] + [NO_STAGE]).fillna(0)
    table = table.astype(int)
    table.columns.name = None
    table.insert(0, "title", [titles[d] for d in table.index])
    return _finish(chart), table.reset_index()


def trend_chart(history: pd.DataFrame, q: Questionnaire, lang: str, series: Mapping[str, str],
                rounds: Sequence[str]) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """Score per round, one small panel per dimension; `series` maps value columns to legend texts.

    `history`: tidy, columns round, dimension and the value columns named in `series` (for a region:
    score and national_median; nationally: median, q1, q3). Table: the same, rounds in order.
    """
    titles = _titles(q, lang)
    columns = list(series)
    data = history[["round", "dimension", *columns]].copy()
    data["title"] = data["dimension"].map(titles)
    long = data.melt(id_vars=["round", "dimension", "title"], value_vars=columns, var_name="key",
                     value_name="value").dropna(subset=["value"])
    long["series"] = long["key"].map(series)
    domain = [series[c] for c in columns]
    palette = [REGION, NATIONAL, PEER, "#5b5b5b"][: len(domain)]
    shapes = ["circle", "diamond", "triangle-up", "square"][: len(domain)]
    x = alt.X("round:O", sort=list(rounds), title=label("round", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", scale=_scale(q), title=label("score", lang))
    colour = alt.Color("series:N", scale=alt.Scale(domain=domain, range=palette), title=None)
    line = alt.Chart().mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="series:N")
    dots = alt.Chart().mark_point(filled=True, size=45, opacity=1).encode(
        x=x, y=y, color=colour, shape=alt.Shape("series:N", scale=alt.Scale(domain=domain, range=shapes), title=None))
    chart = alt.layer(line, dots, data=long).properties(width=140, height=110).facet(
        facet=alt.Facet("title:N", sort=[titles[d.id] for d in q.dimensions], title=None,
                        header=alt.Header(labelFontSize=11, labelLimit=190, labelColor="#1a1a1a")),
        columns=4)
    table = data[["round", "dimension", "title", *columns]].reset_index(drop=True)
    return _finish(chart), table


def profiles_chart(dimensions: pd.DataFrame, national: pd.DataFrame, labels: Mapping[str, str],
                   order: Sequence[str], q: Questionnaire, lang: str) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """Every region's profile as small multiples: bars per dimension and the national median as a mark.

    Table: region label, dimension, score, national median (long), in the report's region order.
    """
    frame = dimensions.reset_index()
    frame = frame[frame["region"].isin(order)][["region", "dimension", "score"]]
    frame["label"] = frame["region"].map(labels)
    frame = frame.merge(national["median"].rename("national_median"), left_on="dimension", right_index=True,
                        how="left")
    row_order = [labels[code] for code in order]
    dims = [d.id for d in q.dimensions]
    y = alt.Y("dimension:N", sort=dims, title=None, axis=alt.Axis(labelFontSize=9))
    x = alt.X("score:Q", scale=_scale(q), title=None, axis=alt.Axis(tickCount=q.scale_max, labelFontSize=9))
    bars = alt.Chart().mark_bar(color=REGION, height=7).encode(y=y, x=x)
    median = alt.Chart().mark_point(shape="diamond", filled=True, size=34, color=NATIONAL, opacity=1,
                                    stroke="white", strokeWidth=0.6).encode(
        y=y, x=alt.X("national_median:Q", scale=_scale(q), title=None))
    chart = alt.layer(bars, median, data=frame).properties(width=150, height=alt.Step(10)).facet(
        facet=alt.Facet("label:N", sort=row_order, title=None,
                        header=alt.Header(labelFontSize=11, labelColor="#1a1a1a", labelFontWeight="bold")),
        columns=4)
    position = {code: i for i, code in enumerate(order)}
    dim_position = {d: i for i, d in enumerate(dims)}
    table = frame.assign(_r=frame["region"].map(position), _d=frame["dimension"].map(dim_position))
    table = table.sort_values(["_r", "_d"])[["label", "dimension", "score", "national_median"]]
    return _finish(chart), table.reset_index(drop=True)


def _js(text: str) -> str:
    """A JavaScript string literal for a Vega expression."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"
