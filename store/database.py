"""Where the data lives: one `Database` per process, wrapping a SQLAlchemy engine.

The URL comes from the caller, else `MOGNAD_DATABASE_URL` (or the secret file `MOGNAD_DATABASE_URL_FILE` names),
else a SQLite file in `MOGNAD_DATA_DIR`
(default ./data, created on first start). SQLite runs in WAL mode with foreign keys and a busy timeout,
and every writing transaction starts with BEGIN IMMEDIATE so that concurrent writers queue up instead of
failing halfway. Database faults surface as `StoreUnavailable` with one readable line.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, exc, func, inspect, select
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool

from questionnaires.model import Questionnaire
from store import migrate, reference, schema
from store.errors import StoreUnavailable

DEFAULT_DATA_DIR = "data"
SQLITE_FILE = "mognad.sqlite"
BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 5
# Rows in any of these mean someone has used the database (regions and questionnaires are reference data).
CONTENT_TABLES = ("users", "rounds", "assessments", "respondents", "audit")
SQLITE_FAULTS = ("unable to open", "disk i/o", "readonly", "read-only", "malformed", "not a database", "disk is full",
                 "out of memory")
UPGRADE_LOCK = 0x6D6F676E  # "mogn": the advisory lock that serialises concurrent upgrades on PostgreSQL


class Database:
    def __init__(self, url: str | URL | None = None):
        self.url = resolve_url(url)
        self.engine: Engine = _engine(self.url)
        self._questionnaires: dict[str, Questionnaire] = {}
        self._lock = threading.Lock()
        self._ping()

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"

    @property
    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- transactions --------------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction: one consistent snapshot for everything read inside it."""
        with self._translated(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A writing transaction: all of it is stored, or none of it (any exception rolls back)."""
        with self._translated(), self.engine.connect() as conn:
            conn.execution_options(mognad_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (exc.OperationalError, exc.InterfaceError, exc.ProgrammingError) as error:
            unavailable = self._unavailable(error)
            if unavailable is None:  # a mistake in our SQL, not a fault of the database: keep the evidence
                raise
            raise unavailable from error

    def _unavailable(self, error: exc.DBAPIError) -> StoreUnavailable | None:
        """The one-line reason a database error is the database's fault, or None when it is a bug of ours."""
        text = str(getattr(error, "orig", error)).lower()
        if any(word in text for word in ("database is locked", "database table is locked", "busy")):
            return StoreUnavailable("busy")
        if "no such table" in text or type(getattr(error, "orig", None)).__name__ == "UndefinedTable":
            state, found = self.schema_state()
            if state == "empty":
                return StoreUnavailable("not_initialised", url=self.display_url)
            if state == "behind":
                return StoreUnavailable("needs_upgrade", found=found, expected=migrate.head())
            return None
        if isinstance(error, exc.ProgrammingError):
            return None
        if self.dialect == "sqlite" and not any(word in text for word in SQLITE_FAULTS):
            return None  # SQLite reports bad SQL as an OperationalError too
        if getattr(error, "connection_invalidated", False) or isinstance(error, exc.InterfaceError):
            return StoreUnavailable("lost", reason=_first_line(error))
        return StoreUnavailable("unreachable", url=self.display_url, reason=_first_line(error))

    def _ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except exc.DBAPIError as error:
            raise StoreUnavailable("unreachable", url=self.display_url, reason=_first_line(error)) from None
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
            raise StoreUnavailable("bad_url", url=self.display_url, reason=_first_line(error)) from None

    # -- schema --------------------------------------------------------------------------------------------

    def schema_state(self) -> tuple[str, str | None]:
        """('empty' | 'current' | 'behind' | 'ahead', revision found)."""
        try:
            with self.engine.connect() as conn:
                found = migrate.current(conn) if inspect(conn).has_table(migrate.VERSION_TABLE) else None
        except exc.DBAPIError as error:
            raise StoreUnavailable("unreachable", url=self.display_url, reason=_first_line(error)) from None
        if found is None:
            return "empty", None
        if found == migrate.head():
            return "current", found
        return ("behind" if migrate.known(found) else "ahead"), found

    def upgrade(self) -> str:
        """Bring the schema to the newest revision and seed the region roster. Safe to run at every start,
        also from several processes at once (they take turns)."""
        if self.schema_state()[0] == "ahead":
            raise StoreUnavailable("newer_schema", found=self.schema_state()[1])
        with self.writing() as conn:
            if self.dialect == "postgresql":  # SQLite's BEGIN IMMEDIATE already makes the others wait
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
            found = migrate.current(conn) if inspect(conn).has_table(migrate.VERSION_TABLE) else None
            if found is not None and not migrate.known(found):
                raise StoreUnavailable("newer_schema", found=found)
            if found != migrate.head():
                migrate.upgrade(conn)
            reference.sync_regions(conn)  # the roster is reference data, refreshed on every upgrade
        return migrate.head()

    def require_schema(self) -> None:
        """Raise `StoreUnavailable` unless the schema is current (for entry points that must not migrate)."""
        state, found = self.schema_state()
        if state == "empty":
            raise StoreUnavailable("not_initialised", url=self.display_url)
        if state == "behind":
            raise StoreUnavailable("needs_upgrade", found=found, expected=migrate.head())
        if state == "ahead":
            raise StoreUnavailable("newer_schema", found=found)

    def is_empty(self) -> bool:
        """True when nobody has used the database yet: no schema, or no accounts, rounds or history."""
        if self.schema_state()[0] == "empty":
            return True
        with self.reading() as conn:
            for name in CONTENT_TABLES:
                table = schema.metadata.tables[name]
                if conn.execute(select(func.count()).select_from(table)).scalar_one():
                    return False
        return True

    # -- questionnaires ------------------------------------------------------------------------------------

    def questionnaire(self, ref: str, conn: Connection | None = None) -> Questionnaire:
        """The questionnaire `ref` (id@version): bundled, or registered in this database. NotFound otherwise.

        Inside a transaction, pass its connection: the lookup then needs no second connection.
        """
        shipped = reference.shipped(ref)  # re-read when the file changes, so it is never cached here
        if shipped is not None:
            return shipped
        cached = self._questionnaires.get(ref)
        if cached is not None:
            return cached
        if conn is not None:
            q = reference.resolve(conn, ref)
        else:
            with self.reading() as own:
                q = reference.resolve(own, ref)
        with self._lock:
            self._questionnaires[ref] = q
        return q

    def remember(self, q: Questionnaire) -> None:
        with self._lock:
            self._questionnaires[q.ref] = q

    def forget_questionnaires(self) -> None:
        with self._lock:
            self._questionnaires.clear()

    def dispose(self) -> None:
        self.engine.dispose()


def resolve_url(url: str | URL | None) -> URL:
    raw = url if url is not None else (os.environ.get("MOGNAD_DATABASE_URL") or _from_file() or None)
    if raw is None:
        return _default_sqlite()
    if isinstance(raw, URL):
        parsed = raw
    else:
        try:
            parsed = make_url(str(raw).strip())
        except (exc.ArgumentError, ValueError) as error:
            shown = str(raw).split("@")[-1] if "@" in str(raw) else str(raw)  # never echo a password
            raise StoreUnavailable("bad_url", url=shown, reason=_first_line(error)) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgres", "postgresql"):
        if driver not in ("", "psycopg"):
            raise StoreUnavailable("driver_missing", scheme=parsed.drivername)
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed
    raise StoreUnavailable("unsupported_url", scheme=parsed.drivername)


def _from_file() -> str | None:
    """`MOGNAD_DATABASE_URL_FILE`: the URL (with its password) in a mounted secret file, never in the
    environment or the image (deploy/compose.yaml mounts it as a secret)."""
    path = os.environ.get("MOGNAD_DATABASE_URL_FILE")
    if not path:
        return None
    try:
        return Path(path).read_text("utf-8").strip() or None
    except OSError as error:
        raise StoreUnavailable("data_dir", path=path, reason=error.strerror or str(error)) from None


def _default_sqlite() -> URL:
    directory = Path(os.environ.get("MOGNAD_DATA_DIR") or DEFAULT_DATA_DIR).expanduser()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreUnavailable("data_dir", path=str(directory), reason=error.strerror or str(error)) from None
    return URL.create("sqlite", database=str((directory / SQLITE_FILE).resolve()))


def _engine(url: URL) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "mognad"})
    except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
        raise StoreUnavailable("bad_url", url=url.render_as_string(hide_password=True), reason=_first_line(error)) from None


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    if memory:  # one shared connection, or every thread would see its own empty database
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        folder = Path(url.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreUnavailable("unreachable", url=str(url), reason=f"{folder}: no such directory")
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                               pool_size=10, max_overflow=10)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _begin)
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")  # a saved answer survives a power cut, not only a crash
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # A deferred transaction that reads first and writes later can fail at once with "database is locked"
        # when another writer got in between; taking the write lock up front makes writers wait their turn.
        immediate = conn.get_execution_options().get("mognad_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    line = next((part.strip() for part in text.splitlines() if part.strip()), type(error).__name__)
    return line[:300]
