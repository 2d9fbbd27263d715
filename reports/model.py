"""What a report shows, assembled once from scores and independent of language and output format.

The HTML, PDF and Excel renderers all read these objects, so a number cannot differ between them. A region's
own figures come from `scoring.region_summary` — the contract of `mognad score --format json` — rounded the
same way; comparison figures are rounded with the same rule.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from questionnaires.actionplan import PlanItem
from questionnaires.answers import AnswersFile
from questionnaires.crosswalk import Crosswalk
from questionnaires.model import Questionnaire
from questionnaires.regions import Region, load_regions
from reports.marking import UNMARKED, Marking
from scoring import Scores, compare, score
from scoring import plan as propose  # both follow the questionnaire's method (scoring/methods.py)
from scoring.sheet import from_answers_file
from scoring.summary import DECIMALS, LOW_REASONS, region_summary


def rounded(value: object) -> float | None:
    """The one rounding rule of every report: three decimals, None for no number (as in the JSON)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else round(number, DECIMALS)


def _rounded_frame(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = [rounded(v) for v in frame[column]]
        frame[column] = frame[column].astype(float)
    return frame


@dataclass(frozen=True)
class Comment:
    indicator: str
    role: str
    text: str
    confidence: str | None = None
    respondent: str = ""  # the respondent's key within the assessment ("" when not known)


def comments_from_answers(answers: AnswersFile) -> list[Comment]:
    return [
        Comment(indicator, respondent.role, text, respondent.confidence.get(indicator), respondent.id)
        for respondent in answers.respondents
        for indicator, text in respondent.comments.items()
    ]


def respondents_by_role(sheet: pd.DataFrame, region: str, round_: str) -> dict[str, int]:
    rows = sheet[(sheet["region"].astype(str) == region) & (sheet["round"].astype(str) == round_)]
    return dict(Counter(rows["role"].astype(str)))


@dataclass(frozen=True)
class Proposal:
    """One prioritised dimension from the method's gap analysis, with its suggested library steps."""

    dimension: str
    target_stage: str
    target: float | None
    gap: float | None
    priority: float | None
    actions: tuple[dict, ...]  # id, indicator, from_level, to_level (texts come from the questionnaire)


@dataclass(frozen=True)
class RegionReport:
    q: Questionnaire
    region: Region
    round: str
    generated_at: dt.datetime
    summary: dict  # scoring.region_summary: the same numbers as `mognad score --format json`
    dimensions: pd.DataFrame  # Scores.dimensions of this region and round, index dimension
    indicators: pd.DataFrame  # Scores.indicators of this region and round, index indicator
    overall: pd.Series
    comparison: pd.DataFrame  # compare.region_comparison, rounded, index dimension
    overall_comparison: pd.Series
    peer_by: str
    k: int
    respondents: Mapping[str, int]  # role → number of respondents
    comments: Mapping[str, tuple[Comment, ...]]  # indicator → comments
    items: tuple[PlanItem, ...] | None  # the stored action plan; None: propose from the method
    proposals: tuple[Proposal, ...]
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]
    rounds: tuple[str, ...]  # every round with data for this region, oldest first
    history: pd.DataFrame  # round, dimension, score, national_median (rounded) across `rounds`
    changes: pd.DataFrame  # index dimension: score, previous_round, previous, change (empty in a first round)
    answers: pd.DataFrame | None = None  # this region and round's rows of the answer sheet ("så räknades det")
    # method 2 only (docs/method.md, "Metod 2"); empty for method 1, whose reports are unchanged
    intervals: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # dimension id or "overall"
    low_confidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id or "overall" → reasons
    flags: tuple[str, ...] = ()  # e.g. ("foundation",): "instabil grund"
    # the previous round used an earlier instrument version: change row by row as the crosswalk allows it
    version_change: VersionChange | None = None
    marking: Marking = Marking()  # demo data, the analysis' status, an unpublished round (service decides)
    # a follow-up round: service.followup's change since last round (intervals, reasons, last plan's review)
    followup: object | None = None
    last_plan: object | None = None  # store.LastPlan: last round's actions and their review (the workbook's sheet)

    @property
    def respondent_count(self) -> int:
        return int(self.overall["respondents"])

    def dimension(self, dim_id: str) -> dict:
        return next(d for d in self.summary["dimensions"] if d["id"] == dim_id)

    def indicator(self, ind_id: str) -> dict:
        return next(i for i in self.summary["indicators"] if i["id"] == ind_id)


