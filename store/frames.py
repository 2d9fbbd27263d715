"""The national comparison data as the scoring method wants it: one answer sheet, built in one pass.

Only what the actor may see goes in: the national admin sees everything; the national analyst the
submitted and locked assessments of every region; a region's lead and viewer their region in any status;
a respondent their own sheets; and in a published round everyone sees the submitted assessments.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import case, false, or_, select, true

from questionnaires.answers import MISSING, NA_CODE
from scoring.sheet import ID_COLUMNS
from store import access, lookup
from store.database import Database
from store.identity import Identity
from store.schema import answers, assessments, consensus, respondents
from store.schema import rounds as round_table
from store.sql import fetch_tuples

COMMENT_COLUMNS = ["region", "round", "respondent", "indicator", "comment"]


def answer_sheet(db: Database, actor: Identity, questionnaire_ref: str, rounds: Iterable[str] | None = None,
                 regions: Iterable[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(answer sheet in the scoring.sheet layout, comments [region, round, respondent, indicator, comment]).

    Rows are ordered by round (oldest first), region and respondent; removed respondents are left out,
    respondents without answers are kept (they count in the completeness figures).
    """
    q = db.questionnaire(questionnaire_ref)
    with db.reading() as conn:
        who = access.current(conn, actor)
        visible = _visible(who)
        scope = [assessments.c.questionnaire_ref == q.ref, respondents.c.removed_at.is_(None), visible]
        if rounds is not None:
            wanted = [str(label) for label in rounds]
            for label in wanted:
                lookup.round_by_label(conn, label)  # a typo is an error, not an empty comparison
            scope.append(round_table.c.label.in_(wanted))
        if regions is not None:
            scope.append(assessments.c.region_code.in_([str(code) for code in regions]))
        people, given, commented = _rows(conn, q, scope)
        agreed = _consensus(conn, people, _visible(who, own_sheets=False))
    sheet = _sheet(people, given, q)
    sheet.attrs["consensus"] = agreed  # method 2 reads a workshop's consensus values from here
    return sheet, _comments(people, commented)


def _rows(conn, q, scope: list) -> tuple[list, list, list]:
    """Respondents (id, region, round, key, role), answers as (respondent, column, value) and comments."""
    people = conn.execute(
        select(respondents.c.id, assessments.c.region_code, round_table.c.label, respondents.c.key, respondents.c.role)
        .join_from(respondents, assessments).join(round_table, assessments.c.round_id == round_table.c.id)
        .where(*scope)
        .order_by(round_table.c.opened_at, round_table.c.id, assessments.c.region_code, respondents.c.id)).all()
    # The database turns indicator ids into column numbers: the result is three integers per answer,
    # which NumPy takes in one call (strings would cost more than the query itself).
    column = case({ind.id: n for n, ind in enumerate(q.indicators)}, value=answers.c.indicator, else_=-1)
    answered = (select(answers.c.respondent_id, column, answers.c.value)
                .join_from(answers, respondents).join(assessments)
                .join(round_table, assessments.c.round_id == round_table.c.id))
    given = fetch_tuples(conn, answered.where(*scope, answers.c.value.is_not(None)))
    commented = conn.execute(
        select(answers.c.respondent_id, answers.c.indicator, answers.c.comment)
        .join_from(answers, respondents).join(assessments).join(round_table, assessments.c.round_id == round_table.c.id)
        .where(*scope, answers.c.comment.is_not(None))).all()
    return people, given, commented


def submitted_sheet(conn, q, scope: list) -> tuple[pd.DataFrame, set[str]]:
    """For store.comparison only, which decides what leaves the store: the answer sheet of `scope` whoever
    asks (no comments), and the labels of the published rounds."""
    people, given, _ = _rows(conn, q, [*scope, respondents.c.removed_at.is_(None)])
    published = set(conn.execute(select(round_table.c.label).where(round_table.c.published)).scalars())
    sheet = _sheet(people, given, q)
    sheet.attrs["consensus"] = _consensus(conn, people, true())
    return sheet, published


def _consensus(conn, people, visible) -> tuple[tuple, ...]:
    """The consensus values recorded for the (region, round) pairs on the sheet, in CONSENSUS_COLUMNS order.
    `visible` keeps them to assessments whose results the actor may read: a respondent who sees only their own
    sheet gets no region values with it."""
    pairs = {(row[1], row[2]) for row in people}
    if not pairs:
        return ()
    rows = conn.execute(
        select(assessments.c.region_code, round_table.c.label, consensus.c.indicator, consensus.c.value,
               consensus.c.rationale, consensus.c.evidence, consensus.c.decided_at, consensus.c.decided_by)
        .join_from(consensus, assessments).join(round_table, assessments.c.round_id == round_table.c.id)
        .where(assessments.c.region_code.in_(sorted({p[0] for p in pairs})),
               round_table.c.label.in_(sorted({p[1] for p in pairs})), visible)
        .order_by(round_table.c.label, assessments.c.region_code, consensus.c.indicator)).all()
    return tuple((region, label, indicator, "na" if value == NA_CODE else int(value), rationale, evidence,
                  at.isoformat(timespec="seconds"), by)
            for region, label, indicator, value, rationale, evidence, at, by in rows if (region, label) in pairs)


def _visible(who: Identity, own_sheets: bool = True):
    if who.is_admin:
        return true()
    submitted = assessments.c.status.in_(access.SUBMITTED)
    clauses = [round_table.c.published & submitted]
    if who.national_role == "analyst":
        clauses.append(submitted)
    readable = [code for code, role in who.regions.items() if role in ("lead", "viewer")]
    if readable:
        clauses.append(assessments.c.region_code.in_(readable))
    if own_sheets and who.respondent_ids:
        clauses.append(respondents.c.id.in_(sorted(who.respondent_ids)))
    return or_(*clauses) if clauses else false()


def _sheet(people, given, q) -> pd.DataFrame:
    """Scatter (respondent id, column, value) triples into the respondents × indicators matrix."""
    ids = [ind.id for ind in q.indicators]
    head = pd.DataFrame([row[1:] for row in people], columns=ID_COLUMNS, dtype=object).astype(str)
    matrix = np.full((len(people), len(ids)), MISSING, dtype=np.uint8)
    if given:
        triples = np.array(given, dtype=np.int64).reshape(-1, 3)
        triples = triples[triples[:, 1] >= 0]  # an indicator no longer in the questionnaire has no column
        person_ids = np.fromiter((row[0] for row in people), dtype=np.int64, count=len(people))
        order = np.argsort(person_ids)
        rows = order[np.searchsorted(person_ids, triples[:, 0], sorter=order)]
        matrix[rows, triples[:, 1]] = triples[:, 2].astype(np.uint8)
    return pd.concat([head, pd.DataFrame(matrix, columns=ids)], axis=1)


def _comments(people, commented) -> pd.DataFrame:
    """In the sheet's row order, then by indicator id."""
    where = {row[0]: (position, row[1], row[2], row[3]) for position, row in enumerate(people)}
    rows = sorted((*where[r], indicator, comment) for r, indicator, comment in commented if comment)
    return pd.DataFrame([row[1:] for row in rows], columns=COMMENT_COLUMNS, dtype=object)
