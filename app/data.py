"""Data for the result pages, read from the store with the signed-in identity and scored with the method.

Nothing here is cached across users: every call reads what this identity may see at this moment.
"""

from __future__ import annotations

import pandas as pd

import store
from questionnaires.model import Questionnaire
from reports.model import Comment, region_report
from scoring import Scores, plan, score


def round_order(db, who) -> list[str]:
    return [r.label for r in sorted(store.list_rounds(db, who), key=lambda r: (r.opened_at, r.id))]


def region_scores(db, who, q: Questionnaire, region: str, round_: str):
    """(sheet, scores, plan) of one region and round, or None when nothing is visible."""
    try:
        sheet, _ = store.answer_sheet(db, who, q.ref, rounds=[round_], regions=[region])
    except store.Forbidden:
        return None
    if sheet.empty:
        return None
    scores = score(sheet, q)
    return sheet, scores, plan(scores, q)


def comparison(db, who, q: Questionnaire, rounds: list[str] | None = None):
    """(scores, roster) for comparisons: every submitted region the store releases to this identity.

    Regions the identity may not see by name arrive under pseudonyms; pages show them only as aggregates.
    """
    basis = store.comparison_basis(db, who, q.ref, rounds=rounds)
    return basis.scores, basis.roster, basis.named


def _comments(frame: pd.DataFrame) -> list[Comment]:
    return [Comment(row.respondent, row.indicator, row.comment) for row in frame.itertuples() if row.comment]


def region_answers(db, who, q: Questionnaire, region: str, round_: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(answer sheet, comments) of one region and round, as the store releases them to this identity."""
    return store.answer_sheet(db, who, q.ref, rounds=[round_], regions=[region])


def region_report_for(db, who, q: Questionnaire, region: str, round_: str, items=None, peer_by: str = "size_group",
                      answers: tuple[pd.DataFrame, pd.DataFrame] | None = None):
    """The RegionReport of one region and round, compared with every region the store releases.

    `answers` is `region_answers(...)` when the caller has already read them."""
    sheet, comments = answers if answers is not None else region_answers(db, who, q, region, round_)
    if sheet.empty:
        return None
    own = score(sheet, q)
    basis = store.comparison_basis(db, who, q.ref)
    merged = _merge(basis.scores, own, region, round_)
    return region_report(merged, q, region, round_, sheet=sheet, comments=_comments(comments), items=items,
                         roster=basis.roster, rounds=round_order(db, who), peer_by=peer_by)


def _merge(basis: Scores, own: Scores, region: str, round_: str) -> Scores:
    """The comparison basis with this region's round as the user sees it (a draft is not in the basis)."""
    def without(frame: pd.DataFrame) -> pd.DataFrame:
        index = frame.index
        return frame[~((index.get_level_values("region") == region) & (index.get_level_values("round") == round_))]

    return Scores(*(pd.concat([without(b), o]) for b, o in
                    ((basis.indicators, own.indicators), (basis.dimensions, own.dimensions),
                     (basis.overall, own.overall))))


def dimension_changes(db, who, q: Questionnaire, region: str, before: str, after: str) -> dict[str, float]:
    """Score change per dimension from round `before` to `after` (only where both have a score)."""
    try:
        sheet, _ = store.answer_sheet(db, who, q.ref, rounds=[before, after], regions=[region])
    except store.Forbidden:
        return {}
    if sheet.empty:
        return {}
    dims = score(sheet, q).dimensions["score"]
    changes = {}
    for dim in q.dimensions:
        try:
            old, new = dims.loc[(region, before, dim.id)], dims.loc[(region, after, dim.id)]
        except KeyError:
            continue
        if pd.notna(old) and pd.notna(new):
            changes[dim.id] = float(new - old)
    return changes


def plan_workbook_bytes(db, who, q: Questionnaire, assessment, lang: str) -> bytes:
    from reports.planbook import plan_workbook

    items = store.plan_items(db, who, assessment.id)
    report = region_report_for(db, who, q, assessment.region, assessment.round, items=items)
    return plan_workbook(report, lang, items)