def region_report(
    scores: Scores,
    q: Questionnaire,
    region: str,
    round_: str,
    *,
    sheet: pd.DataFrame | None = None,
    comments: Iterable[Comment] = (),
    items: Sequence[PlanItem] | None = None,
    roster: Sequence[Region] | None = None,
    rounds: Sequence[str] | None = None,
    peer_by: str = "size_group",
    k: int = compare.MIN_GROUP,
    generated_at: dt.datetime | None = None,
    lang: str = "sv",
    statistics=None,
    earlier: EarlierVersion | None = None,
    marking: Marking = UNMARKED,
) -> RegionReport:
    """The region's report. `scores` may hold every region and round: they give the comparisons.

    `rounds` orders the rounds (oldest first) for change and trend; by default the sorted round labels.
    `sheet` (the answer sheet) only adds the respondents per role.
    `statistics` (store.comparison.GroupStatistics) are the released aggregates of the regions the reader may
    not see by name: for a round they cover, the national and peer figures come from them, never from
    `scores` (which then hold only what the reader may see by name).
    `earlier` is the region's previous round when it used an earlier instrument version; it counts only when
    the region has no earlier round of this version, and then the change follows the crosswalk.
    """
    roster = tuple(roster or load_regions())
    by_code = {r.code: r for r in roster}
    if region not in by_code:
        raise KeyError(region)
    if (region, round_) not in scores.overall.index:
        raise KeyError((region, round_))
    own = Scores(*(_one(f, region, round_) for f in (scores.indicators, scores.dimensions, scores.overall)))
    proposal = propose(own, q)
    summary = region_summary(scores, proposal, q, region, round_, lang)
    groups = compare.peer_groups(roster, peer_by)
    if statistics is not None and round_ in statistics.rounds:
        comparison = _released_comparison(scores.dimensions, region, round_, statistics, peer_by, groups)
        overall_comparison = _released_comparison(scores.overall, region, round_, statistics, peer_by,
                                                  groups).iloc[0]
    else:
        comparison = compare.region_comparison(scores.dimensions, region, round_, groups, k)
        overall_comparison = compare.region_comparison(scores.overall, region, round_, groups, k).iloc[0]
    numeric = [c for c in comparison.columns
               if c not in ("peer_group", "peer_suppressed", "national_suppressed", "national_n", "peer_n")]
    comparison = _rounded_frame(comparison, numeric)
    overall_comparison = _rounded_frame(overall_comparison.to_frame().T, numeric).iloc[0]
    strengths, gaps = compare.strengths_and_gaps(scores.dimensions, region, round_)
    own_rounds = _rounds(scores, region, rounds)
    history, change = _history(scores, region, round_, own_rounds, statistics)
    version_change = None
    if earlier is not None and not (own_rounds[: own_rounds.index(round_)] if round_ in own_rounds else own_rounds):
        change, version_change = _across_versions(scores, q, region, round_, earlier)
    by_indicator: dict[str, list[Comment]] = {}
    for comment in comments:
        by_indicator.setdefault(comment.indicator, []).append(comment)
    return RegionReport(
        q=q,
        region=by_code[region],
        round=round_,
        generated_at=generated_at or dt.datetime.now().replace(microsecond=0),
        summary=summary,
        dimensions=scores.dimensions.xs((region, round_), level=["region", "round"]),
        indicators=scores.indicators.xs((region, round_), level=["region", "round"]),
        overall=scores.overall.loc[(region, round_)],
        comparison=comparison,
        overall_comparison=overall_comparison,
        peer_by=peer_by,
        k=k,
        respondents=respondents_by_role(sheet, region, round_) if sheet is not None else {},
        comments={key: tuple(value) for key, value in by_indicator.items()},
        items=tuple(items) if items is not None else None,
        proposals=tuple(
            Proposal(p["dimension"], p["target_stage"], p["target"], p["gap"], p["priority"],
                     tuple({key: a[key] for key in ("id", "indicator", "from_level", "to_level")} for a in p["actions"]))
            for p in summary["plan"]
        ),
        strengths=tuple(strengths),
        gaps=tuple(gaps),
        rounds=own_rounds,
        history=history,
        changes=change,
        answers=_sheet_rows(sheet, region, round_) if sheet is not None else None,
        version_change=version_change,
        marking=marking,
        **_uncertainty(summary),
    )


