"""The national report as one self-contained HTML file (Jinja2 template `national.html.j2`; inline CSS and SVG).

Shared pieces (environment, stylesheet, figures, the method appendix) live in `reports.html`.
"""

from __future__ import annotations

from dataclasses import replace

from questionnaires.text import normalise_language
from reports import charts, describe, tables
from reports import formatting as fmt
from reports.html import (
    Figure,
    common_context,
    environment,
    figure,
    method_context,
    missing,
    stage_name,
)
from reports.labels import label, peer_group_name
from reports.model import TIERS, NationalReport, tier_table
from reports.tables import Cell, Table, TableBuilder
from scoring import bootstrap, explain
from scoring.compare import NO_STAGE


def render_national_html(report: NationalReport, lang: str = "sv") -> str:
    lang = normalise_language(lang)
    return environment().get_template("national.html.j2").render(**national_context(report, lang))


def national_context(report: NationalReport, lang: str) -> dict:
    q = report.q
    titles = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
    context = common_context(lang, q, report.generated_at)
    overall = report.national_overall
    per_region = not report.aggregates_only  # an aggregates-only report has no row per region to draw
    context.update({
        "title": f"{label('national_report', lang)} – {report.round}",
        "round": report.round,
        "facts": [
            (label("round", lang), report.round),
            (label("questionnaire", lang), f"{q.title[lang]} ({q.ref})"),
            (label("participating", lang), fmt.integer(report.participating, lang)),
            (label("publication", lang), label("named" if report.named else "anonymised", lang)),
            (label("generated", lang), fmt.iso_date(report.generated_at)),
        ],
        "overall": {
            "median": tables.score(overall["median"], lang, key="national.overall.median"),
            "q1": tables.score(overall["q1"], lang), "q3": tables.score(overall["q3"], lang),
            "n": int(overall["n"]),
        },
        "stage_figure": _stage_figure(report, lang),
        "heatmap": _heatmap_figure(report, lang) if per_region else None,
        "regions_absent": None if per_region else label("regions_absent", lang,
                                                                n=fmt.integer(report.participating, lang)),
        "distribution": _distribution_figure(report, lang),
        "trend": _national_trend(report, lang) if len(report.rounds) > 1 else None,
        "peers": _peer_table(report, lang, titles),
        "profiles": _profiles_figure(report, lang, titles) if per_region else None,
        "quality": _national_quality(report, lang) if per_region else None,
        "named": report.named,
        **_method2_context(report, lang),
        "method": method_context(q, lang, report.k, report.peer_by),
        "marking": report.marking.lines(lang),
    })
    return context


def _heatmap_figure(report: NationalReport, lang: str) -> Figure:
    q = report.q
    chart, data = charts.heatmap_chart(report.dimensions, report.labels, report.order, q, lang)
    title = label("heatmap", lang)
    dims = [d.id for d in q.dimensions]
    builder = TableBuilder(label("data_table", lang, title=title), [label("region", lang), *dims,
                                                                     label("overall", lang)],
                           [False] + [True] * (len(dims) + 1))
    uncertain = "low_confidence" in data.columns  # method 2: a low-confidence score says so in words
    for code, (_, row) in zip(report.order, data.iterrows(), strict=True):
        cells = [tables.score(row.get(d), lang, key=f"{code}.{d}.score") for d in dims]
        total = tables.score(report.overall.loc[code, "score"], lang, key=f"{code}.overall.score")
        if uncertain:
            cells = [_marked(cell, bool(report.dimensions.loc[(code, d), "low_confidence"]), lang)
                     if (code, d) in report.dimensions.index else cell for d, cell in zip(dims, cells, strict=True)]
            total = _marked(total, bool(report.overall.loc[code, "low_confidence"]), lang)
        builder.add(tables.text(row["label"], header=True), *cells, total)
    note = "; ".join(f"{d.id} = {d.title[lang]}" for d in q.dimensions)
    if uncertain:
        note += ". " + label("uncertain_note", lang)
    return figure("heatmap", title, chart, builder.build(note=note), describe.heatmap(data, q, lang), lang)


def _marked(cell: Cell, flagged: bool, lang: str) -> Cell:
    """A score cell with "(osäkert)" after the number when the score has low confidence (method 2)."""
    if not flagged or cell.machine is None:
        return cell
    return replace(cell, text=f"{cell.text} ({label('uncertain_short', lang)})")


def _method2_context(report: NationalReport, lang: str) -> dict:
    """Method 2 across regions (docs/method.md 10.10): tiers with rank intervals, the interval plot and the
    change table. Nothing for method 1 (its report is unchanged) or an aggregates-only report."""
    found = tier_table(report)
    if found.empty:
        return {"tiers": None, "intervals": None, "changes": None}
    return {"tiers": _tiers(report, found, lang), "intervals": _intervals_figure(report, found, lang),
            "changes": _changes(report, lang)}


