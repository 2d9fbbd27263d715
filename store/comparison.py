"""What a comparison may be computed from — and what leaves the store before a round is published.

The disclosure rule (docs/store.md, "Disclosure control"):

- Per-region scores leave the store only for the (region, round) pairs the caller may see by name: national
  roles see every submitted region, everyone sees every submitted region of a published round, a region's
  lead and viewer see their own region. Nothing else is released per region: no vectors, no pseudonyms,
  no counts, no ordering.
- For the regions a caller may not see by name, the store computes group statistics itself — national and
  per peer group (size group and NUTS2), for dimensions and overall, and the stage counts — over those
  regions only. The caller's own regions are never part of them, so a region's comparison is always with
  the others. A statistic is released only when it rests on at least `K` regions, and only when no other
  released group differs from it by fewer than `K` regions (complementary suppression: the difference of
  two medians must not point at one or two regions); otherwise it is marked suppressed (its numbers are
  missing), and the reason is stated (`SUPPRESSED_REASON`).
- Statistics are medians and quartiles (never minimum or maximum, which are single regions' scores), keyed
  by round, group and dimension only, so nothing can be lined up with the roster or across calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from questionnaires.regions import Region, load_regions
from scoring import Scores, score
from scoring import compare as method
from store import access, frames, lookup
from store.database import Database
from store.identity import Identity
from store.schema import assessments
from store.schema import rounds as round_table

K = 3  # the fewest regions other than the caller's own behind any released statistic
PEER_KEYS = method.PEER_KEYS
SUPPRESSED_REASON = {"sv": "visas inte: färre än {k} andra regioner", "en": "not shown: fewer than {k} other regions"}
NATIONAL_COLUMNS = ["n", "median", "q1", "q3", "suppressed"]
PEER_COLUMNS = ["n", "median", "suppressed"]


@dataclass(frozen=True)
class GroupStatistics:
    """Aggregates over the regions the caller may not see by name, one set per round where there are any.

    national:          index (round, dimension) — n, median, q1, q3, suppressed
    national_overall:  index round — n, median, q1, q3, suppressed
    peers:             index (peer_by, round, group, dimension) — n, median, suppressed
    peers_overall:     index (peer_by, round, group) — n, median, suppressed
    stages:            index (round, dimension, stage) — regions, share; only where the national n ≥ k
    overall_stages:    index (round, stage) — regions, share; only where the national n ≥ k
    regions:           index round — how many regions the statistics rest on (0 when fewer than k)
    """

    national: pd.DataFrame
    national_overall: pd.DataFrame
    peers: pd.DataFrame
    peers_overall: pd.DataFrame
    stages: pd.DataFrame
    overall_stages: pd.DataFrame
    regions: pd.Series
    k: int = K

    @property
    def rounds(self) -> set[str]:
        return set(self.regions.index)


@dataclass(frozen=True)
class ComparisonBasis:
    scores: Scores  # only the (region, round) pairs the caller may see by name
    roster: tuple[Region, ...]  # the region roster (names are public; scores are not)
    named: frozenset[tuple[str, str]]  # (region, round) pairs the caller may see by name
    statistics: GroupStatistics | None  # over the regions not named to the caller; None when every region is


def comparison_basis(db: Database, actor: Identity, questionnaire_ref: str,
                     rounds: Iterable[str] | None = None, k: int = K) -> ComparisonBasis:
    """Everything a comparison may use: named regions' scores and anonymous group statistics of the rest."""
    q = db.questionnaire(questionnaire_ref)
    with db.reading() as conn:
        who = access.current(conn, actor)
        scope = [assessments.c.questionnaire_ref == q.ref, assessments.c.status.in_(access.SUBMITTED)]
        if rounds is not None:
            wanted = [str(label) for label in rounds]
            for label in wanted:
                lookup.round_by_label(conn, label)
            scope.append(round_table.c.label.in_(wanted))
        sheet, published = frames.submitted_sheet(conn, q, scope)
    roster = tuple(load_regions())
    pairs = list(zip(sheet["region"].astype(str), sheet["round"].astype(str), strict=True))
    named = {pair for pair in set(pairs)
             if access.may_see_results(who, pair[0], "submitted", pair[1] in published)}
    visible = np.fromiter((pair in named for pair in pairs), dtype=bool, count=len(pairs))
    hidden_sheet = sheet[~visible].reset_index(drop=True)
    statistics = group_statistics(score(hidden_sheet, q), q, roster, k) if len(hidden_sheet) else None
    return ComparisonBasis(score(sheet[visible].reset_index(drop=True), q), roster, frozenset(named), statistics)


