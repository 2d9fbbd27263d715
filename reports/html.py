"""What the region and national HTML reports share: the Jinja2 environment, the stylesheet, the figure (chart,
description and data table), the common context and the method appendix. The reports themselves:
`reports.region_html` and `reports.national_html`; each is one self-contained file (inline CSS and SVG).

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

from questionnaires.model import Questionnaire
from reports import formatting as fmt
from reports import tables
from reports.labels import label
from reports.provenance import version
from reports.svg import to_svg
from reports.tables import Table, TableBuilder
from scoring.bootstrap import REPLICATES
from scoring.method2 import (
    FOUNDATION_BELOW,
    FOUNDATION_OVERALL,
    LOW_COMPLETENESS,
    LOW_RESPONDENTS,
    LOW_ROLES,
    LOW_WIDTH,
)
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


def figure(ident: str, title: str, chart, table: Table, description: str, lang: str) -> Figure:
    svg = to_svg(chart, lang, label=label("chart", lang, title=title), ident=ident, described_by=f"{ident}-desc")
    return Figure(ident, title, Markup(svg), description, table)


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def stage_name(q: Questionnaire, stage_id: object, lang: str) -> str:
    if not isinstance(stage_id, str):
        return label("no_score", lang)
    stage = next(s for s in q.stages if s.id == stage_id)
    return f"{stage.id} {stage.name[lang]}"


def reason_text(q: Questionnaire, reason: str, lang: str) -> str:
    if reason == INSUFFICIENT:
        return label("reason_insufficient", lang, limit=fmt.share(q.min_completeness, lang))
    return label("reason_not_applicable", lang)


def common_context(lang: str, q: Questionnaire, generated_at) -> dict:
    return {
        "lang": lang,
        "t": lambda code, **params: label(code, lang, **params),
        "css": stylesheet(),
        "q": q,
        "footer": label("footer", lang, version=version(), date=fmt.iso_date(generated_at)),
        "marking": [],
    }


def method_context(q: Questionnaire, lang: str, k: int, peer_by: str) -> dict:
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
        "method_version": q.method,
        "disagreement_below": fmt.decimal(q.disagreement_below, lang, 1),
        "required_dimensions": q.required_dimensions,
        "dimension_count": len(q.dimensions),
        "replicates": fmt.integer(REPLICATES, lang),
        "foundation": ", ".join(f"{d.id} {d.title[lang]}" for d in q.dimensions if d.foundation),
        "foundation_below": fmt.decimal(FOUNDATION_BELOW, lang, 1),
        "foundation_overall": fmt.decimal(FOUNDATION_OVERALL, lang, 1),
        "low": {"respondents": LOW_RESPONDENTS, "roles": LOW_ROLES, "width": fmt.decimal(LOW_WIDTH, lang, 1),
                "completeness": fmt.share(LOW_COMPLETENESS, lang)},
        "stages": builder.build(),
        "levels": levels.build(),
        "min_completeness": fmt.share(q.min_completeness, lang),
        "disagreement_spread": q.disagreement_spread,
        "scale_max": q.scale_max,
        "k": k,
        "peer_by": label("by_size_group" if peer_by == "size_group" else "by_nuts2", lang),
        "sources": [(s.citation, s.url) for s in q.sources],
    }
