"""The report use cases: a region's report, the national report and the action-plan workbook.

Both front ends build every report here, so the app and `mognad report` cannot drift apart: the same
reads (once each), the same scoring (once per answer sheet), the same comments, the same numbers.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

import store
from questionnaires.crosswalk import CrosswalkError
from questionnaires.crosswalk import find as find_crosswalk
from questionnaires.regions import load_regions
from reports import model
from reports.marking import DRAFT, SUBMITTED, Marking
from reports.model import Comment, NationalReport, RegionReport
from scoring import Scores, score
from scoring.compare import MIN_GROUP, peer_groups
from service.rounds import rounds_upto

# The command line says "size"; the method and the app say "size_group".
PEER_BY = {"size": "size_group", "size_group": "size_group", "nuts2": "nuts2"}


class NoResults(LookupError):
    """Nothing to report: no answers visible for this region (or no submitted region) in this round."""

    def __init__(self, round_label: str, region: str | None = None):
        super().__init__(region, round_label)
        self.region, self.round = region, round_label


def peer_key(peer_by: str) -> str:
    try:
        return PEER_BY[peer_by]
    except KeyError:
        raise ValueError(f"peer_by must be one of {sorted(PEER_BY)}, not {peer_by!r}") from None


def region_report(db, who, region: str, round_label: str, *, peer_by: str = "size", lang: str = "sv",
                  include_drafts: bool = False, k: int = MIN_GROUP) -> RegionReport:
    """One region's report for one round, as this identity may see it.

    The region's own answers count whatever the assessment's status (a lead follows a draft); the
    comparison counts submitted and locked assessments only, unless `include_drafts` (the command line's
    administrator). Every respondent comment of the round is in the report, with the respondent's role.
    `lang` is the language of the method's stage names in the report's summary.
    Raises store.Forbidden / store.NotFound from the store, NoResults when the region has no answers.
    """
    ref, rounds = rounds_upto(db, who, round_label)
    q = db.questionnaire(ref)
    assessment = store.get_assessment(db, who, region, round_label)
    sheet, comments = store.answer_sheet(db, who, ref, rounds=rounds, regions=[region])
    own = score(sheet, q)
    if (region, round_label) not in own.overall.index:
        raise NoResults(round_label, region)
    comparison, roster, statistics = comparison_basis(db, who, q, rounds, include_drafts)
    try:
        items = store.plan_items(db, who, assessment.id) or None
    except store.Forbidden:
        items = None
    this_round = _rows_of(sheet, region, round_label)
    report = model.region_report(
        _with_own(comparison, own, region), q, region, round_label, sheet=this_round,
        comments=region_comments(this_round, comments, region, round_label), items=items, roster=roster,
        rounds=rounds, peer_by=peer_key(peer_by), k=k, lang=lang, statistics=statistics,
        earlier=_earlier_version(db, who, q, region, round_label, own),
        marking=Marking(demo=store.is_demo(db), status=analysis_status(assessment.status),
                        preliminary=not assessment.round_published))
    return replace(report, **_followup(db, who, assessment.id, region, round_label))


def _followup(db, who, assessment_id: int, region: str, round_label: str) -> dict:
    """Issue 17: the change since last round (service.followup) and last round's plan with its review; nothing
    in a first round or when this person may not see them."""
    from service.followup import followup_change

    found = {}
    try:
        found["followup"] = followup_change(db, who, region, round_label)
        last = store.last_plan(db, who, assessment_id)
        found["last_plan"] = last if last.previous_round is not None and last.items else None
    except (store.Forbidden, store.NotFound):
        pass
    return found


def analysis_status(status: str) -> str:
    """The store's four assessment states in the two words an output shows: still open for answers (draft,
    reopened) or handed in (submitted, locked)."""
    return SUBMITTED if status in ("submitted", "locked") else DRAFT


def _earlier_version(db, who, q, region: str, round_label: str, own: Scores) -> model.EarlierVersion | None:
    """The region's previous round when it used another instrument version that a bundled crosswalk leads
    from (questionnaires/crosswalk.py); None when the region has an earlier round of this version (change
    within the version, as before) or the previous round's version has no crosswalk to this one."""
    scored = set(own.overall.xs(region, level="region").index)
    known = store.list_rounds(db, who)
    before = known[: [r.label for r in known].index(round_label)]
    if any(r.label in scored for r in before if r.questionnaire == q.ref):
        return None
    for previous in reversed(before):
        if previous.questionnaire == q.ref:
            continue
        try:
            sheet, _ = store.answer_sheet(db, who, previous.questionnaire, rounds=[previous.label], regions=[region])
        except (store.Forbidden, store.NotFound):
            return None
        if not len(sheet):
            continue  # the region took no part in that round
        try:
            crosswalk = find_crosswalk(previous.questionnaire, q.ref)
        except (KeyError, CrosswalkError):
            return None
        old = db.questionnaire(previous.questionnaire)
        return model.EarlierVersion(previous.label, old, score(sheet, old), crosswalk)
    return None