def group_statistics(hidden: Scores, q, roster: Iterable[Region], k: int = K) -> GroupStatistics:
    """The releasable aggregates of `hidden` (the scores of regions the caller may not see by name)."""
    roster = tuple(roster)
    members = {key: method.peer_groups(roster, key) for key in PEER_KEYS}
    national, peers = _groups(hidden.dimensions, members, k)
    national_overall, peers_overall = _groups(hidden.overall, members, k)
    stages = method.stage_distribution(hidden.dimensions, q) if len(hidden.dimensions) else _empty_stages(True)
    overall_stages = method.stage_distribution(hidden.overall, q) if len(hidden.overall) else _empty_stages(False)
    shown = national.index[~national["suppressed"]]
    stages = stages[stages.index.droplevel("stage").isin(shown)] if len(stages) else stages
    shown_overall = national_overall.index[~national_overall["suppressed"]]
    overall_stages = overall_stages[overall_stages.index.get_level_values(0).isin(shown_overall)] \
        if len(overall_stages) else overall_stages
    counted = hidden.overall.groupby(level="round", sort=False).size() if len(hidden.overall) else pd.Series(
        dtype=np.int64)
    regions = counted.where(counted >= k, 0).astype(np.int64)
    regions.index.name = "round"
    return GroupStatistics(national, national_overall, peers, peers_overall, stages, overall_stages, regions, k)


def _groups(frame: pd.DataFrame, members: dict[str, dict[str, str]], k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(national rows, peer rows) for every round (and dimension) of `frame`, with both suppression rules:

    - a group of fewer than k scored regions is suppressed;
    - complementary suppression: two released groups whose scored regions differ by fewer than k regions
      (but not none) would let a difference of medians point at the few regions between them, so the
      smaller of the two is suppressed as well, until no such pair is left.
    """
    rest = list(frame.index.names[1:])  # round (and dimension)
    national_rows, peer_rows = [], []
    # Plain Python and NumPy inside the loop: it runs once per round and dimension over ~13 groups, and
    # pandas' per-call overhead on such small groups was most of a regional user's comparison read.
    labels = {peer_by: sorted(set(of.values())) for peer_by, of in members.items()}
    scores = frame["score"].astype(float)
    for key, values in scores.groupby(level=rest, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        scored = {code: value for code, value in zip(values.index.get_level_values(0), values.to_numpy(), strict=True)
                  if value == value}  # NaN: no score, not a member of any group
        groups: dict[tuple[str, str | None], frozenset] = {("national", None): frozenset(scored)}
        for peer_by, of in members.items():
            for group in labels[peer_by]:
                groups[(peer_by, group)] = frozenset(code for code in scored if of.get(code) == group)
        released = {name for name, codes in groups.items() if len(codes) >= k}
        changed = True
        while changed:
            changed = False
            for a in sorted(released, key=lambda name: (len(groups[name]), name[0], str(name[1]))):
                for b in released - {a}:
                    difference = groups[a] ^ groups[b]
                    if 0 < len(difference) < k and len(groups[a]) <= len(groups[b]):
                        released.discard(a)
                        changed = True
                        break
                if changed:
                    break
        for (peer_by, group), codes in groups.items():
            shown = (peer_by, group) in released
            numbers = np.array([scored[code] for code in codes], dtype=float) if shown else None
            row = {"n": len(codes), "median": float(np.median(numbers)) if shown else np.nan, "suppressed": not shown}
            if peer_by == "national":
                # linear interpolation between order statistics, as pandas' quantile (docs/method.md)
                row["q1"] = float(np.quantile(numbers, 0.25)) if shown else np.nan
                row["q3"] = float(np.quantile(numbers, 0.75)) if shown else np.nan
                national_rows.append((key, row))
            else:
                peer_rows.append(((peer_by, key[0], group, *key[1:]), row))
    national = pd.DataFrame([row for _, row in national_rows], columns=NATIONAL_COLUMNS,
                            index=pd.MultiIndex.from_tuples([key for key, _ in national_rows], names=rest)
                            if len(rest) > 1 else pd.Index([key[0] for key, _ in national_rows], name=rest[0]))
    peers = pd.DataFrame([row for _, row in peer_rows], columns=PEER_COLUMNS,
                         index=pd.MultiIndex.from_tuples([key for key, _ in peer_rows],
                                                         names=["peer_by", "round", "group", *rest[1:]]))
    national["n"] = national["n"].astype(np.int64)
    national["suppressed"] = national["suppressed"].astype(bool)
    peers["n"] = peers["n"].astype(np.int64)
    peers["suppressed"] = peers["suppressed"].astype(bool)
    return national, peers


def _empty_stages(dimensions: bool) -> pd.DataFrame:
    names = ["round", "dimension", "stage"] if dimensions else ["round", "stage"]
    index = pd.MultiIndex.from_tuples([], names=names)
    return pd.DataFrame({"regions": pd.Series(dtype=np.int64), "share": pd.Series(dtype=float)}, index=index)
