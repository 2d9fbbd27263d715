"""Region and national reports as one self-contained HTML file each (Jinja2; inline CSS and SVG).

Autoescape is on for every template and undefined names fail loudly: a respondent's comment can never
become markup, and a renamed field cannot silently print nothing. Charts are inline SVG made by vl-convert,
which escapes its texts; the only markup marked safe is that SVG and our own stylesheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from questionnaires.actionplan import FIELDS, STATUSES
from questionnaires.model import Questionnaire
from questionnaires.regions import size_group_label
from questionnaires.text import normalise_language
from reports import charts, describe, tables
from reports import formatting as fmt
from reports.labels import label
from reports.model import NationalReport, RegionReport, is_overdue, plan_items
from reports.provenance import version
from reports.svg import to_svg
from reports.tables import Cell, Table, TableBuilder
from scoring.compare import NO_STAGE
from scoring.score import INSUFFICIENT


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    return Markup(resources.files("reports").joinpath("templates/report.css").read_text("utf-8"))


@dataclass(frozen=True)
class Figure:
    ident: str
    title: str
    svg: Markup
    description: str
    table: Table


def _figure(ident: str, title: str, chart, table: Table, description: str, lang: str) -> Figure:
    svg = to_svg(chart, lang, label=label("chart", lang, title=title), ident=ident, described_by=f"{ident}-desc")
    return Figure(ident, title, Markup(svg), description, table)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _stage_name(q: Questionnaire, stage_id: object, lang: str) -> str:
    if not isinstance(stage_id, str):
        return label("no_score", lang)
    stage = next(s for s in q.stages if s.id == stage_id)
    return f"{stage.id} {stage.name[lang]}"


def _reason(q: Questionnaire, reason: str, lang: str) -> str:
    if reason == INSUFFICIENT:
        return label("reason_insufficient", lang, limit=fmt.share(q.min_completeness, lang))
    return label("reason_not_applicable", lang)


def _common(lang: str, q: Questionnaire, generated_at) -> dict:
    return {
        "lang": lang,
        "t": lambda code, **params: label(code, lang, **params),
        "css": stylesheet(),
        "q": q,
        "footer": label("footer", lang, version=version(), date=fmt.iso_date(generated_at)),
    }


# --- region report -------------------------------------------------------------------------------------------

def render_region_html(report: RegionReport, lang: str = "sv") -> str:
    lang = normalise_language(lang)
    return environment().get_template("region.html.j2").render(**region_context(report, lang))


def region_context(report: RegionReport, lang: str) -> dict:
    q = report.q
    summary = report.summary
    titles = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
    overall = summary["overall"]
    region_label = report.region.name
    national_ok = not bool(report.overall_comparison["national_suppressed"])
    peer_ok = not bool(report.comparison["peer_suppressed"].all())
    context = _common(lang, q, report.generated_at)
    context.update({
        "title": f"{label('region_report', lang)}: {report.region.name} – {report.round}",
        "region": report.region,
        "round": report.round,
        "facts": _region_facts(report, lang),
        "overall": {
            "score": tables.score(overall["score"], lang, key="overall.score"),
            "percent": tables.percent(overall["percent"], lang, key="overall.percent"),
            "stage": _stage_name(q, overall["stage"], lang),
            "stage_description": next((s.description[lang] for s in q.stages if s.id == overall["stage"]), ""),
            "has_score": not _missing(overall["score"]),
        },
        "dimension_table": _dimension_table(report, lang, titles),
        "strengths": [(titles[d], tables.score(report.dimension(d)["score"], lang)) for d in report.strengths],
        "gaps": [(titles[d], tables.score(report.dimension(d)["score"], lang)) for d in report.gaps],
        "quality": _quality_facts(report, lang),
        "comparison_available": national_ok,
        "peer_available": peer_ok,
        "no_comparison": label("no_comparison", lang, k=report.k),
        "peer_text": _peer_text(report, lang),
        "overall_comparison": _overall_comparison(report, lang),
        "profile": _profile_figure(report, lang, region_label, national_ok, national_ok and peer_ok),
        "trend": _trend_figure(report, lang, region_label) if len(report.rounds) > 1 else None,
        "changes": _change_table(report, lang, titles) if len(report.changes) else None,
        "dimensions": [_dimension_section(report, dim, lang) for dim in q.dimensions],
        "priorities": _priority_table(report, lang, titles),
        "items": _items_table(report, lang, titles),
        "proposed": report.items is None,
        "quality_table": _quality_table(report, lang, titles),
        "method": _method(q, lang, report.k, report.peer_by),
    })
    return context


def _region_facts(report: RegionReport, lang: str) -> list[tuple[str, str]]:
    q = report.q
    by_role = ", ".join(f"{q.role_by_id[r].name[lang] if r in q.role_by_id else r} {n}"
                        for r, n in sorted(report.respondents.items(), key=lambda kv: (-kv[1], kv[0])))
    respondents = fmt.integer(report.respondent_count, lang) + (f" ({by_role})" if by_role else "")
    return [
        (label("region", lang), f"{report.region.name} ({report.region.county})"),
        (label("round", lang), report.round),
        (label("questionnaire", lang), f"{q.title[lang]} ({q.ref})"),
        (label("respondents", lang), respondents),
        (label("generated", lang), fmt.iso_date(report.generated_at)),
    ]


def _dimension_table(report: RegionReport, lang: str, titles: dict[str, str]) -> Table:
    builder = TableBuilder(label("score_by_dimension", lang),
                           [label("dimension", lang), label("score", lang), label("percent", lang),
                            label("stage", lang), label("completeness", lang)],
                           [False, True, True, False, True])
    for dim in report.summary["dimensions"]:
        stage = _stage_name(report.q, dim["stage"], lang) if dim["stage"] else \
            _reason(report.q, report.dimensions.loc[dim["id"], "reason"], lang)
        builder.add(tables.text(titles[dim["id"]], header=True),
                    tables.score(dim["score"], lang, key=f"{dim['id']}.score"),
                    tables.percent(dim["percent"], lang, key=f"{dim['id']}.percent"),
                    tables.text(stage),
                    tables.share(dim["completeness"], lang, key=f"{dim['id']}.completeness"))
    overall = report.summary["overall"]
    builder.add(tables.text(label("overall", lang), header=True, css="total"),
                tables.score(overall["score"], lang, key="overall.score"),
                tables.percent(overall["percent"], lang, key="overall.percent"),
                tables.text(_stage_name(report.q, overall["stage"], lang)),
                tables.text(""))
    return builder.build()


def _quality_facts(report: RegionReport, lang: str) -> list[tuple[str, str]]:
    overall = report.overall
    dims = report.dimensions
    flagged = [i["id"] for i in report.summary["indicators"] if i["disagreement"]]
    unscored = [d for d in dims.index if not bool(dims.loc[d, "sufficient"])]
    return [
        (label("answered_share", lang), fmt.share(overall["answered_share"], lang)),
        (label("na_share", lang), fmt.share(overall["na_share"], lang)),
        (label("dk_share", lang), fmt.share(overall["dk_share"], lang)),
        (label("insufficient_count", lang), ", ".join(unscored) if unscored else label("none", lang)),
        (label("disagreements", lang), ", ".join(flagged) if flagged else label("none", lang)),
    ]


def _peer_text(report: RegionReport, lang: str) -> str:
    group = report.comparison["peer_group"].iloc[0] if len(report.comparison) else None
    if report.peer_by == "size_group" and isinstance(group, str):
        name = size_group_label(group)[lang]
        what = label("by_size_group", lang)
    else:
        name, what = str(group), label("by_nuts2", lang)
    if lang == "sv":
        return (f"Jämförelsegruppen är regionens {what}: {name}. Gruppens median visas bara när minst "
                f"{report.k} regioner i gruppen har poäng; inga andra regioner redovisas med namn.")
    return (f"The peer group is the region's {what}: {name}. The group median is shown only when at least "
            f"{report.k} regions in the group have a score; no other region is named.")


def _overall_comparison(report: RegionReport, lang: str) -> Table:
    row = report.overall_comparison
    builder = TableBuilder(label("overall", lang),
                           [label("overall", lang), label("region", lang), label("national_median", lang),
                            label("q1", lang), label("q3", lang), label("peer_median", lang),
                            label("regions_with_score", lang)],
                           [False, True, True, True, True, True, True])
    builder.add(tables.text(label("score", lang), header=True),
                tables.score(row["score"], lang, key="overall.score"),
                tables.score(row["national_median"], lang, key="overall.national_median"),
                tables.score(row["national_q1"], lang), tables.score(row["national_q3"], lang),
                tables.score(row["peer_median"], lang, key="overall.peer_median"),
                tables.integer(row["national_n"], lang))
    return builder.build(hidden_caption=True)


def _profile_figure(report: RegionReport, lang: str, region_label: str, show_national: bool,
                    show_peer: bool) -> Figure:
    chart, data = charts.profile_chart(report.comparison, report.q, lang, region_label,
                                       show_national=show_national, show_peer=show_peer)
    title = label("profile", lang)
    columns = [label("dimension", lang), region_label]
    if show_national:
        columns += [label("national_median", lang), label("q1", lang), label("q3", lang), label("peer_median", lang),
                    label("versus_national", lang)]
    builder = TableBuilder(label("data_table", lang, title=title), columns, [False] + [True] * (len(columns) - 1))
    comparison = report.comparison
    for _, row in data.iterrows():
        dim = row["dimension"]
        cells = [tables.text(row["title"], header=True), tables.score(row["score"], lang, key=f"{dim}.score")]
        if show_national:
            cells += [tables.score(row["national_median"], lang, key=f"{dim}.national_median"),
                      tables.score(row["national_q1"], lang), tables.score(row["national_q3"], lang),
                      tables.score(row["peer_median"], lang, key=f"{dim}.peer_median"),
                      tables.signed(comparison.loc[dim, "versus_national"], lang)]
        builder.add(*cells)
    note = ""
    if show_national and comparison["peer_suppressed"].any():
        note = f"{label('peer_median', lang)} {fmt.DASH}: {label('suppressed', lang, k=report.k)}"
    return _figure("profile", title, chart, builder.build(note=note),
                   describe.profile(data, lang, region_label, show_national, show_peer), lang)


def _trend_figure(report: RegionReport, lang: str, region_label: str) -> Figure:
    series = {"score": region_label, "national_median": label("national_median", lang)}
    chart, data = charts.trend_chart(report.history, report.q, lang, series, report.rounds)
    title = label("trend", lang)
    builder = TableBuilder(label("data_table", lang, title=title),
                           [label("round", lang), label("dimension", lang), region_label, label("national_median", lang)],
                           [False, False, True, True])
    for _, row in data.iterrows():
        builder.add(tables.text(row["round"], header=True), tables.text(row["title"]),
                    tables.score(row["score"], lang), tables.score(row["national_median"], lang))
    return _figure("trend", title, chart, builder.build(),
                   describe.trend(data, lang, "score", "regionens poäng och rikets median" if lang == "sv"
                                  else "the region's score and the national median"), lang)


def _change_table(report: RegionReport, lang: str, titles: dict[str, str]) -> Table:
    builder = TableBuilder(label("change_since", lang),
                           [label("dimension", lang), label("previous", lang), label("score", lang),
                            label("change", lang)], [False, True, True, True])
    for dim, row in report.changes.iterrows():
        builder.add(tables.text(f"{titles[dim]}", header=True),
                    Cell(f"{fmt.decimal(row['previous'], lang, 2)} ({row['previous_round']})", row["previous"]),
                    tables.score(report.dimension(dim)["score"], lang),
                    tables.signed(row["change"], lang, key=f"{dim}.change"))
    return builder.build()


def _level_text(q: Questionnaire, indicator, value: float, lang: str) -> tuple[str, str]:
    """The level name(s) and the descriptor(s) for an agreed value (a median may fall between two levels)."""
    low, high = math.floor(value), math.ceil(value)
    if low == high:
        return f"{low} {q.levels[low].name[lang]}", indicator.levels[low][lang]
    between = label("between_levels", lang, low=low, high=high)
    return between, f"{low}: {indicator.levels[low][lang]} {high}: {indicator.levels[high][lang]}"


def _dimension_section(report: RegionReport, dim, lang: str) -> dict:
    q = report.q
    data = report.dimension(dim.id)
    row = report.dimensions.loc[dim.id]
    indicators = []
    for ind in dim.indicators:
        summary = report.indicator(ind.id)
        scores = report.indicators.loc[ind.id]
        if summary["status"] == "value":
            level, descriptor = _level_text(q, ind, summary["value"], lang)
            spread = f"{int(scores['min'])}–{int(scores['max'])}"
        else:
            level = q.special_name("na")[lang] if summary["status"] == "not_applicable" else label("unknown", lang)
            descriptor, spread = "", fmt.DASH
        indicators.append({
            "id": ind.id,
            "statement": ind.statement[lang],
            "value": tables.score(summary["value"], lang, 1, key=f"{ind.id}.value"),
            "level": level,
            "descriptor": descriptor,
            "spread": spread,
            "disagreement": summary["disagreement"],
            "evidence": label("answers_of", lang, n=int(scores["n_value"]), asked=int(scores["asked"])) + "; "
            + label("na_dk", lang, na=int(scores["n_na"]), dk=int(scores["n_dk"])),
            "comments": [(q.role_by_id[c.role].name[lang] if c.role in q.role_by_id else c.role, c.text)
                         for c in report.comments.get(ind.id, ())],
        })
    status = _reason(q, row["reason"], lang) if data["score"] is None else _stage_name(q, data["stage"], lang)
    return {
        "id": dim.id,
        "title": f"{dim.id} {dim.title[lang]}",
        "description": dim.description[lang],
        "score": tables.score(data["score"], lang, key=f"{dim.id}.score"),
        "percent": fmt.percent(data["percent"], lang),
        "status": status,
        "completeness": fmt.share(data["completeness"], lang),
        "disagreements": int(row["disagreements"]),
        "indicators": indicators,
    }


def _priority_table(report: RegionReport, lang: str, titles: dict[str, str]) -> Table | None:
    if not report.proposals:
        return None
    q = report.q
    texts = {action.id: action.text[lang] for action in q.actions}
    builder = TableBuilder(label("priorities", lang),
                           [label("dimension", lang), label("current_stage", lang), label("target_stage", lang),
                            label("gap", lang), label("priority", lang), label("suggested_steps", lang)],
                           [False, False, False, True, True, False])
    for proposal in report.proposals:
        builder.add(tables.text(titles[proposal.dimension], header=True),
                    tables.text(_stage_name(q, report.dimension(proposal.dimension)["stage"], lang)),
                    tables.text(_stage_name(q, proposal.target_stage, lang)),
                    tables.score(proposal.gap, lang, key=f"{proposal.dimension}.gap"),
                    tables.score(proposal.priority, lang, key=f"{proposal.dimension}.priority"),
                    tables.text("; ".join(f"{a['indicator']}: {texts[a['id']]}" for a in proposal.actions)))
    return builder.build()


def _items_table(report: RegionReport, lang: str, titles: dict[str, str]) -> Table | None:
    items = plan_items(report, lang)
    if not items:
        return None
    today = report.generated_at.date()
    builder = TableBuilder(label("plan_items", lang),
                           [FIELDS["dimension"][lang], FIELDS["action"][lang], FIELDS["success_indicator"][lang],
                            FIELDS["owner"][lang], FIELDS["start"][lang], FIELDS["due"][lang],
                            FIELDS["resources"][lang], FIELDS["status"][lang]])
    for item in items:
        dimension = titles.get(item.dimension, item.dimension)
        if item.indicators:
            dimension += f" ({FIELDS['indicators'][lang].lower()}: {', '.join(item.indicators)})"
        status = STATUSES[item.status][lang] if item.status in STATUSES else item.status
        late = is_overdue(item, today)
        if late:
            status += f" – {label('overdue', lang)}"
        builder.add(tables.text(dimension, header=True), tables.text(item.action),
                    tables.text(item.success_indicator), tables.text(item.owner),
                    tables.text(fmt.iso_date(item.start) if item.start else ""),
                    tables.text(fmt.iso_date(item.due) if item.due else "", css="overdue" if late else ""),
                    tables.text(item.resources),
                    tables.text(status, css="overdue" if late else ("done" if item.status == "done" else "")))
    return builder.build(css="plan")


def _quality_table(report: RegionReport, lang: str, titles: dict[str, str]) -> Table:
    builder = TableBuilder(label("data_quality", lang),
                           [label("dimension", lang), label("answered", lang), label("not_applicable", lang),
                            label("unknown", lang), label("completeness", lang), label("respondents", lang),
                            label("dk_share", lang), label("disagreements", lang)],
                           [False, True, True, True, True, True, True, True])
    for dim in report.summary["dimensions"]:
        row = report.dimensions.loc[dim["id"]]
        builder.add(tables.text(titles[dim["id"]], header=True),
                    tables.integer(dim["answered"], lang, key=f"{dim['id']}.answered"),
                    tables.integer(dim["not_applicable"], lang, key=f"{dim['id']}.not_applicable"),
                    tables.integer(dim["unknown"], lang, key=f"{dim['id']}.unknown"),
                    tables.share(dim["completeness"], lang),
                    tables.integer(int(row["respondents"]), lang),
                    tables.share(row["dk_share"], lang),
                    tables.integer(int(row["disagreements"]), lang))
    return builder.build()


def _method(q: Questionnaire, lang: str, k: int, peer_by: str) -> dict:
    builder = TableBuilder(label("stages_table", lang),
                           [label("stage", lang), label("lower_bound", lang), label("description", lang)],
                           [False, True, False])
    for stage in q.stages:
        builder.add(tables.text(f"{stage.id} {stage.name[lang]}", header=True),
                    tables.score(stage.lower, lang, 1), tables.text(stage.description[lang]))
    levels = TableBuilder(label("scale_levels", lang), [label("level", lang), label("description", lang)],
                          [False, False])
    for level in q.levels:
        levels.add(tables.text(f"{level.value} {level.name[lang]}", header=True), tables.text(level.descriptor[lang]))
    for special in q.special:
        levels.add(tables.text(special.name[lang], header=True), tables.text(special.descriptor[lang]))
    return {
        "stages": builder.build(),
        "levels": levels.build(),
        "min_completeness": fmt.share(q.min_completeness, lang),
        "disagreement_spread": q.disagreement_spread,
        "scale_max": q.scale_max,
        "k": k,
        "peer_by": label("by_size_group" if peer_by == "size_group" else "by_nuts2", lang),
        "sources": [(s.citation, s.url) for s in q.sources],
    }


# --- national report -----------------------------------------------------------------------------------------

def render_national_html(report: NationalReport, lang: str = "sv") -> str:
    lang = normalise_language(lang)
    return environment().get_template("national.html.j2").render(**national_context(report, lang))


def national_context(report: NationalReport, lang: str) -> dict:
    q = report.q
    titles = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
    context = _common(lang, q, report.generated_at)
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
        "method": _method(q, lang, report.k, report.peer_by),
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
    return _figure("heatmap", title, chart, builder.build(note=note), describe.heatmap(data, q, lang), lang)


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
    return _figure("distribution", title, chart, builder.build(), describe.distribution(data, lang), lang)


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
    return _figure("stages", title, chart, builder.build(), describe.stages(data, q, lang), lang)


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
    return _figure("trend", title, chart, builder.build(), describe.trend(data, lang, "median", what), lang)


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
        above = [d for d in scored.index if not _missing(median.get(d)) and scored[d] > median[d]]
        below = [d for d in scored.index if not _missing(median.get(d)) and scored[d] < median[d]]
        builder.add(tables.text(report.labels[code], header=True),
                    tables.score(report.overall.loc[code, "score"], lang),
                    tables.text(_stage_name(q, report.overall.loc[code, "stage"], lang)),
                    tables.text(", ".join(above) or fmt.DASH), tables.text(", ".join(below) or fmt.DASH))
    note = ("Styrkor = dimensioner över rikets median, utvecklingsområden = under rikets median." if lang == "sv"
            else "Strengths = dimensions above the national median, gaps = below the national median.")
    return _figure("profiles", title, chart, builder.build(note=note), describe.profiles(lang, report.participating),
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

