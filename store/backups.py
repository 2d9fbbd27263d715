"""Backups as one JSON file, lossless: every table, every revision of every answer, the whole audit log.

Layout (one table per line group, one row per line, so that two backups diff well):

    {"format":"mognad-backup/1","schema":"0001","tables":[
    {"name":"regions","columns":["code","name"],"rows":[
    ["01","Region Stockholm"],
    ...
    ]}
    ]}

Ordering rule, which makes backup → restore → backup byte-identical on either backend: tables in
foreign-key dependency order (ties by name); rows by primary key, compared in Python (integers
numerically, text by code point, so no database collation is involved); columns in table order; times
in UTC as 2026-03-01T09:30:00.000000Z; dates as 2026-03-01; no timestamp of the backup itself inside.
The `answers` table is derived from `answer_revisions` and rebuilt on restore rather than stored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Boolean, Connection, Date, DateTime, MetaData, Table, exc, func, insert, select, text

from store import access, migrate
from store.database import Database
from store.errors import Invalid, NotEmpty, NotFound, Problem
from store.identity import Identity
from store.schema import DERIVED, answer_revisions, answers

FORMAT = "mognad-backup/1"
BATCH = 5000


@dataclass(frozen=True)
class BackupSummary:
    path: str
    schema: str
    rows: dict[str, int]  # table → rows written or restored
    bytes: int


def backup(db: Database, path: str | os.PathLike) -> BackupSummary:
    """Write the whole database to `path` (atomically: the file appears complete or not at all)."""
    db.require_schema()
    target = Path(path)
    counts: dict[str, int] = {}
    with db.reading() as conn:
        revision = migrate.current(conn)
        tables = _tables(conn)
        chunks = [f'{{"format":{json.dumps(FORMAT)},"schema":{json.dumps(revision)},"tables":[']
        for number, table in enumerate(tables):
            columns = [column.name for column in table.columns]
            rows = [[_dump(value) for value in row] for row in conn.execute(select(table))]
            key = _key_positions(table, columns)
            rows.sort(key=lambda row: tuple(row[i] for i in key))
            counts[table.name] = len(rows)
            separator = "\n" if number == 0 else ",\n"
            chunks.append(f'{separator}{{"name":{json.dumps(table.name)},"columns":{_line(columns)},"rows":[')
            chunks.append(",".join("\n" + _line(row) for row in rows))
            chunks.append("\n]}" if rows else "]}")
        chunks.append("\n]}\n")
    payload = "".join(chunks).encode("utf-8")
    _write_atomically(target, payload)
    return BackupSummary(str(target), revision, counts, len(payload))


def backup_bytes(db: Database, actor: Identity) -> bytes:
    """The backup as bytes, for the admin page's download. National admin only: it holds everything."""
    with db.reading() as conn:
        access.require_admin(access.current(conn, actor), "backup")
    with tempfile.TemporaryDirectory(prefix="mognad-backup-") as folder:
        target = Path(folder) / "backup.json"
        backup(db, target)
        return target.read_bytes()


