"""Reference data the rest hangs on: the region roster and the questionnaires rounds are measured with.

Regions come from questionnaires/regions.csv (never hard-coded) and are refreshed on every upgrade.
A questionnaire is registered with its full YAML definition when a round first uses it, so a database
can always rebuild the exact instrument its answers were given against, even after mognad stops shipping
that version. The bundled file wins when both exist: it is what the app and the reports render.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, select

from questionnaires import QuestionnaireError, bundled, load, load_regions
from questionnaires.loader import BUNDLED_DIR
from questionnaires.model import Questionnaire
from store import clock
from store.errors import Invalid, NotFound, Problem
from store.schema import questionnaires, regions

_built: dict[str, Questionnaire] = {}  # sha256 of a stored definition → model (immutable, safe to share)
_built_lock = threading.Lock()


def sync_regions(conn: Connection) -> None:
    stored = dict(conn.execute(select(regions.c.code, regions.c.name)).all())
    for region in load_regions():
        if region.code not in stored:
            conn.execute(regions.insert().values(code=region.code, name=region.name))
        elif stored[region.code] != region.name:
            conn.execute(regions.update().where(regions.c.code == region.code).values(name=region.name))


def region_codes(conn: Connection) -> set[str]:
    return set(conn.execute(select(regions.c.code)).scalars())


def resolve(conn: Connection, ref: str) -> Questionnaire:
    found = shipped(ref)
    if found is not None:
        return found
    row = conn.execute(select(questionnaires.c.definition, questionnaires.c.sha256)
                       .where(questionnaires.c.ref == ref)).first()
    if row is None:
        raise NotFound("no_questionnaire", ref=ref)
    return _build(row.definition, row.sha256)


def shipped(ref: str) -> Questionnaire | None:
    """The bundled questionnaire `ref`, or None when mognad does not ship it."""
    path = _bundled().get(ref)
    return None if path is None else load(path)


def shipped_refs() -> list[str]:
    return sorted(_bundled())


def _bundled() -> dict[str, Path]:
    """`bundled()` parses every shipped file; remember its answer until a file there changes."""
    stamp = tuple((path.name, path.stat().st_mtime_ns) for path in sorted(BUNDLED_DIR.glob("*.yaml")))
    return _bundled_for(stamp)


@lru_cache(maxsize=4)
def _bundled_for(_stamp: tuple) -> dict[str, Path]:
    return bundled()


def _build(definition: str, sha: str) -> Questionnaire:
    with _built_lock:
        if sha in _built:
            return _built[sha]
    # The linter reads files (it reports lines); a private temporary copy gives it one.
    with tempfile.TemporaryDirectory(prefix="mognad-q-") as folder:
        path = Path(folder) / "definition.yaml"
        path.write_text(definition, encoding="utf-8")
        try:
            q = load(path)
        except QuestionnaireError as error:
            raise Invalid([Problem("bad_questionnaire", {"reason": error.problems[0].render("en")})]) from None
    q = replace(q, path=None)  # the temporary file is gone
    with _built_lock:
        _built[sha] = q
    return q


def definition_of(q: Questionnaire) -> str:
    """The YAML text `q` was loaded from."""
    if q.path is None:
        raise Invalid([Problem("bad_questionnaire", {"reason": f"{q.ref} was not loaded from a file"})])
    try:
        on_disk = load(q.path)
    except QuestionnaireError as error:
        raise Invalid([Problem("bad_questionnaire", {"reason": error.problems[0].render("en")})]) from None
    if on_disk.ref != q.ref:  # the file changed since, or the model was altered: store only what a file says
        raise Invalid([Problem("bad_questionnaire", {"reason": f"{q.path} now defines {on_disk.ref}, not {q.ref}"})])
    return Path(q.path).read_text(encoding="utf-8")


def is_registered(conn: Connection, ref: str) -> bool:
    return conn.execute(select(questionnaires.c.ref).where(questionnaires.c.ref == ref)).first() is not None


def register(conn: Connection, q: Questionnaire) -> None:
    """Store `q`'s definition unless the database already has this id@version."""
    if is_registered(conn, q.ref):
        return
    text = definition_of(q)
    conn.execute(questionnaires.insert().values(
        ref=q.ref, title_sv=q.title.sv[:300], title_en=q.title.en[:300],
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), definition=text, registered_at=clock.now()))
