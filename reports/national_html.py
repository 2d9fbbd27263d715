"""The national report as one self-contained HTML file (Jinja2 template `national.html.j2`; inline CSS and SVG).

Shared pieces (environment, stylesheet, figures, the method appendix) live in `reports.html`.
"""

from __future__ import annotations

from questionnaires.regions import size_group_label
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
from reports.labels import label
from reports.model import NationalReport
from reports.tables import Table, TableBuilder
from scoring.compare import NO_STAGE


def render_national_html(report: NationalReport, lang: str = "sv") -> str:
    lang = normalise_language(lang)
    return environment().get_template("national.html.j2").render(**national_context(report, lang))


def national_context(report: NationalReport, lang: str) -> dict:
    q = report.q
    titles = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
    context = common_context(lang, q, report.generated_at)
    overall = report.national_overall
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
        "heatmap": _heatmap_figure(report, lang),
        "distribution": _distribution_figure(report, lang),
        "trend": _national_trend(report, lang) if len(report.rounds) > 1 else None,
        "peers": _peer_table(report, lang, titles),
        "profiles": _profiles_figure(report, lang, titles),
        "quality": _national_quality(report, lang),
        "named": report.named,
        "method": method_context(q, lang, report.k, report.peer_by),
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
    for code, (_, row) in zip(report.order, data.iterrows(), strict=True):
        builder.add(tables.text(row["label"], header=True),
                    *[tables.score(row.get(d), lang, key=f"{code}.{d}.score") for d in dims],
                    tables.score(report.overall.loc[code, "score"], lang, key=f"{code}.overall.score"))
    note = "; ".join(f"{d.id} = {d.title[lang]}" for d in q.dimensions)
    return figure("heatmap", title, chart, builder.build(note=note), describe.heatmap(data, q, lang), lang)


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
    return figure("distribution", title, chart, builder.build(), describe.distribution(data, lang), lang)


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
        name = size_group_label(group)[lang] if report.peer_by == "size_group" else group
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