def _uncertainty(summary: dict) -> dict:
    """Method 2's intervals, low-confidence reasons and flags from the summary; nothing for method 1."""
    if summary.get("method") != 2:
        return {}
    scored = [("overall", summary["overall"]), *((d["id"], d) for d in summary["dimensions"])]
    return {
        "intervals": {key: tuple(item["interval"]) for key, item in scored if item["interval"] is not None},
        "low_confidence": {key: tuple(item["low_confidence_reasons"]) for key, item in scored
                           if item["low_confidence"]},
        "flags": tuple(summary["flags"]),
    }


def _sheet_rows(sheet: pd.DataFrame, region: str, round_: str) -> pd.DataFrame:
    mask = (sheet["region"].astype(str) == region) & (sheet["round"].astype(str) == round_)
    return sheet[mask].reset_index(drop=True)


def region_report_from_answers(answers: AnswersFile, q: Questionnaire, **options) -> RegionReport:
    """The report for one answers file: no comparison with other regions, the method's plan proposal."""
    sheet = from_answers_file(answers, q)
    return region_report(score(sheet, q), q, answers.region, answers.round, sheet=sheet,
                         comments=comments_from_answers(answers), **options)


def _one(frame: pd.DataFrame, region: str, round_: str) -> pd.DataFrame:
    index = frame.index
    return frame[(index.get_level_values("region") == region) & (index.get_level_values("round") == round_)]


def _only(frame: pd.DataFrame, round_: str) -> pd.DataFrame:
    return frame[frame.index.get_level_values("round") == round_]


def _rounds(scores: Scores, region: str, order: Sequence[str] | None) -> tuple[str, ...]:
    present = set(scores.overall.xs(region, level="region").index)
    ordered = list(order) if order is not None else sorted(present)
    return tuple(r for r in ordered if r in present)


def _released_comparison(frame: pd.DataFrame, region: str, round_: str, statistics, peer_by: str,
                         groups: Mapping[str, str]) -> pd.DataFrame:
    """compare.region_comparison's columns, with the national and peer figures taken from released
    statistics (medians and quartiles of the other regions; no minimum or maximum is ever released)."""
    dimensional = frame.index.nlevels > 2
    if dimensional:
        own = frame.xs((region, round_), level=["region", "round"], drop_level=True)["score"].astype(float)
        national = statistics.national.xs(round_, level="round") if round_ in statistics.national.index.get_level_values(
            "round") else statistics.national.iloc[0:0].droplevel("round")
    else:
        own = frame.loc[[(region, round_)], "score"].astype(float).set_axis([round_])
        national = statistics.national_overall.loc[[round_]] if round_ in statistics.national_overall.index \
            else statistics.national_overall.iloc[0:0]
    result = pd.DataFrame({"score": own})
    national = national.reindex(result.index)
    result["national_n"] = national["n"].fillna(0).astype(np.int64)
    for stat in ("median", "q1", "q3"):
        result[f"national_{stat}"] = national[stat].astype(float)
    result["national_min"] = np.nan
    result["national_max"] = np.nan
    result["national_suppressed"] = national["suppressed"].fillna(True).astype(bool)
    group = groups.get(region)
    peers = statistics.peers if dimensional else statistics.peers_overall
    result["peer_group"] = group
    result["peer_n"] = 0
    result["peer_median"] = np.nan
    result["peer_suppressed"] = True
    if group is not None and len(peers) and (peer_by, round_, group) in peers.index.droplevel(
            list(range(3, peers.index.nlevels))):
        mine = peers.xs((peer_by, round_, group), level=[0, 1, 2], drop_level=True) if dimensional \
            else peers.loc[[(peer_by, round_, group)]].set_axis([round_])
        result["peer_n"] = mine["n"].reindex(result.index).fillna(0).astype(np.int64)
        result["peer_median"] = mine["median"].reindex(result.index).astype(float)
        result["peer_suppressed"] = mine["suppressed"].reindex(result.index).fillna(True).astype(bool)
    result["versus_national"] = result["score"] - result["national_median"]
    result["versus_peer"] = result["score"] - result["peer_median"]
    return result


