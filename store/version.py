"""The data version: a cheap number that changes whenever anything a result depends on changes.

Every change in the store writes either an answer revision (answers) or an audit entry (everything else:
assessments, respondents, plans, rounds, publication, accounts, imports, restores), both append-only. The
pair (how many answer revisions, the newest audit id) is therefore a version of the whole database: caches keyed by it are invalidated
by any save, submit, publication or new round, and never need to be told.
"""

from __future__ import annotations

from sqlalchemy import func, select

from store import access
from store.database import Database
from store.identity import Identity
from store.schema import answer_revisions, audit


def data_version(db: Database, actor: Identity) -> tuple[int, int]:
    """(number of answer revisions, newest audit entry id): two index reads, for any signed-in caller."""
    with db.reading() as conn:
        access.current(conn, actor)
        revisions = conn.execute(select(func.count()).select_from(answer_revisions)).scalar() or 0
        entries = conn.execute(select(func.max(audit.c.id))).scalar() or 0
    return int(revisions), int(entries)