def _tiers(report: NationalReport, found, lang: str) -> dict:
    builder = TableBuilder(label("tiers", lang),
                           [label("tier", lang), label("region", lang), label("overall", lang),
                            explain.WORDS.render("interval", lang), label("rank_interval", lang),
                            label("respondents_answered", lang), explain.WORDS.render("confidence", lang)],
                           [False, False, True, True, True, True, False])
    for code, row in found.iterrows():
        builder.add(tables.text(describe.tier(row["tier"], lang)), tables.text(row["label"], header=True),
                    tables.score(row["score"], lang, key=f"tiers.{code}.score"),
                    tables.text(_interval(row["interval_lo"], row["interval_hi"], lang)),
                    Cell(describe.rank(row["rank_median"], row["rank_lo"], row["rank_hi"], lang),
                         None if missing(row["rank_median"]) else int(row["rank_median"]),
                         key=f"tiers.{code}.rank_median"),
                    tables.integer(int(row["panel"]), lang),
                    tables.text(_uncertain(row, lang)))
    counts = found["tier"].value_counts()
    median = report.national_overall["median"]
    return {
        "intro": label("tiers_intro", lang, median=fmt.decimal(median, lang, 2),
                       replicates=fmt.integer(bootstrap.REPLICATES, lang)),
        "counts": label("tier_counts", lang, **{tier: int(counts.get(tier, 0)) for tier in TIERS}),
        "table": builder.build(hidden_caption=True),  # the section's heading says the same
    }


def _uncertain(row, lang: str) -> str:
    if not bool(row["low_confidence"]):
        return ""
    return describe.uncertain(row["reasons"], lang, respondents=row["panel"], lo=row["interval_lo"],
                              hi=row["interval_hi"], completeness=row["completeness"])


def _interval(lo, hi, lang: str) -> str:
    if missing(lo) or missing(hi):
        return fmt.DASH
    return explain.WORDS.render("interval_range", lang, lo=fmt.decimal(lo, lang, 2), hi=fmt.decimal(hi, lang, 2))


def _intervals_figure(report: NationalReport, found, lang: str) -> Figure:
    median = report.national_overall["median"]
    chart, data = charts.interval_chart(found, median, report.q, lang)
    title = label("interval_plot", lang)
    builder = TableBuilder(label("data_table", lang, title=title),
                           [label("region", lang), label("respondents_answered", lang), label("overall", lang),
                            explain.WORDS.render("interval", lang), label("tier", lang),
                            explain.WORDS.render("confidence", lang)],
                           [False, True, True, True, False, False])
    for _, row in data.iterrows():
        builder.add(tables.text(row["label"], header=True), tables.integer(int(row["respondents"]), lang),
                    tables.score(row["score"], lang), tables.text(_interval(row["interval_lo"], row["interval_hi"], lang)),
                    tables.text(row["tier"]), tables.text(row["low_confidence"]))
    return figure("intervals", title, chart, builder.build(), describe.intervals(data, lang, median), lang)


def _changes(report: NationalReport, lang: str) -> dict | None:
    changes = report.changes
    if changes is None or not len(changes):
        return None
    previous, now = str(changes["previous_round"].iloc[0]), report.round
    builder = TableBuilder(label("changes_since", lang, round=previous),
                           [label("region", lang), label("score_in", lang, round=previous),
                            label("interval_in", lang, round=previous), label("score_in", lang, round=now),
                            label("interval_in", lang, round=now), label("change", lang), label("conclusion", lang)],
                           [False, True, True, True, True, True, False])
    for code in report.order:
        if code not in changes.index:
            continue
        row = changes.loc[code]
        builder.add(tables.text(report.labels[code], header=True),
                    tables.score(row["previous"], lang), tables.text(_interval(row["previous_lo"], row["previous_hi"], lang)),
                    tables.score(row["score"], lang), tables.text(_interval(row["interval_lo"], row["interval_hi"], lang)),
                    tables.signed(row["change"], lang, key=f"changes.{code}.change"),
                    tables.text(describe.certainty(row["certain"], lang)))
    return {"title": label("changes_since", lang, round=previous),
            "intro": label("changes_intro", lang, round=previous), "table": builder.build(hidden_caption=True)}


def _distribution_figure(report: NationalReport, lang: str) -> Figure:
    chart, data = charts.distribution_chart(report.dimensions, report.national, report.q, lang)
    title = label("distributions", lang)
    builder = TableBuilder(label("data_table", lang, title=title),
                           [label("dimension", lang), label("regions_with_score", lang), label("min", lang),
                            label("q1", lang), label("median", lang), label("q3", lang), label("max", lang)],
                           [False] + [True] * 6)
    for _, row in data.iterrows():
        dim = row["dimension"]
        builder.add(tables.text(row["title"], header=True), tables.integer(row["n"], lang),
                    tables.score(row["min"], lang), tables.score(row["q1"], lang),
                    tables.score(row["median"], lang, key=f"national.{dim}.median"),
                    tables.score(row["q3"], lang), tables.score(row["max"], lang))
    description = describe.distribution(data, lang, ticks=not report.aggregates_only)
    return figure("distribution", title, chart, builder.build(), description, lang)