def restore(db: Database, path: str | os.PathLike, force: bool = False) -> BackupSummary:
    """Replace the database's content with the backup at `path`.

    Refuses a database that holds data (`NotEmpty`) unless `force`. All or nothing: the old content is
    dropped and the backup loaded in one transaction, so a bad file leaves the database as it was.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise NotFound("no_file", path=str(source), reason=error.strerror or str(error)) from None
    document = _parse(raw)
    revision = document["schema"]
    if not force and not db.is_empty():
        raise NotEmpty("not_empty")
    counts: dict[str, int] = {}
    with db.writing() as conn:
        migrate.recreate(conn, revision)
        reflected = MetaData()
        reflected.reflect(conn)
        for entry in document["tables"]:
            counts[entry["name"]] = _load_table(conn, reflected, entry)
        migrate.upgrade(conn, "head")
        _rebuild_answers(conn)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, reflected)
    db.forget_questionnaires()
    return BackupSummary(str(source), revision, counts, len(raw))


# -- writing -----------------------------------------------------------------------------------------------

def _tables(conn: Connection) -> list[Table]:
    from store.schema import metadata

    return [table for table in metadata.sorted_tables if table.name not in DERIVED]


def _key_positions(table: Table, columns: list[str]) -> list[int]:
    return [columns.index(column.name) for column in table.primary_key.columns]


def _dump(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _line(values: list) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _write_atomically(target: Path, payload: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise NotFound("no_file", path=str(target), reason=error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- reading -----------------------------------------------------------------------------------------------

def _parse(raw: bytes) -> dict:
    def bad(reason: str) -> Invalid:
        return Invalid([Problem("not_backup", {"reason": reason})])

    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise bad("not UTF-8") from None
    except json.JSONDecodeError as error:
        raise bad(f"JSON, line {error.lineno}: {error.msg}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise bad(f"format is not {FORMAT}")
    if not isinstance(document.get("schema"), str) or not migrate.known(document["schema"]):
        raise Invalid([Problem("unknown_schema", {"value": document.get("schema")})])
    tables = document.get("tables")
    if not isinstance(tables, list):
        raise bad("no table list")
    problems = []
    for entry in tables:
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("columns"), list)
                and isinstance(entry.get("rows"), list)):
            problems.append(Problem("not_backup", {"reason": f"malformed table entry {str(entry)[:60]}"}))
    if problems:
        raise Invalid(problems)
    return document


def _load_table(conn: Connection, reflected: MetaData, entry: dict) -> int:
    name = entry["name"]
    table = reflected.tables.get(name)
    if table is None or name in DERIVED or name == migrate.VERSION_TABLE:
        raise Invalid([Problem("backup_table", {"table": name, "reason": "unknown table"})])
    columns = entry["columns"]
    if sorted(columns) != sorted(column.name for column in table.columns):
        raise Invalid([Problem("backup_table", {"table": name, "reason": "the columns differ from the schema"})])
    convert = [_converter(table.columns[column]) for column in columns]
    rows = []
    problems = []
    for number, row in enumerate(entry["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            problems.append(Problem("backup_row", {"table": name, "row": number, "reason": "wrong number of values"}))
            continue
        try:
            rows.append({column: fix(value) for column, fix, value in zip(columns, convert, row, strict=True)})
        except (TypeError, ValueError) as error:
            problems.append(Problem("backup_row", {"table": name, "row": number, "reason": str(error)[:120]}))
    if problems:
        raise Invalid(problems)
    try:
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(table), rows[start:start + BATCH])
    except (exc.IntegrityError, exc.DataError, exc.StatementError) as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:200]
        raise Invalid([Problem("backup_table", {"table": name, "reason": reason})]) from None
    return len(rows)


def _converter(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return _to_datetime
    if isinstance(kind, Date):
        return _to_date
    if isinstance(kind, Boolean):
        return _to_bool
    return _as_is


def _to_datetime(value):
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment  # the reflected column stores naive UTC, as store.schema.UtcDateTime does


def _to_date(value):
    return None if value is None else dt.date.fromisoformat(value)


def _to_bool(value):
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"not true/false: {value!r}")


def _as_is(value):
    if isinstance(value, dict | list):
        raise ValueError("nested value")
    return value


answers_source = answer_revisions.alias("newest")


def _rebuild_answers(conn: Connection) -> None:
    newest = (select(func.max(answer_revisions.c.revision)).where(
        answer_revisions.c.respondent_id == answers_source.c.respondent_id,
        answer_revisions.c.indicator == answers_source.c.indicator).scalar_subquery())
    columns = ["respondent_id", "indicator", "revision", "value", "comment", "confidence", "saved_by", "saved_at"]
    conn.execute(answers.insert().from_select(
        columns, select(*[answers_source.c[name] for name in columns]).where(answers_source.c.revision == newest)))




def _reset_sequences(conn: Connection, reflected: MetaData) -> None:
    """Restored rows carry their ids; the sequences must continue after the largest one."""
    for table in reflected.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].name == "id" and key[0].type.python_type is int:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))

