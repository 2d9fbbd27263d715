"""Progress figures for the overview and the fill-in page, computed with the scoring method itself."""

from __future__ import annotations

import pandas as pd

import store
from app.i18n import lang, t
from questionnaires.model import Questionnaire
from reports import formatting as fmt
from scoring import score


class Snapshot:
    """What one run of the page reads from the store, read once: the assessment's answers and its scores."""

    def __init__(self, db, who, q, assessment):
        try:
            self.answers = store.current_answers(db, who, assessment.id)
        except store.Forbidden:
            self.answers = []
        try:
            sheet, _ = store.answer_sheet(db, who, q.ref, rounds=[assessment.round], regions=[assessment.region])
        except store.Forbidden:  # a respondent sees only their own sheet: no running result for the region
            sheet = None
        self.visible = sheet is not None
        self.dimensions = (score(sheet, q).dimensions.loc[(assessment.region, assessment.round)]
                           if sheet is not None and not sheet.empty else None)

    def records(self, sheet_id: int) -> dict[str, store.AnswerRecord]:
        return {r.indicator: r for r in self.answers if r.respondent_id == sheet_id}


def dimension_progress(snapshot: Snapshot, q: Questionnaire) -> pd.DataFrame | None:
    """Completeness per dimension (0 before any answer), or None when the user may not see the answers."""
    if not snapshot.visible:
        return None
    dims = snapshot.dimensions
    shares = [float(dims.loc[d.id, "completeness"]) if dims is not None else 0.0 for d in q.dimensions]
    return pd.DataFrame({
        "label": [f"{d.id} {d.title[lang()]}" for d in q.dimensions],
        "completeness": shares,
        "completeness_text": [fmt.share(share, lang()) for share in shares],
    })


def respondent_progress(snapshot: Snapshot, q: Questionnaire, respondents) -> pd.DataFrame:
    """One row per respondent sheet the user may see: role, answered / asked."""
    given: dict[int, int] = {}
    for record in snapshot.answers:
        if record.value is not None:
            given[record.respondent_id] = given.get(record.respondent_id, 0) + 1
    rows = []
    for r in respondents:
        asked = sum(1 for ind in q.indicators if ind.applies_to(r.role))
        rows.append({t("respondent"): r.name, t("role"): q.role_by_id[r.role].name[lang()] if r.role in q.role_by_id else r.role,
                     t("answered"): f"{given.get(r.id, 0)} / {asked}",
                     t("completeness"): fmt.share(given.get(r.id, 0) / asked if asked else 0, lang())})
    return pd.DataFrame(rows).set_index(t("respondent")) if rows else pd.DataFrame()
