"""The follow-up round's shared pieces: which round came before, how its indicators map onto this round's, and
the messages of the follow-up operations (store/carry.py, store/plan_review.py).

The previous round of a region's assessment is the region's assessment in the latest round opened before this
one (rounds ordered by opening time, as `store.list_rounds`). Its questionnaire may be another version: the
indicators are then mapped through the bundled crosswalk between the two versions (questionnaires/crosswalk.py),
and only *comparable* ones (`same`, `reworded`) map; the others are new or changed in this version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, or_, select

from questionnaires.crosswalk import CrosswalkError
from questionnaires.crosswalk import find as find_crosswalk
from questionnaires.model import Questionnaire
from questionnaires.text import Catalogue, Text
from store.errors import NotEditable, NotFound, Problem
from store.lookup import AssessmentRow
from store.messages import MESSAGES as STORE_MESSAGES
from store.schema import assessments, rounds

NEW, CHANGED = "new", "changed"  # why an indicator starts empty in a follow-up round

MESSAGES = Catalogue({
    "no_previous_round": {"sv": "{region} har ingen tidigare omgång att utgå från",
                          "en": "{region} has no earlier round to start from"},
    "not_this_assessment": {"sv": "svarsbladet {value} hör inte till den här bedömningen",
                            "en": "the answer sheet {value} does not belong to this assessment"},
    "no_proposal": {"sv": "det finns inget förslag från förra omgången för {indicator}",
                    "en": "there is no proposal from last round for {indicator}"},
    "reason_missing": {"sv": "skriv kort vad som har ändrats sedan förra omgången",
                       "en": "say briefly what has changed since last round"},
    "reason_too_long": {"sv": "beskrivningen av vad som ändrats är {length} tecken; högst {limit}",
                        "en": "the description of what changed is {length} characters; at most {limit}"},
    "review_unknown_action": {"sv": "åtgärden {value} finns inte i förra omgångens handlingsplan",
                              "en": "the action {value} is not in last round's action plan"},
    "review_bad_status": {"sv": "okänd status '{value}' (tillåtna: {allowed})",
                          "en": "unknown status '{value}' (allowed: {allowed})"},
    "review_cannot_continue": {"sv": "en åtgärd som är {status} kan inte fortsätta i den nya planen",
                               "en": "an action that is {status} cannot continue into the new plan"},
    "outcome_too_long": {"sv": "utfallet är {length} tecken; högst {limit}",
                         "en": "the outcome is {length} characters; at most {limit}"},
    "review_missing": {"sv": "gå igenom förra omgångens åtgärder först: {count} av {total} saknar status",
                       "en": "review last round's actions first: {count} of {total} have no status"},
    "plan_not_empty": {"sv": "den nya handlingsplanen har redan åtgärder; fortsättande åtgärder läggs till en gång",
                       "en": "the new action plan already has actions; continuing actions are added once"},
}, base=STORE_MESSAGES)


def _localise(params: dict, lang: str) -> dict:
    return {key: value[lang] if isinstance(value, Text) else value for key, value in params.items()}


class FollowupProblem(Problem):
    """A problem whose message is in this module's catalogue (falling back on the store's)."""

    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **_localise(self.params, lang))


class FollowupNotEditable(NotEditable):
    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **_localise(self.params, lang))


class FollowupNotFound(NotFound):
    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **_localise(self.params, lang))


@dataclass(frozen=True)
class Previous:
    """The region's assessment in the previous round."""

    assessment_id: int
    round_id: int
    round: str  # label
    questionnaire_ref: str


def previous_assessment(conn: Connection, found: AssessmentRow) -> Previous | None:
    """The region's assessment in the previous round, or None: among the rounds opened before `found`'s round
    in which the region has an assessment, the latest of the same questionnaire version; without one, the latest
    whose version a bundled crosswalk leads from (as the results page's change, service/reports.py); without
    that, simply the latest. So a pilot of another version in between does not hide last year's round."""
    this = conn.execute(select(rounds.c.opened_at, rounds.c.id).where(rounds.c.id == found.round.id)).one()
    earlier = or_(rounds.c.opened_at < this.opened_at, and_(rounds.c.opened_at == this.opened_at, rounds.c.id < this.id))
    rows = conn.execute(
        select(assessments.c.id, rounds.c.id.label("round_id"), rounds.c.label, assessments.c.questionnaire_ref)
        .join_from(assessments, rounds)
        .where(assessments.c.region_code == found.region, earlier)
        .order_by(rounds.c.opened_at.desc(), rounds.c.id.desc())).all()
    if not rows:
        return None
    chosen = (next((row for row in rows if row.questionnaire_ref == found.questionnaire_ref), None)
              or next((row for row in rows if _has_crosswalk(row.questionnaire_ref, found.questionnaire_ref)), None)
              or rows[0])
    return Previous(chosen.id, chosen.round_id, chosen.label, chosen.questionnaire_ref)


def _has_crosswalk(old_ref: str, new_ref: str) -> bool:
    try:
        find_crosswalk(old_ref, new_ref)
    except (KeyError, CrosswalkError):
        return False
    return True


def indicator_map(old_ref: str, q: Questionnaire) -> tuple[dict[str, str], dict[str, str]]:
    """(new indicator → the old indicator it continues comparably, new indicator → NEW or CHANGED) from the
    version `old_ref` to `q`. The same version maps every indicator onto itself; without a bundled crosswalk
    nothing is comparable."""
    if old_ref == q.ref:
        return {ind.id: ind.id for ind in q.indicators}, {}
    try:
        crosswalk = find_crosswalk(old_ref, q.ref)
    except (KeyError, CrosswalkError):
        return {}, {ind.id: CHANGED for ind in q.indicators}
    sources, notes = {}, {}
    for ind in q.indicators:
        before = crosswalk.previous(ind.id)
        if before is not None:
            sources[ind.id] = before
        else:
            origin = crosswalk.origins.get(ind.id)
            notes[ind.id] = NEW if origin is None or origin.new else CHANGED
    return sources, notes