def _stage_figure(report: NationalReport, lang: str) -> Figure:
    q = report.q
    chart, data = charts.stage_chart(report.stages, q, lang, report.overall_stages)
    title = label("stage_distribution", lang)
    stage_ids = [s.id for s in q.stages]
    builder = TableBuilder(label("data_table", lang, title=title),
                           [label("dimension", lang), *[f"{s.id} {s.name[lang]}" for s in q.stages],
                            label("no_stage", lang)], [False] + [True] * (len(stage_ids) + 1))
    for _, row in data.iterrows():
        builder.add(tables.text(row["title"], header=True),
                    *[tables.integer(row[s], lang) for s in [*stage_ids, NO_STAGE]])
    return figure("stages", title, chart, builder.build(), describe.stages(data, q, lang), lang)


def _national_trend(report: NationalReport, lang: str) -> Figure:
    history = report.history.reset_index()
    series = {"median": label("median", lang), "q1": label("q1", lang), "q3": label("q3", lang)}
    chart, data = charts.trend_chart(history, report.q, lang, series, report.rounds)
    title = label("trend", lang)
    builder = TableBuilder(label("data_table", lang, title=title),
                           [label("round", lang), label("dimension", lang), label("median", lang), label("q1", lang),
                            label("q3", lang)], [False, False, True, True, True])
    for _, row in data.iterrows():
        builder.add(tables.text(row["round"], header=True), tables.text(row["title"]),
                    tables.score(row["median"], lang), tables.score(row["q1"], lang), tables.score(row["q3"], lang))
    what = "rikets median och kvartiler" if lang == "sv" else "the national median and quartiles"
    return figure("trend", title, chart, builder.build(), describe.trend(data, lang, "median", what), lang)


def _peer_table(report: NationalReport, lang: str, titles: dict[str, str]) -> Table | None:
    peers = report.peers
    if not len(peers):
        return None
    dims = [d.id for d in report.q.dimensions]
    groups = list(dict.fromkeys(peers.index.get_level_values("group")))
    builder = TableBuilder(label("peer_groups", lang), [label("peer_group", lang), label("n_regions", lang), *dims],
                           [False] + [True] * (len(dims) + 1))
    for group in groups:
        rows = peers.xs(group, level="group")
        name = peer_group_name(report.peer_by, group, lang)
        builder.add(tables.text(name, header=True), tables.integer(int(rows["n"].max()), lang),
                    *[tables.score(rows["median"].get(d), lang) for d in dims])
    return builder.build(note=f"{fmt.DASH}: {label('suppressed', lang, k=report.k)}")


def _profiles_figure(report: NationalReport, lang: str, titles: dict[str, str]) -> Figure:
    q = report.q
    chart, data = charts.profiles_chart(report.dimensions, report.national, report.labels, report.order, q, lang)
    title = label("profiles", lang)
    builder = TableBuilder(label("data_table", lang, title=title),
                           [label("region", lang), label("overall", lang), label("stage", lang),
                            label("strengths", lang), label("gaps", lang)], [False, True, False, False, False])
    median = report.national["median"]
    for code in report.order:
        scores = report.dimensions.loc[code, "score"]
        scored = scores.dropna()
        above = [d for d in scored.index if not missing(median.get(d)) and scored[d] > median[d]]
        below = [d for d in scored.index if not missing(median.get(d)) and scored[d] < median[d]]
        builder.add(tables.text(report.labels[code], header=True),
                    tables.score(report.overall.loc[code, "score"], lang),
                    tables.text(stage_name(q, report.overall.loc[code, "stage"], lang)),
                    tables.text(", ".join(above) or fmt.DASH), tables.text(", ".join(below) or fmt.DASH))
    note = ("Styrkor = dimensioner över rikets median, utvecklingsområden = under rikets median." if lang == "sv"
            else "Strengths = dimensions above the national median, gaps = below the national median.")
    return figure("profiles", title, chart, builder.build(note=note), describe.profiles(lang, report.participating),
                   lang)


def _national_quality(report: NationalReport, lang: str) -> Table:
    builder = TableBuilder(label("data_quality", lang),
                           [label("region", lang), label("respondents", lang), label("answered_share", lang),
                            label("na_share", lang), label("dk_share", lang), label("dimensions_scored", lang),
                            label("disagreements", lang)], [False] + [True] * 6)
    quality = report.quality
    for code in report.order:
        row = quality.loc[code]
        builder.add(tables.text(report.labels[code], header=True), tables.integer(int(row["respondents"]), lang),
                    tables.share(row["answered_share"], lang), tables.share(row["na_share"], lang),
                    tables.share(row["dk_share"], lang),
                    tables.text(f"{int(row['dimensions_scored'])} / {int(row['dimensions'])}"),
                    tables.integer(int(row["disagreements"]), lang))
    return builder.build()

