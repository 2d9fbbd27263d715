"""The national report as a workbook: summary with the heatmap, regions, dimensions, indicators, dictionary.

The tables are those of open data (`reports.opendata`), in the report's region order and with its labels, so
the workbook and the open-data files never disagree.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.utils import get_column_letter

from questionnaires.text import normalise_language
from reports import charts, describe, svg, xlsx
from reports.labels import label
from reports.model import NationalReport, tier_table
from reports.opendata import (
    TABLE_NAMES,
    about_lines,
    cell_format,
    column_width,
    data_dictionary,
    dictionary_for_people,
    for_people,
    header,
    tidy_table,
)
from scoring import explain
from scoring.compare import NO_STAGE


def national_workbook(report: NationalReport, lang: str = "sv") -> bytes:
    """The national report as a workbook: summary with the heatmap, regions, dimensions, indicators, dictionary."""
    lang = normalise_language(lang)
    q = report.q
    # A reader who may see aggregates only gets no row per region: the summary, the dictionary and "Om" only.
    data = {} if report.aggregates_only else _report_tables(report, lang)
    wb = Workbook()
    xlsx.mark_properties(wb, report.marking.text(lang))
    summary = wb.active
    summary.title = TABLE_NAMES["summary"][lang]
    _national_summary(summary, report, lang)
    for name in data:
        _normal_frame_sheet(wb.create_sheet(TABLE_NAMES[name][lang]), for_people(data[name], lang), lang)
    _normal_frame_sheet(wb.create_sheet(TABLE_NAMES["dictionary"][lang]),
                        dictionary_for_people(data_dictionary(lang, report.named, q.method), lang), lang)
    about = wb.create_sheet(TABLE_NAMES["about"][lang])
    for r, line in enumerate(about_lines(q, lang, report.named, report.generated_at, report.rounds), start=1):
        for c, value in enumerate(line, start=1):
            xlsx.put(about, r, c, value, font=xlsx.BOLD if c == 1 else None, alignment=xlsx.WRAP)
    xlsx.widths(about, [26, 110])
    return xlsx.save(wb)


def _report_tables(report: NationalReport, lang: str) -> dict[str, pd.DataFrame]:
    def with_round(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["round"] = report.round
        index = list(frame.index.names)
        return frame.reset_index().set_index(["region", "round", *index[1:]])

    roster = report.roster if report.named else {}
    frames = {"overall": with_round(report.overall), "dimensions": with_round(report.dimensions),
              "indicators": with_round(report.indicators)}
    unpublished = [report.round] if report.marking.preliminary else []
    tables = {name: tidy_table(name, frame, report.q, lang, roster, report.labels, report.named, [report.round],
                               unpublished, report.marking)
              for name, frame in frames.items()}
    position = {code: i for i, code in enumerate(report.order)}
    back = {report.labels[code]: position[code] for code in report.order}
    for name, table in tables.items():  # the report's region order, not alphabetical by label
        tables[name] = table.iloc[np.argsort(table["region"].map(back).to_numpy(), kind="stable")].reset_index(drop=True)
    return tables


def _normal_frame_sheet(ws, frame: pd.DataFrame, lang: str) -> None:
    columns = list(frame.columns)
    xlsx.header_row(ws, 1, [header(c, lang) for c in columns])
    formats = [cell_format(c) for c in columns]
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        for c, (value, fmt) in enumerate(zip(row, formats, strict=True), start=1):
            xlsx.put(ws, r, c, None if value is pd.NA else value, number_format=fmt)
    xlsx.widths(ws, [column_width(c) for c in columns])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    xlsx.print_setup(ws, title_rows="1:1")


def _national_summary(ws, report: NationalReport, lang: str) -> None:
    q = report.q
    put = xlsx.put
    put(ws, 1, 1, f"{label('national_report', lang)} – {report.round}", font=xlsx.TITLE_FONT)
    put(ws, 2, 1, f"{label('participating', lang)}: {report.participating} · "
                  f"{label('named' if report.named else 'anonymised', lang)}", font=xlsx.MUTED)
    put(ws, 3, 1, report.marking.text(lang), font=xlsx.MARKING_FONT, fill=xlsx.MARKING_FILL)
    headers = [label("dimension", lang), label("regions_with_score", lang), label("min", lang), label("q1", lang),
               label("median", lang), label("q3", lang), label("max", lang)]
    xlsx.header_row(ws, 4, headers)
    row = 4
    for dim in q.dimensions:
        row += 1
        stats = report.national.loc[dim.id]
        put(ws, row, 1, f"{dim.id} {dim.title[lang]}")
        put(ws, row, 2, int(stats["n"]))
        for c, key in enumerate(("min", "q1", "median", "q3", "max"), start=3):
            put(ws, row, c, stats[key], number_format=xlsx.SCORE_FORMAT)
    row += 1
    put(ws, row, 1, label("overall", lang), font=xlsx.BOLD)
    put(ws, row, 2, int(report.national_overall["n"]), font=xlsx.BOLD)
    for c, key in enumerate(("min", "q1", "median", "q3", "max"), start=3):
        put(ws, row, c, report.national_overall[key], number_format=xlsx.SCORE_FORMAT, font=xlsx.BOLD)
    row += 2
    stage_ids = [s.id for s in q.stages] + [NO_STAGE]
    xlsx.header_row(ws, row, [label("stage_distribution", lang)] + [f"{s.id} {s.name[lang]}" for s in q.stages]
                    + [label("no_stage", lang)])
    table_rows = [("", label("overall", lang), report.overall_stages)] + [
        (dim.id, f"{dim.id} {dim.title[lang]}", report.stages.xs(dim.id, level="dimension")) for dim in q.dimensions]
    for _, title, counts in table_rows:
        row += 1
        put(ws, row, 1, title)
        for c, stage in enumerate(stage_ids, start=2):
            put(ws, row, c, int(counts.loc[stage, "regions"]) if stage in counts.index else 0)
    _method2_summary(ws, report, lang, row)
    xlsx.widths(ws, [44, 14, 12, 12, 12, 12, 12, 14])
    if report.aggregates_only:  # no heat map of regions: say why where it would be
        put(ws, 4, 10, label("regions_absent", lang, n=report.participating), alignment=xlsx.WRAP)
        ws.column_dimensions["J"].width = 70
    else:
        chart, _ = charts.heatmap_chart(report.dimensions, report.labels, report.order, q, lang)
        image = Image(io.BytesIO(svg.to_png(chart, lang, scale=2)))
        image.width, image.height = image.width / 2, image.height / 2
        ws.add_image(image, "J4")
    xlsx.print_setup(ws)


def _method2_summary(ws, report: NationalReport, lang: str, row: int) -> int:
    """Method 2 (docs/method.md 10.10): the tiers with rank intervals (never a league table) and the change
    since the previous round, below the stage table; numbers stay numbers. Nothing for method 1."""
    found = tier_table(report)
    if found.empty:
        return row
    put = xlsx.put
    words = explain.WORDS
    row += 2
    put(ws, row, 1, label("tiers", lang), font=xlsx.BOLD)
    row += 1
    put(ws, row, 1, label("rank_note", lang), font=xlsx.MUTED)
    row += 1
    xlsx.header_row(ws, row, [label("tier", lang), label("region", lang), label("overall", lang),
                              label("interval_from", lang), label("interval_to", lang), label("rank_median", lang),
                              label("rank_from", lang), label("rank_to", lang), label("respondents_answered", lang),
                              words.render("confidence", lang)])
    for _, item in found.iterrows():
        row += 1
        uncertain = describe.uncertain(item["reasons"], lang, respondents=item["panel"], lo=item["interval_lo"],
                                       hi=item["interval_hi"], completeness=item["completeness"]) \
            if item["low_confidence"] else ""
        values = [describe.tier(item["tier"], lang), item["label"], item["score"], item["interval_lo"],
                  item["interval_hi"], *(None if pd.isna(item[c]) else int(item[c])
                                         for c in ("rank_median", "rank_lo", "rank_hi")),
                  int(item["panel"]), uncertain]
        for column, value in enumerate(values, start=1):
            put(ws, row, column, value, number_format=xlsx.SCORE_FORMAT if column in (3, 4, 5) else None)
    changes = report.changes
    if changes is None or not len(changes):
        return row
    previous = str(changes["previous_round"].iloc[0])
    row += 2
    put(ws, row, 1, label("changes_since", lang, round=previous), font=xlsx.BOLD)
    row += 1
    put(ws, row, 1, label("changes_intro", lang, round=previous), font=xlsx.MUTED)
    row += 1
    xlsx.header_row(ws, row, [label("region", lang), label("score_in", lang, round=previous),
                              label("interval_from", lang), label("interval_to", lang),
                              label("score_in", lang, round=report.round), label("interval_from", lang),
                              label("interval_to", lang), label("change", lang), label("conclusion", lang)])
    for code in report.order:
        if code not in changes.index:
            continue
        item = changes.loc[code]
        row += 1
        values = [report.labels[code], item["previous"], item["previous_lo"], item["previous_hi"], item["score"],
                  item["interval_lo"], item["interval_hi"], item["change"], describe.certainty(item["certain"], lang)]
        for column, value in enumerate(values, start=1):
            put(ws, row, column, None if isinstance(value, float) and np.isnan(value) else value,
                number_format=xlsx.SCORE_FORMAT if 2 <= column <= 8 else None)
    return row
