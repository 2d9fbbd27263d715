"""The region report as one self-contained HTML file (Jinja2 template `region.html.j2`; inline CSS and SVG).

Shared pieces (environment, stylesheet, figures, the method appendix) live in `reports.html`.
"""

from __future__ import annotations

import math

from questionnaires.actionplan import FIELDS, STATUSES
from questionnaires.model import Questionnaire
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
    reason_text,
    stage_name,
)
from reports.labels import label, peer_group_name
from reports.model import RegionReport, is_overdue, plan_items
from reports.tables import Cell, Table, TableBuilder
from scoring import explain


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
    context = common_context(lang, q, report.generated_at)
    context.update({
        "title": f"{label('region_report', lang)}: {report.region.name} – {report.round}",
        "region": report.region,
        "round": report.round,
        "facts": _region_facts(report, lang),
        "overall": {
            "score": tables.score(overall["score"], lang, key="overall.score"),
            "percent": tables.percent(overall["percent"], lang, key="overall.percent"),
            "stage": stage_name(q, overall["stage"], lang),
            "stage_description": next((s.description[lang] for s in q.stages if s.id == overall["stage"]), ""),
            "has_score": not missing(overall["score"]),
        },
        "dimension_table": _dimension_table(report, lang, titles),
        "uncertainty": _uncertainty(report, lang, titles),
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
        "version_change": _version_change(report, lang, titles),
        "followup_html": _followup(report, lang),
        "dimensions": [_dimension_section(report, dim, lang) for dim in q.dimensions],
        "priorities": _priority_table(report, lang, titles),
        "items": _items_table(report, lang, titles),
        "proposed": report.items is None,
        "quality_table": _quality_table(report, lang, titles),
        "method": method_context(q, lang, report.k, report.peer_by),
        "marking": report.marking.lines(lang),
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
        stage = stage_name(report.q, dim["stage"], lang) if dim["stage"] else \
            reason_text(report.q, report.dimensions.loc[dim["id"], "reason"], lang)
        builder.add(tables.text(titles[dim["id"]], header=True),
                    tables.score(dim["score"], lang, key=f"{dim['id']}.score"),
                    tables.percent(dim["percent"], lang, key=f"{dim['id']}.percent"),
                    tables.text(stage),
                    tables.share(dim["completeness"], lang, key=f"{dim['id']}.completeness"))
    overall = report.summary["overall"]
    builder.add(tables.text(label("overall", lang), header=True, css="total"),
                tables.score(overall["score"], lang, key="overall.score"),
                tables.percent(overall["percent"], lang, key="overall.percent"),
                tables.text(stage_name(report.q, overall["stage"], lang)),
                tables.text(""))
    return builder.build()


def _uncertainty(report: RegionReport, lang: str, titles: dict[str, str]) -> dict | None:
    """Method 2: each score's 90 % interval and, in plain words, why a score is uncertain; the foundation
    flag. None for method 1 (its report is unchanged)."""
    if not report.intervals and not report.flags:
        return None
    words = explain.WORDS
    builder = TableBuilder(words.render("interval", lang),
                           [label("dimension", lang), label("score", lang), words.render("interval", lang),
                            words.render("confidence", lang)],
                           [False, True, True, False])
    notes = []
    rows = [(d["id"], titles[d["id"]], d) for d in report.summary["dimensions"]]
    rows.append(("overall", label("overall", lang), report.summary["overall"]))
    for key, title, item in rows:
        if key not in report.intervals:
            continue
        lo, hi = (fmt.decimal(end, lang, 2) for end in report.intervals[key])
        sentence = explain.uncertain(list(report.low_confidence.get(key, ())), lang,
                                     respondents=item.get("panel", {}).get("respondents", 0), lo=lo, hi=hi,
                                     share=fmt.share(item.get("completeness"), lang))
        builder.add(tables.text(title, header=True, css="total" if key == "overall" else ""),
                    tables.score(item["score"], lang), tables.text(words.render("interval_range", lang, lo=lo, hi=hi)),
                    tables.text(sentence))
        if key == "overall" and sentence:
            notes.append(sentence)
    if "foundation" in report.flags:
        weak = [d["id"] for d in report.summary["dimensions"]
                if d.get("foundation") and d["score"] is not None and d["score"] < 2]
        notes.append(words.render("foundation_flag", lang, dimensions=", ".join(weak)))
    return {"table": builder.build(), "notes": notes}


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
    name = peer_group_name(report.peer_by, group, lang)  # in words, never a bare code such as "C" or "SE12"
    what = label("by_size_group" if report.peer_by == "size_group" else "by_nuts2", lang)
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
    return figure("profile", title, chart, builder.build(note=note),
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
    return figure("trend", title, chart, builder.build(),
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


def _version_change(report: RegionReport, lang: str, titles: dict[str, str]) -> dict | None:
    """The previous round used an earlier instrument version: a change only where the crosswalk says the
    question is comparable; every other row says "inte jämförbar" (as Resultat in the app does)."""
    change = report.version_change
    if change is None:
        return None
    q = report.q
    never = label("not_comparable_short", lang)

    def cells(row, now: str, key: str) -> list[Cell]:
        comparable = bool(row["comparable"])
        return [tables.score(row["previous"], lang) if comparable else tables.text(never),
                tables.score(row[now], lang),
                tables.signed(row["change"], lang, key=key) if comparable else tables.text(never)]

    dims = TableBuilder(label("change_since", lang),
                        [label("dimension", lang), f"{label('previous', lang)} ({change.previous_round})",
                         label("score", lang), label("change", lang)], [False, True, True, True])
    for dim_id, row in change.dimensions.iterrows():
        dims.add(tables.text(titles.get(dim_id, dim_id), header=True), *cells(row, "score", f"{dim_id}.change"))
    same = change.indicators[change.indicators["comparable"]]
    inds = None
    if len(same):
        builder = TableBuilder(label("comparable_indicators", lang),
                               [label("indicator", lang), label("earlier_indicator", lang),
                                f"{label('previous', lang)} ({change.previous_round})", label("value", lang),
                                label("change", lang)], [False, False, True, True, True])
        for ind_id, row in same.iterrows():
            builder.add(tables.text(f"{ind_id} {q.indicator_by_id[ind_id].statement[lang]}", header=True),
                        tables.text(f"{row['previous_indicator']} ({change.previous_round})"),
                        *cells(row, "value", f"{ind_id}.change"))
        inds = builder.build()
    return {
        "intro": label("version_changed", lang, round=change.previous_round, previous=change.previous_ref,
                       current=q.ref),
        "dimensions": dims.build(),
        "indicators": inds,
        "others": label("others_not_comparable", lang, n=len(change.indicators) - len(same)),
    }


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
        if summary["status"] in ("value", "consensus"):  # a consensus value (method 2) is a value too
            level, descriptor = _level_text(q, ind, summary["value"], lang)
            spread = f"{int(scores['min'])}–{int(scores['max'])}" if not missing(scores["min"]) else fmt.DASH
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
            "method2": _method2_indicator(q, summary, lang),
        })
    status = reason_text(q, row["reason"], lang) if data["score"] is None else stage_name(q, data["stage"], lang)
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


def _method2_indicator(q: Questionnaire, summary: dict, lang: str) -> dict | None:
    """Method 2: the roles' medians and, where the partnership agreed one, the consensus record."""
    if "agreement" not in summary:
        return None
    words = explain.WORDS
    roles = "; ".join(f"{q.role_by_id[r].name[lang] if r in q.role_by_id else r} {fmt.decimal(m, lang, 1)}"
                      for r, m in summary["roles"].items())
    record = summary.get("consensus") or {}
    when = " · ".join(text for text in (record.get("decided_at"), record.get("decided_by")) if text)
    return {
        "roles": f"{words.render('role_split', lang)}: {roles}" if roles else "",
        "consensus_title": words.render("consensus_value", lang) if record else "",
        "consensus": [text for text in (record.get("rationale"), record.get("evidence"), when) if text],
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
                    tables.text(stage_name(q, report.dimension(proposal.dimension)["stage"], lang)),
                    tables.text(stage_name(q, proposal.target_stage, lang)),
                    tables.score(proposal.gap, lang, key=f"{proposal.dimension}.gap"),
                    tables.score(proposal.priority, lang, key=f"{proposal.dimension}.priority"),
                    tables.text("\n".join(_step(a["indicator"], texts[a["id"]]) for a in proposal.actions),
                                css="steps"))
    return builder.build()


def _step(indicator: str, text: str) -> str:
    """One suggested step on a line of its own ("D9.2: Ta fram …."); the library's texts end in a full stop."""
    text = text.strip()
    return f"{indicator}: {text}" if text.endswith((".", "!", "?")) else f"{indicator}: {text}."


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




def _followup(report: RegionReport, lang: str):
    """The follow-up section (reports/followup.py) in a region's second and later rounds; "" otherwise."""
    if report.followup is None:
        return ""
    from markupsafe import Markup

    from reports.followup import render_followup_html

    return Markup(render_followup_html(report.followup, report.q, lang))  # its own template escapes every text
