"""'Jag är klar': a partner says their sheet is finished, and the region's lead sees it at once.

The receipt records when, by whom, and how many of the sheet's questions had an answer then. Saying it again
(after a change) moves the time. It is not the assessment's submission: the lead still submits the region's
analysis (store.submit_assessment).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from store import access, audit, clock, lookup
from store.assessments import require_editable
from store.database import Database
from store.errors import Invalid, Problem
from store.identity import Identity
from store.schema import answers, sheet_receipts


@dataclass(frozen=True)
class Receipt:
    respondent_id: int
    done_at: dt.datetime
    done_by: str
    answered: int
    asked: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.asked


def mark_done(db: Database, actor: Identity, respondent_id: int, incomplete_ok: bool = False) -> Receipt:
    """The sheet is done. Refused (`Invalid`, 'sheet_incomplete') when questions are unanswered, unless confirmed."""
    with db.writing() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "answer", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.manages_regions(who))
        access.require_concealed(access.may_answer(who, found.assessment.region, found.id), "answer")
        require_editable(found.assessment)
        answered, asked = _counts(db, conn, found)
        if answered < asked and not incomplete_ok:
            raise Invalid([Problem("sheet_incomplete", {"answered": answered, "asked": asked})])
        now = clock.now()
        conn.execute(delete(sheet_receipts).where(sheet_receipts.c.respondent_id == found.id))
        conn.execute(sheet_receipts.insert().values(respondent_id=found.id, done_at=now, done_by=who.email,
                                                    answered=answered, asked=asked))
        audit.record(conn, who, "sheet.done", f"respondent:{found.id}", region=found.assessment.region,
                     new={"answered": answered, "asked": asked}, at=now)
        return Receipt(found.id, now, who.email, answered, asked)


def receipt(db: Database, actor: Identity, respondent_id: int) -> Receipt | None:
    """The sheet's receipt, for whoever may see the sheet; None before 'Jag är klar'."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_answers", lambda: lookup.respondent_by_id(conn, respondent_id),
                                 access.reads_regions(who))
        sheet = found.assessment
        access.require_concealed(access.may_see_sheet(who, sheet.region, sheet.status, found.id), "see_answers")
        row = conn.execute(select(sheet_receipts).where(sheet_receipts.c.respondent_id == found.id)).first()
        if row is None:
            return None
        return Receipt(row.respondent_id, row.done_at, row.done_by, row.answered, row.asked)


def _counts(db: Database, conn: Connection, found) -> tuple[int, int]:
    q = db.questionnaire(found.assessment.questionnaire_ref, conn)
    asked_ids = [indicator.id for indicator in q.indicators if indicator.applies_to(found.role)]
    answered = conn.execute(select(func.count()).select_from(answers).where(
        answers.c.respondent_id == found.id, answers.c.value.is_not(None),
        answers.c.indicator.in_(asked_ids))).scalar_one() if asked_ids else 0
    return answered, len(asked_ids)

