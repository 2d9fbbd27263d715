"""Progress figures for the overview and the fill-in page, computed with the scoring method itself."""

from __future__ import annotations

import pandas as pd

import store
from app.i18n import lang, t
from questionnaires.model import Questionnaire
from reports import formatting as fmt
from scoring import score


def dimension_progress(db, who, q: Questionnaire, region: str, round_: str) -> pd.DataFrame | None:
    """Completeness per dimension for one assessment, or None when the user may not see all its answers."""
    try:
        sheet, _ = store.answer_sheet(db, who, q.ref, rounds=[round_], regions=[region])
    except store.Forbidden:
        return None
    if sheet.empty:
        return pd.DataFrame({"label": [f"{d.id} {d.title[lang()]}" for d in q.dimensions], "completeness": 0.0,
                             "completeness_text": fmt.share(0.0, lang())})
    dims = score(sheet, q).dimensions.loc[(region, round_)]
    return pd.DataFrame({
        "label": [f"{d.id} {d.title[lang()]}" for d in q.dimensions],
        "completeness": [float(dims.loc[d.id, "completeness"]) for d in q.dimensions],
        "completeness_text": [fmt.share(dims.loc[d.id, "completeness"], lang()) for d in q.dimensions],
    })


def respondent_progress(db, who, q: Questionnaire, assessment) -> pd.DataFrame:
    """One row per respondent sheet the user may see: role, answered / asked."""
    respondents = store.list_respondents(db, who, assessment.id)
    try:
        answers = store.current_answers(db, who, assessment.id)
    except store.Forbidden:
        answers = []
    given: dict[int, int] = {}
    for record in answers:
        if record.value is not None:
            given[record.respondent_id] = given.get(record.respondent_id, 0) + 1
    rows = []
    for r in respondents:
        asked = sum(1 for ind in q.indicators if ind.applies_to(r.role))
        rows.append({t("respondent"): r.name, t("role"): q.role_by_id[r.role].name[lang()] if r.role in q.role_by_id else r.role,
                     t("answered"): f"{given.get(r.id, 0)} / {asked}",
                     t("completeness"): fmt.share(given.get(r.id, 0) / asked if asked else 0, lang())})
    return pd.DataFrame(rows).set_index(t("respondent")) if rows else pd.DataFrame()
