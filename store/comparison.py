"""What a comparison may be computed from: the scores of every submitted or locked assessment.

A regional user must see the national and peer-group medians without seeing other regions' results
before the agency publishes the round. So the store releases scores only (no answers, comments or
respondents), and every region the actor may not see by name gets a pseudonym that changes with every call,
carrying only what peer grouping needs (size group, NUTS2). Pages show pseudonymous regions only as
aggregates, and the k-threshold in scoring.compare suppresses groups too small to stay anonymous.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from questionnaires.regions import SIZE_GROUPS, Region, load_regions
from scoring import Scores, score
from store import access, frames, lookup
from store.database import Database
from store.identity import Identity
from store.schema import assessments
from store.schema import rounds as round_table

PSEUDONYM = "~"


@dataclass(frozen=True)
class ComparisonBasis:
    scores: Scores  # index levels region, round, …; pseudonymous regions have codes starting with "~"
    roster: tuple[Region, ...]  # the real roster plus one entry per pseudonym (no name, no population)
    named: frozenset[tuple[str, str]]  # (region, round) the actor may see by name


def comparison_basis(db: Database, actor: Identity, questionnaire_ref: str,
                     rounds: Iterable[str] | None = None) -> ComparisonBasis:
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
    roster = load_regions()
    by_code = {region.code: region for region in roster}
    pairs = sheet[["region", "round"]].drop_duplicates().itertuples(index=False)
    named, aliases, extra = set(), {}, []
    for region, round_ in pairs:
        if access.may_see_results(who, region, "submitted", round_ in published):
            named.add((region, round_))
            continue
        alias = f"{PSEUDONYM}{secrets.token_hex(4)}"
        aliases[(region, round_)] = alias
        real = by_code.get(region)
        if real is not None:
            extra.append(Region(code=alias, iso="", county="", name="", nuts2=real.nuts2,
                                population=_size_floor(real.size_group), note="pseudonym"))
    if aliases:
        keys = list(zip(sheet["region"], sheet["round"], strict=True))
        sheet = sheet.assign(region=[aliases.get(key, key[0]) for key in keys])
    return ComparisonBasis(score(sheet, q), (*roster, *extra), frozenset(named))


def _size_floor(group: str) -> int:
    """A population that puts a pseudonym in the right size group without telling the real number."""
    return next(lower for g, lower, _ in SIZE_GROUPS if g == group)