@dataclass(frozen=True)
class EarlierVersion:
    """The region's previous round when it used an earlier instrument version: its label, that version, its
    scores (the region's rows suffice) and the crosswalk from that version to this one (service/reports)."""

    round: str
    q: Questionnaire
    scores: Scores
    crosswalk: Crosswalk


@dataclass(frozen=True)
class VersionChange:
    """Change since a round of an earlier instrument version. A row has a change only where the crosswalk
    marks the question comparable (`comparable`); every other row is "inte jämförbar (ny version av frågan)"."""

    previous_round: str
    previous_ref: str
    dimensions: pd.DataFrame  # index dimension: previous_dimension ("" if none), previous, score, change, comparable
    indicators: pd.DataFrame  # index indicator: previous_indicator ("" if none), previous, value, change, comparable


def _across_versions(scores: Scores, q: Questionnaire, region: str, round_: str,
                     earlier: EarlierVersion) -> tuple[pd.DataFrame, VersionChange]:
    """(the change table's rows for the comparable dimensions, in its usual shape; the whole comparison)."""
    def values(frame: pd.DataFrame, label: str, column: str) -> dict[str, float]:
        index = frame.index
        rows = frame[(index.get_level_values("region") == region) & (index.get_level_values("round") == label)]
        return dict(zip(rows.index.get_level_values(-1), rows[column].astype(float), strict=True))

    def table(ids, previous, now: dict, then: dict, key: str, column: str) -> pd.DataFrame:
        rows = []
        for ident in ids:
            before = previous(ident)
            value, was = now.get(ident, np.nan), then.get(before, np.nan) if before else np.nan
            rows.append({key: ident, f"previous_{key}": before or "", "previous": was, column: value,
                         "change": value - was, "comparable": before is not None})
        frame = pd.DataFrame(rows, columns=[key, f"previous_{key}", "previous", column, "change", "comparable"])
        return _rounded_frame(frame.set_index(key), ["previous", column, "change"])

    crosswalk, old = earlier.crosswalk, earlier.q
    dims = table([d.id for d in q.dimensions], lambda d: crosswalk.previous_dimension(d, old, q),
                 values(scores.dimensions, round_, "score"), values(earlier.scores.dimensions, earlier.round, "score"),
                 "dimension", "score")
    inds = table([i.id for i in q.indicators], crosswalk.previous,
                 values(scores.indicators, round_, "value"), values(earlier.scores.indicators, earlier.round, "value"),
                 "indicator", "value")
    changes = dims.loc[dims["comparable"], ["score", "previous", "change"]].copy()
    changes.insert(1, "previous_round", earlier.round)
    return changes, VersionChange(earlier.round, old.ref, dims, inds)