def national_report(db, who, round_label: str, *, named: bool | None = None, lang: str = "sv",
                    include_drafts: bool = False, peer_by: str = "size", k: int = MIN_GROUP,
                    only_group: str | None = None) -> NationalReport:
    """Every region in the round that the comparison may count, side by side.

    `named=None` names the regions when this identity may see them by name (national roles, or a published
    round); asking for names one may not see is refused (store.Forbidden). `only_group` keeps one peer group.
    `lang` is accepted for symmetry with region_report: the national model carries no language.
    Raises NoResults when no region of the round counts.
    """
    del lang  # the national model is language-independent; renderers take the language
    ref, rounds = rounds_upto(db, who, round_label)
    q = db.questionnaire(ref)
    chosen = store.get_round(db, who, round_label)
    may_name = who.is_national or chosen.published
    marking = Marking(demo=store.is_demo(db), preliminary=not chosen.published)
    if named is None:
        named = may_name
    elif named and not may_name:
        raise store.Forbidden("named_report")
    scores, roster, statistics = comparison_basis(db, who, q, rounds, include_drafts)
    key = peer_key(peer_by)
    if not may_name:  # before publication a region sees the others only as the store's released aggregates
        if statistics is None:
            raise NoResults(round_label)
        try:
            return model.national_report_from_statistics(statistics, q, round_label, rounds=rounds, peer_by=key,
                                                         marking=marking)
        except KeyError:
            raise NoResults(round_label) from None
    if only_group:
        members = {code for code, group in peer_groups(roster, key).items() if group == only_group}
        scores = Scores(*(frame[frame.index.get_level_values("region").isin(members)]
                          for frame in (scores.indicators, scores.dimensions, scores.overall)))
    if round_label not in set(scores.overall.index.get_level_values("round")):
        raise NoResults(round_label)
    return model.national_report(scores, q, round_label, roster=roster, rounds=rounds, named=named,
                                 peer_by=key, k=k, marking=marking)


def plan_workbook_bytes(db, who, region: str, round_label: str, *, lang: str = "sv",
                        report: RegionReport | None = None) -> bytes:
    """The action-plan workbook (.xlsx): the stored plan, or the method's proposal when none is saved yet.

    `report` is the region's report when the caller has already built it (the plan page), so the answers
    are not read and scored a second time.
    """
    from reports.planbook import plan_workbook

    if report is None:
        report = region_report(db, who, region, round_label, lang=lang)
    return plan_workbook(report, lang, report.items)


def render_region(report: RegionReport, fmt: str, lang: str) -> bytes | str:
    """The region report as html (str), pdf (bytes; reports.pdf.PdfUnavailable without WeasyPrint) or the
    plan workbook xlsx (bytes)."""
    if fmt == "xlsx":
        from reports.planbook import plan_workbook

        return plan_workbook(report, lang, report.items)
    from reports.region_html import render_region_html

    html = render_region_html(report, lang)
    if fmt == "pdf":
        from reports.pdf import html_to_pdf

        return html_to_pdf(html)
    return html


def region_comments(sheet: pd.DataFrame, comments: pd.DataFrame, region: str, round_label: str) -> list[Comment]:
    """The comments of one region and round, each with its indicator, the respondent's role and key."""
    if not len(comments):
        return []
    roles = dict(zip(sheet["respondent"].astype(str), sheet["role"].astype(str), strict=True))
    own = comments[(comments["region"] == region) & (comments["round"] == round_label)]
    return [Comment(row.indicator, roles.get(str(row.respondent), ""), row.comment, respondent=str(row.respondent))
            for row in own.itertuples(index=False) if row.comment]


def _rows_of(sheet: pd.DataFrame, region: str, round_label: str) -> pd.DataFrame:
    mask = (sheet["region"].astype(str) == region) & (sheet["round"].astype(str) == round_label)
    return sheet[mask].reset_index(drop=True)


def comparison_basis(db, who, q, rounds: list[str], include_drafts: bool = False) -> tuple[Scores, tuple, object]:
    """(scores of the regions this identity may see by name, the roster, the store's released statistics of
    the others — None when every region counted is named). Drafts count only with `include_drafts`, which
    only identities that may read every draft (the administrator) can ask for."""
    if include_drafts:
        if not who.is_admin:
            raise store.Forbidden("include_drafts")
        sheet, _ = store.answer_sheet(db, who, q.ref, rounds=rounds)
        return score(sheet, q), tuple(load_regions()), None
    basis = store.comparison_basis(db, who, q.ref, rounds=rounds)
    return basis.scores, basis.roster, basis.statistics


def comparison_scores(db, who, q, rounds: list[str], include_drafts: bool = False) -> tuple[Scores, tuple]:
    """(scores of the regions this identity may see by name, the roster): what open data may list."""
    scores, roster, _ = comparison_basis(db, who, q, rounds, include_drafts)
    return scores, roster


def _with_own(basis: Scores, own: Scores, region: str) -> Scores:
    """The comparison with this region's rounds as the identity sees them (a draft is not in the basis)."""
    def without(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame.index.get_level_values("region") != region]

    return Scores(*(pd.concat([without(b), o]) for b, o in
                    ((basis.indicators, own.indicators), (basis.dimensions, own.dimensions),
                     (basis.overall, own.overall))))
