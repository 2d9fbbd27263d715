"""Store tests run on every backend available: SQLite always, PostgreSQL when MOGNAD_TEST_POSTGRES_URL is set.

Each test gets an empty, migrated database: on SQLite a copy of a file migrated once per session, on
PostgreSQL the test database's tables emptied (the schema itself is rebuilt through the migrations once per
session). `world` gives a populated scenario (accounts of every role, a round, two regions' assessments),
restored to the same state for every test that asks for it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

import store
import store.auth
from store import reference, schema
from store.database import Database

POSTGRES_URL = os.environ.get("MOGNAD_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)] if POSTGRES_URL else ["sqlite"]
PASSWORD = "rätt-lösenord-123"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """argon2 at production cost takes 0.1 s a hash; the rules under test do not depend on the cost."""
    monkeypatch.setattr(store.auth, "HASHER", CHEAP)
    monkeypatch.setattr(store.auth, "_DUMMY_HASH", None)


# -- empty databases --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "mognad.sqlite"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()  # the last connection closes: the WAL is checkpointed into the file we copy
    return path


@pytest.fixture(scope="session")
def postgres_db():
    """One PostgreSQL store for the session (its connection pool is reused); each test empties it first."""
    if not POSTGRES_URL:
        pytest.skip("MOGNAD_TEST_POSTGRES_URL is not set")
    db = Database(POSTGRES_URL)
    rebuild_postgres_schema(db)
    yield db
    db.dispose()


def rebuild_postgres_schema(db: Database) -> None:
    with db.writing() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    db.upgrade()


def fresh_database(backend: str, tmp_path: Path, request) -> Database:
    if backend == "sqlite":
        tmp_path.mkdir(parents=True, exist_ok=True)
        path = tmp_path / "mognad.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Database(f"sqlite:///{path}")
    db = request.getfixturevalue("postgres_db")
    empty_postgres(db)
    return db


def empty_postgres(db: Database, rows: dict[str, list[dict]] | None = None) -> None:
    """Back to a freshly migrated state (schema rebuilt if a test dropped it), holding `rows` or just the roster."""
    db.forget_questionnaires()
    if db.schema_state()[0] != "current":  # a test dropped or tampered with it
        rebuild_postgres_schema(db)
    names = ", ".join(table.name for table in schema.metadata.sorted_tables)
    with db.writing() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        if rows is None:
            reference.sync_regions(conn)
            return
        for table in schema.metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
        for table in ("users", "rounds", "assessments", "respondents", "audit"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db(backend, tmp_path, request):
    database = fresh_database(backend, tmp_path, request)
    yield database
    if backend == "sqlite":
        database.dispose()


@pytest.fixture
def admin():
    return store.system_identity("tester")


# -- a populated world --------------------------------------------------------------------------------------

@dataclass
class World:
    """Accounts of every role around region 19 (and 03 as "another region"), a round, two assessments."""

    admin: store.Identity
    analyst: store.Identity
    lead: store.Identity  # leads 19
    lead_other: store.Identity  # leads 03
    viewer: store.Identity  # views 19
    viewer_other: store.Identity  # views 03
    respondent: store.Identity  # answers sheet `own_sheet` in 19
    outsider: store.Identity  # an account without any role
    assessment: int  # 19's assessment in round "2025"
    other_assessment: int  # 03's assessment in round "2025"
    own_sheet: int  # the respondent's sheet in 19
    lead_sheet: int  # a sheet in 19 the respondent may not answer
    other_sheet: int  # a sheet in 03


def build_world(db: Database, q) -> World:
    system = store.system_identity("tester")
    store.register_questionnaire(db, system, q)
    store.open_round(db, system, "2025", q.ref)

    def account(email, national=None, regions=None):
        store.create_user(db, system, email, email.split("@")[0].title(), password=PASSWORD, national_role=national,
                          regions=regions or {})
        return store.identity_for_email(db, email)

    admin = account("admin@test.se", "admin")
    analyst = account("analytiker@test.se", "analyst")
    lead = account("ledare19@test.se", regions={"19": "lead"})
    lead_other = account("ledare03@test.se", regions={"03": "lead"})
    viewer = account("lasare19@test.se", regions={"19": "viewer"})
    viewer_other = account("lasare03@test.se", regions={"03": "viewer"})
    outsider = account("utan.roll@test.se")
    assessment = store.ensure_assessment(db, lead, "19", "2025").id
    other = store.ensure_assessment(db, lead_other, "03", "2025").id
    lead_sheet = store.add_respondent(db, lead, assessment, "Regionen", "region").id
    own_sheet = store.add_respondent(db, lead, assessment, "Komvux", "kommun", user_email="respondent19@test.se").id
    other_sheet = store.add_respondent(db, lead_other, other, "Region Uppsala", "region").id
    respondent = account("respondent19@test.se", regions={"19": "respondent"})
    for sheet, who, value in ((lead_sheet, lead, 3), (own_sheet, respondent, 2), (other_sheet, lead_other, 1)):
        store.save_answer(db, who, sheet, "D1.1", value, comment="belägg")
    return World(admin, analyst, lead, lead_other, viewer, viewer_other, respondent, outsider, assessment, other,
                 own_sheet, lead_sheet, other_sheet)


class Snapshot:
    """A populated database state that each test can start from, cheaply."""

    def __init__(self, backend: str, source: Database, world: World, folder: Path):
        self.backend, self.world = backend, world
        if backend == "sqlite":
            self.file = folder / "world.sqlite"
            source.dispose()  # the last connection closes: the WAL is checkpointed into the file we copy
            shutil.copyfile(Path(source.url.database), self.file)
        else:
            self.rows = {}
            with source.reading() as conn:
                for table in schema.metadata.sorted_tables:
                    self.rows[table.name] = [dict(row._mapping) for row in conn.execute(table.select())]

    def open(self, tmp_path: Path, request) -> Database:
        if self.backend == "sqlite":
            tmp_path.mkdir(parents=True, exist_ok=True)
            path = tmp_path / "mognad.sqlite"
            shutil.copyfile(self.file, path)
            return Database(f"sqlite:///{path}")
        db = request.getfixturevalue("postgres_db")
        empty_postgres(db, self.rows)
        return db


@pytest.fixture(scope="session")
def world_snapshots(tmp_path_factory, example, request):
    cache: dict[str, Snapshot] = {}

    def get(backend: str) -> Snapshot:
        if backend not in cache:
            folder = tmp_path_factory.mktemp(f"world-{backend}")
            source = fresh_database(backend, folder, request)
            world = build_world(source, example)
            cache[backend] = Snapshot(backend, source, world, folder)
        return cache[backend]

    return get


@pytest.fixture
def world(backend, world_snapshots, tmp_path, request):
    """(db, World): the populated scenario, fresh for this test."""
    snapshot = world_snapshots(backend)
    database = snapshot.open(tmp_path, request)
    yield database, snapshot.world
    if backend == "sqlite":
        database.dispose()
