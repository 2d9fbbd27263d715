"""Registering a questionnaire that mognad does not ship (a regional variant, a worked example)."""

from __future__ import annotations

from questionnaires.model import Questionnaire
from store import access, audit, reference
from store.database import Database
from store.identity import Identity


def register_questionnaire(db: Database, actor: Identity, q: Questionnaire) -> str:
    """Store `q`'s definition so rounds can use it; returns its id@version. National admin only.

    Registering an id@version the database already has changes nothing: versions are immutable.
    """
    with db.writing() as conn:
        who = access.current(conn, actor)
        access.require_admin(who, "register_questionnaire")
        known = reference.is_registered(conn, q.ref)
        reference.register(conn, q)
        if not known:
            audit.record(conn, who, "questionnaire.register", f"questionnaire:{q.ref}", new={"ref": q.ref})
    db.remember(q)
    return q.ref