def _history(scores: Scores, region: str, round_: str, rounds: tuple[str, ...],
             statistics=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if round_ not in rounds:
        rounds = (*rounds, round_)
    upto = rounds[: rounds.index(round_) + 1]
    dims = scores.dimensions
    dims = dims[dims.index.get_level_values("round").isin(upto)]
    national = compare.national_summary(dims)["median"].rename("national_median")
    if statistics is not None and len(statistics.national):  # rounds not released by name: the others' median
        released = statistics.national["median"].rename("national_median")
        released = released[released.index.get_level_values("round").isin(list(upto))]
        national = pd.concat([national[~national.index.get_level_values("round").isin(statistics.rounds)],
                              released])
    own = dims.xs(region, level="region")["score"]
    history = own.to_frame().join(national).reset_index()
    history["round"] = pd.Categorical(history["round"], categories=list(upto), ordered=True)
    history = history.sort_values(["round"], kind="stable")
    history["round"] = history["round"].astype(str)
    history = _rounded_frame(history, ["score", "national_median"]).reset_index(drop=True)
    changes = compare.changes(dims[dims.index.get_level_values("region") == region], upto)
    if len(upto) < 2 or not len(changes):
        return history, pd.DataFrame(columns=["score", "previous_round", "previous", "change"],
                                     index=pd.Index([], name="dimension"))
    changes = changes.xs((region, round_), level=["region", "round"])[["score", "previous_round", "previous", "change"]]
    return history, _rounded_frame(changes, ["score", "previous", "change"])


@dataclass(frozen=True)
class NationalReport:
    q: Questionnaire
    round: str
    rounds: tuple[str, ...]
    generated_at: dt.datetime
    named: bool
    labels: Mapping[str, str]  # region code → what the report calls it (its name, or "Region A")
    order: tuple[str, ...]  # region codes in the order the report lists them
    roster: Mapping[str, Region]
    dimensions: pd.DataFrame  # this round, index (region, dimension), rounded
    overall: pd.DataFrame  # this round, index region, rounded
    indicators: pd.DataFrame  # this round, index (region, indicator)
    national: pd.DataFrame  # national_summary for this round, index dimension, rounded
    national_overall: pd.Series
    stages: pd.DataFrame  # stage_distribution of dimensions, index (dimension, stage)
    overall_stages: pd.DataFrame  # index stage
    history: pd.DataFrame  # national_summary across rounds, index (round, dimension), rounded
    overall_history: pd.DataFrame  # index round
    peers: pd.DataFrame  # peer_summary for this round, index (group, dimension)
    peer_by: str
    k: int
    quality: pd.DataFrame  # index region: respondents, shares, dimensions scored, disagreements
    counted: int | None = None  # regions behind an aggregates-only report (no region is listed in it)
    # method 2 only (docs/method.md 10.10): each region's overall change since the previous round with both
    # rounds' intervals and whether the change is certain ("up", "down", "none"); None for method 1 and in a
    # region's first round. Tiers and rank intervals are columns of `overall` (see `tier_table`).
    changes: pd.DataFrame | None = None
    marking: Marking = Marking()  # demo data, an unpublished round (service decides)

    @property
    def participating(self) -> int:
        return self.counted if self.counted is not None else len(self.order)

    @property
    def aggregates_only(self) -> bool:
        return self.counted is not None


SCORE_COLUMNS = ["score", "percent", "completeness", "answered_share", "na_share", "dk_share"]


def anonymous_labels(codes: Sequence[str], seed: int | None = None, prefix: str = "Region") -> dict[str, str]:
    """Region A, B, … assigned in a shuffled order, so a letter says nothing about which region it is.

    The same seed gives the same letters (stable within a report, and reproducible in tests); without a
    seed every report draws new letters.
    """
    shuffled = sorted(codes)
    (random.Random(seed) if seed is not None else random.SystemRandom()).shuffle(shuffled)
    return {code: f"{prefix} {_letters(i)}" for i, code in enumerate(shuffled)}


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def national_report(
    scores: Scores,
    q: Questionnaire,
    round_: str,
    *,
    roster: Sequence[Region] | None = None,
    rounds: Sequence[str] | None = None,
    named: bool = False,
    peer_by: str = "size_group",
    k: int = compare.MIN_GROUP,
    seed: int | None = None,
    generated_at: dt.datetime | None = None,
    marking: Marking = UNMARKED,
) -> NationalReport:
    """Every region in `round_`; `named=False` replaces names by Region A, B, … (the publication rule)."""
    roster_map = {r.code: r for r in (roster or load_regions())}
    dims = _only(scores.dimensions, round_)
    overall = _only(scores.overall, round_)
    if not len(overall):
        raise KeyError(round_)
    codes = list(dict.fromkeys(overall.index.get_level_values("region")))
    if named:
        labels = {code: roster_map[code].name if code in roster_map else code for code in codes}
        order = tuple(sorted(codes))
    else:
        labels = anonymous_labels(codes, seed)
        order = tuple(sorted(codes, key=lambda code: (len(labels[code]), labels[code])))
    all_rounds = list(dict.fromkeys(scores.overall.index.get_level_values("round")))
    ordered_rounds = [r for r in (rounds or sorted(all_rounds)) if r in set(all_rounds)]
    upto = ordered_rounds[: ordered_rounds.index(round_) + 1] if round_ in ordered_rounds else [round_]
    stats = ["median", "q1", "q3", "min", "max"]
    national = _rounded_frame(compare.national_summary(dims).xs(round_, level="round"), stats)
    national_overall = _rounded_frame(compare.national_summary(overall).loc[[round_]], stats).iloc[0]
    hist_dims = scores.dimensions[scores.dimensions.index.get_level_values("round").isin(upto)]
    hist_overall = scores.overall[scores.overall.index.get_level_values("round").isin(upto)]
    history = _rounded_frame(compare.national_summary(hist_dims), stats)
    history = _in_round_order(history, upto)
    overall_history = _in_round_order(_rounded_frame(compare.national_summary(hist_overall), stats), upto)
    groups = compare.peer_groups(roster_map.values(), peer_by)
    peers = compare.peer_summary(dims, groups, k)
    peers = _rounded_frame(peers.xs(round_, level="round"), ["median"]) if len(peers) else peers
    quality = _quality(dims, overall)
    dims_round = dims.droplevel("round")
    overall_round = overall.droplevel("round")
    intervals = INTERVAL_COLUMNS if q.method == 2 else []  # method 2's bounds, rounded like the scores
    return NationalReport(
        q=q,
        round=round_,
        rounds=tuple(upto),
        generated_at=generated_at or dt.datetime.now().replace(microsecond=0),
        named=named,
        labels=labels,
        order=order,
        roster={code: roster_map[code] for code in codes if code in roster_map} if named else {},
        dimensions=_rounded_frame(dims_round, ["score", "percent", "completeness", "answered_share", "na_share",
                                               "dk_share", *intervals]),
        overall=_rounded_frame(overall_round, ["score", "percent", "answered_share", "na_share", "dk_share",
                                               *intervals]),
        indicators=_only(scores.indicators, round_).droplevel("round"),
        national=national,
        national_overall=national_overall,
        stages=compare.stage_distribution(dims, q).xs(round_, level="round"),
        overall_stages=compare.stage_distribution(overall, q).xs(round_, level="round"),
        history=history,
        overall_history=overall_history,
        peers=peers,
        peer_by=peer_by,
        k=k,
        quality=quality,
        changes=_certain_changes(scores.overall, round_, upto) if q.method == 2 else None,
        marking=marking,
    )


INTERVAL_COLUMNS = ["interval_lo", "interval_hi"]
TIERS = ("above", "within", "below")  # scoring.method2's tiers, in the order a report lists them
TIER_COLUMNS = ["label", "tier", "score", "interval_lo", "interval_hi", "rank_median", "rank_lo", "rank_hi",
                "respondents", "panel", "completeness", "low_confidence", "reasons"]


def tier_table(report: NationalReport) -> pd.DataFrame:
    """Method 2 (docs/method.md 10.10): each listed region's tier against the national median, overall score
    with its 90 % interval, median rank with its 90 % rank interval, respondents and low confidence (with its
    reasons). Index region code; rows by tier (above, within, below, then regions without a tier), within a
    tier in the report's own region order — never by score or rank: this is not a league table.
    Empty for method 1 and for an aggregates-only report."""
    overall = report.overall
    if report.q.method != 2 or not len(overall) or "tier" not in overall.columns:
        return pd.DataFrame(columns=TIER_COLUMNS, index=pd.Index([], name="region"))
    codes = [code for code in report.order if code in overall.index]
    rows = overall.loc[codes]
    place = {tier: i for i, tier in enumerate(TIERS)}
    position = {code: i for i, code in enumerate(codes)}
    ordered = sorted(codes, key=lambda code: (place.get(rows.loc[code, "tier"], len(TIERS)), position[code]))
    rows = rows.loc[ordered]
    table = pd.DataFrame({
        "label": [report.labels[code] for code in ordered],
        "tier": [tier if isinstance(tier, str) else None for tier in rows["tier"]],
        **{column: [rounded(v) for v in rows[column]] for column in ("score", "interval_lo", "interval_hi")},
        **{column: rows[column].astype(float).to_numpy() for column in ("rank_median", "rank_lo", "rank_hi")},
        "respondents": rows["respondents"].astype(int).to_numpy(),
        "panel": rows["panel"].astype(int).to_numpy(),
        "completeness": [rounded(v) for v in rows["completeness"]],
        "low_confidence": rows["low_confidence"].astype(bool).to_numpy(),
        "reasons": [tuple(word for column, word in LOW_REASONS.items() if bool(row[column]))
                    for _, row in rows.iterrows()],
    }, index=pd.Index(ordered, name="region"))
    for column in ("score", "interval_lo", "interval_hi", "completeness"):
        table[column] = table[column].astype(float)
    return table


def _certain_changes(overall: pd.DataFrame, round_: str, rounds: Sequence[str]) -> pd.DataFrame | None:
    """Method 2: each region's overall change since the previous round, and whether it is certain: "up" when
    this round's whole interval lies above the previous round's, "down" when below, otherwise "none" (the
    intervals overlap: no certain change). None in the first round."""
    rounds = list(rounds)
    if round_ not in rounds or rounds.index(round_) == 0:
        return None
    previous_round = rounds[rounds.index(round_) - 1]
    frame = overall[overall.index.get_level_values("round").isin([previous_round, round_])]
    now = frame.xs(round_, level="round")
    before = frame.xs(previous_round, level="round") if previous_round in frame.index.get_level_values("round") \
        else now.iloc[0:0]
    before = before.reindex(now.index)
    table = pd.DataFrame({
        "previous_round": previous_round,
        "previous": before["score"].astype(float),
        "previous_lo": before["interval_lo"].astype(float),
        "previous_hi": before["interval_hi"].astype(float),
        "score": now["score"].astype(float),
        "interval_lo": now["interval_lo"].astype(float),
        "interval_hi": now["interval_hi"].astype(float),
    }, index=now.index)
    table["change"] = table["score"] - table["previous"]
    table = _rounded_frame(table, ["previous", "previous_lo", "previous_hi", "score", "interval_lo", "interval_hi",
                                   "change"])
    both = table["previous"].notna() & table["score"].notna()
    up = table["interval_lo"] > table["previous_hi"]
    down = table["interval_hi"] < table["previous_lo"]
    table["certain"] = np.where(~both, None, np.where(up, "up", np.where(down, "down", "none")))
    return table


def national_report_from_statistics(statistics, q: Questionnaire, round_: str, *, rounds: Sequence[str],
                                    peer_by: str = "size_group", generated_at: dt.datetime | None = None,
                                    marking: Marking = UNMARKED) -> NationalReport:
    """The national picture for a reader who may not see the regions by name: released statistics only
    (store.comparison.GroupStatistics). Every per-region table is empty; suppressed figures are missing."""
    if round_ not in statistics.rounds or not int(statistics.regions.get(round_, 0)):
        raise KeyError(round_)
    upto = [r for r in rounds if r in statistics.rounds]
    upto = upto[: upto.index(round_) + 1] if round_ in upto else [round_]
    stats = ["median", "q1", "q3", "min", "max"]

    def summary(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["min"] = np.nan
        frame["max"] = np.nan
        return _rounded_frame(frame[["n", *stats]], stats)

    national = summary(statistics.national.xs(round_, level="round"))
    national_overall = summary(statistics.national_overall.loc[[round_]]).iloc[0]
    history = statistics.national[statistics.national.index.get_level_values("round").isin(upto)]
    overall_history = statistics.national_overall[statistics.national_overall.index.isin(upto)]
    peers = statistics.peers
    if len(peers) and peer_by in peers.index.get_level_values("peer_by"):
        peers = peers.xs(peer_by, level="peer_by")
        peers = peers[peers.index.get_level_values("round") == round_].droplevel("round")
        peers = _rounded_frame(peers, ["median"])
    else:
        peers = pd.DataFrame(columns=["n", "median", "suppressed"])
    stages = statistics.stages
    stages = stages.xs(round_, level="round") if len(stages) and round_ in stages.index.get_level_values("round") \
        else stages.iloc[0:0].droplevel("round") if len(stages.index.names) > 2 else stages
    overall_stages = statistics.overall_stages
    overall_stages = overall_stages.xs(round_, level="round") if len(overall_stages) and round_ in \
        overall_stages.index.get_level_values("round") else overall_stages.iloc[0:0].droplevel("round")
    empty = pd.DataFrame()
    return NationalReport(
        q=q, round=round_, rounds=tuple(upto),
        generated_at=generated_at or dt.datetime.now().replace(microsecond=0),
        named=False, labels={}, order=(), roster={},
        dimensions=empty, overall=empty, indicators=empty,
        national=national, national_overall=national_overall,
        stages=stages, overall_stages=overall_stages,
        history=_in_round_order(summary(history), upto), overall_history=_in_round_order(summary(overall_history), upto),
        peers=peers, peer_by=peer_by, k=statistics.k, quality=empty,
        counted=int(statistics.regions.get(round_, 0)), marking=marking,
    )


def _in_round_order(frame: pd.DataFrame, rounds: Sequence[str]) -> pd.DataFrame:
    position = {r: i for i, r in enumerate(rounds)}
    keys = frame.index.get_level_values("round").map(position)
    return frame.iloc[np.argsort(np.asarray(keys), kind="stable")]


def _quality(dims: pd.DataFrame, overall: pd.DataFrame) -> pd.DataFrame:
    per_region = dims.groupby(level="region", sort=False).agg(disagreements=("disagreements", "sum"))
    frame = overall.droplevel("round")[["respondents", "answered_share", "na_share", "dk_share",
                                        "dimensions_scored", "dimensions"]].join(per_region)
    return _rounded_frame(frame, ["answered_share", "na_share", "dk_share"])


def plan_items(report: RegionReport, lang: str) -> tuple[PlanItem, ...]:
    """The stored plan, or — when there is none yet — the method's proposal as unsaved items (id None)."""
    if report.items is not None:
        return report.items
    texts = {action.id: action.text for action in report.q.actions}
    return tuple(
        PlanItem(id=None, dimension=proposal.dimension, action=texts[step["id"]][lang],
                 indicators=(step["indicator"],), source_action=step["id"])
        for proposal in report.proposals
        for step in proposal.actions
    )


def is_overdue(item: PlanItem, today: dt.date) -> bool:
    return item.due is not None and item.due < today and item.status not in ("done", "dropped")
