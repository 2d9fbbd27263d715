"""Open data: every region and round the comparison may count, as tidy tables for publication."""

from __future__ import annotations

import store
from reports.opendata import OpenData, open_data
from service.reports import NoResults, comparison_scores


def open_data_tables(db, who, *, rounds: list[str] | None = None, questionnaire: str | None = None,
                     named: bool | None = None, include_drafts: bool = False, lang: str = "sv") -> OpenData:
    """The open-data tables of `rounds` (default: every round of the questionnaire).

    The questionnaire is `questionnaire`, or that of the newest round asked for (or of the newest round).
    `named=None` names regions when this identity may see them by name (national roles); asking for names
    one may not see is refused. Raises store.NotFound for an unknown round, NoResults when nothing counts.
    """
    known = store.list_rounds(db, who)
    for label in rounds or ():
        store.get_round(db, who, label)  # an unknown round is an error, not an empty export
    if not who.is_national:  # open data lists regions: before publication only national roles may have it
        known = [r for r in known if r.published]
    chosen = [r for r in known if r.label in rounds] if rounds else known
    ref = questionnaire or (chosen[-1].questionnaire if chosen else None)
    if ref is None:
        raise NoResults("")
    labels = [r.label for r in known if r.questionnaire == ref and (not rounds or r.label in rounds)]
    may_name = who.is_national or all(r.published for r in known if r.label in labels)
    if named is None:
        named = may_name
    elif named and not may_name:
        raise store.Forbidden("named_report")
    q = db.questionnaire(ref)
    scores, roster = comparison_scores(db, who, q, labels, include_drafts)
    if not len(scores.overall):
        raise NoResults(labels[-1] if labels else "")
    unpublished = [r.label for r in known if r.label in labels and not r.published]
    return open_data(scores, q, lang, roster=roster, rounds=labels, named=named, unpublished=unpublished,
                     demo=store.is_demo(db))
