"""What the overview and the fill-in page read once per run: an assessment's answers and its running scores,
computed with the scoring method itself."""

from __future__ import annotations

import store
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
