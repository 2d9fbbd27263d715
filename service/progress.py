"""What the overview and the fill-in page read once per run: an assessment's answers, and — only when a page
looks at it — its running scores, computed with the scoring method itself."""

from __future__ import annotations

from functools import cached_property

import store
from scoring import score


class Snapshot:
    """One run's view of an assessment: its current answers (read at once) and its scores (read and computed
    on first use, so that a run which does not show them does not pay for them)."""

    def __init__(self, db, who, q, assessment):
        self._db, self._who, self._q, self._assessment = db, who, q, assessment
        try:
            self.answers = store.current_answers(db, who, assessment.id)
        except store.Forbidden:
            self.answers = []

    @cached_property
    def _sheet(self):
        a = self._assessment
        try:
            sheet, _ = store.answer_sheet(self._db, self._who, self._q.ref, rounds=[a.round], regions=[a.region])
        except store.Forbidden:  # a respondent sees only their own sheet: no running result for the region
            return None
        return sheet

    @property
    def visible(self) -> bool:
        return self._sheet is not None

    @cached_property
    def dimensions(self):
        sheet, a = self._sheet, self._assessment
        return score(sheet, self._q).dimensions.loc[(a.region, a.round)] if sheet is not None and not sheet.empty \
            else None

    def records(self, sheet_id: int) -> dict[str, store.AnswerRecord]:
        return {r.indicator: r for r in self.answers if r.respondent_id == sheet_id}
