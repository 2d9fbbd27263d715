"""The workshop's use cases beside the store's moves: the reveal's figures and the workshop report.

The store decides what may be seen (no votes before the reveal, no names); scoring.workshop computes the
figures from what the store released; reports.workshop_html renders the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import store
from questionnaires.model import Questionnaire
from scoring.workshop import Reveal, reveal
from store import workshops


@dataclass(frozen=True)
class Shown:
    """The current indicator's result as the room sees it: the first vote and, if held, the second."""

    indicator: str
    first: Reveal
    second: Reveal | None

    @property
    def last(self) -> Reveal:
        return self.second if self.second is not None else self.first


def _reveal(votes: list[workshops.Vote], q: Questionnaire) -> Reveal:
    return reveal([(v.stakeholder_group, v.value) for v in votes], q.scale_max, q.disagreement_below)


def shown(db: store.Database, who: store.Identity, workshop_id: int) -> Shown:
    """The revealed result of the indicator on screen (the store refuses before the reveal)."""
    found = workshops.get_workshop(db, who, workshop_id)
    q = db.questionnaire(found.questionnaire_ref)
    first, second = workshops.revealed_votes(db, who, workshop_id)
    return Shown(found.current_indicator, _reveal(first, q), _reveal(second, q) if second else None)


@dataclass(frozen=True)
class ReportItem:
    indicator: str
    first: Reveal | None
    second: Reveal | None
    consensus: workshops.ConsensusRecord | None


@dataclass(frozen=True)
class WorkshopReport:
    workshop: workshops.Workshop
    questionnaire: Questionnaire
    items: tuple[ReportItem, ...]
    participants: dict[str, int]  # stakeholder group → people who took part (not removed)
    demo: bool


def report(db: store.Database, who: store.Identity, workshop_id: int) -> WorkshopReport:
    """Per indicator: the distribution by group (first and second vote), the consensus with its rationale,
    evidence and dissent. Names never appear."""
    found = workshops.get_workshop(db, who, workshop_id)
    q = db.questionnaire(found.questionnaire_ref)
    votes = workshops.all_votes(db, who, workshop_id)
    agreed = {record.indicator: record for record in workshops.consensus_of(db, who, found.assessment_id)}
    items = []
    for indicator in found.indicators:
        first, second = votes.get(indicator, ([], []))
        items.append(ReportItem(indicator, _reveal(first, q) if first else None, _reveal(second, q) if second else None,
                                agreed.get(indicator)))
    people: dict[str, int] = {}
    for person, _ in workshops.participants(db, who, workshop_id):
        people[person.stakeholder_group] = people.get(person.stakeholder_group, 0) + 1
    return WorkshopReport(found, q, tuple(items), people, store.is_demo(db))


def report_html(db: store.Database, who: store.Identity, workshop_id: int, lang: str) -> str:
    from reports.workshop_html import render

    return render(report(db, who, workshop_id), lang)


def report_pdf(db: store.Database, who: store.Identity, workshop_id: int, lang: str) -> bytes:
    from reports.pdf import html_to_pdf

    return html_to_pdf(report_html(db, who, workshop_id, lang))


@dataclass(frozen=True)
class Clarify:
    """An indicator the room strongly disagreed on: a proposed 'förtydliga' action for the plan."""

    indicator: str
    dimension: str
    agreement: float
    workshop: str


CLARIFY_PREFIX = "workshop-clarify:"  # the plan item's source_action: the proposal is not offered twice


def clarifications(db: store.Database, who: store.Identity, assessment_id: int) -> list[Clarify]:
    """Indicators whose last vote in any of the assessment's workshops showed disagreement (method 2's flag),
    for whoever may run the region's workshops; none for others."""
    try:
        found = workshops.workshops_of(db, who, assessment_id)
    except (store.Forbidden, store.NotFound):
        return []
    proposals: dict[str, Clarify] = {}
    for workshop in found:
        q = db.questionnaire(workshop.questionnaire_ref)
        for indicator, (first, second) in workshops.all_votes(db, who, workshop.id).items():
            votes = second or first
            if not votes:
                continue
            shown = _reveal(votes, q)
            if shown.disagreement:
                dimension = q.indicator_by_id[indicator].dimension
                proposals[indicator] = Clarify(indicator, dimension, shown.agreement, workshop.title)
    return sorted(proposals.values(), key=lambda c: (c.agreement, c.indicator))
