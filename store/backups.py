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
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    exc,
    func,
    insert,
    select,
    text,
)

from questionnaires import load_regions
from questionnaires.actionplan import STATUSES
from questionnaires.answers import CONFIDENCE, DK_CODE, NA_CODE
from questionnaires.freetext import shown, storable
from questionnaires.text import Text
from store import access, migrate, reference
from store.database import Database
from store.errors import Invalid, NotEmpty, NotFound, Problem
from store.identity import NATIONAL_ROLES, REGIONAL_ROLES, Identity
from store.messages import ASSESSMENT_STATUSES
from store.schema import DERIVED, EPHEMERAL, answer_revisions, answers

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

    Refuses a database that holds data (`NotEmpty`) unless `force`. The whole file is checked before a row
    is written — every table present, every value fitting its column and making sense (see `_validated`) —
    and the old content is dropped and the backup loaded in one transaction, so a bad file (`Invalid`,
    naming the table and row) leaves the database exactly as it was.
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
        rows = _validated(document, reflected)  # raises Invalid: the transaction, DDL included, rolls back
        for table in reflected.sorted_tables:  # parents before children, whatever order the file has
            if table.name in rows:
                counts[table.name] = _load_table(conn, table, rows[table.name])
        migrate.upgrade(conn, "head")
        _rebuild_answers(conn)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, reflected)
    db.forget_questionnaires()
    return BackupSummary(str(source), revision, counts, len(raw))


# -- writing -----------------------------------------------------------------------------------------------

def _tables(conn: Connection) -> list[Table]:
    from store.schema import metadata

    return [table for table in metadata.sorted_tables if table.name not in DERIVED + EPHEMERAL]


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

MAX_PROBLEMS = 1000  # a file can be wrong in a million places; the first thousand say enough


def _why(sv: str, en: str) -> Text:
    return Text(sv, en)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number here")


def _parse(raw: bytes) -> dict:
    def bad(reason: Text) -> Invalid:
        return Invalid([Problem("not_backup", {"reason": reason})])

    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise bad(_why("inte UTF-8", "not UTF-8")) from None
    except json.JSONDecodeError as error:
        raise bad(_why(f"JSON, rad {error.lineno}: {error.msg}", f"JSON, line {error.lineno}: {error.msg}")) from None
    except RecursionError:
        raise bad(_why("JSON som är för djupt nästlad", "JSON nested too deeply")) from None
    except ValueError:  # an integer of thousands of digits, NaN or Infinity
        raise bad(_why("ett tal som är för stort eller inte är ett tal", "a number too large, or not a number"),
                  ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise bad(_why(f"formatet är inte {FORMAT}", f"format is not {FORMAT}"))
    if not isinstance(document.get("schema"), str) or not migrate.known(document["schema"]):
        raise Invalid([Problem("unknown_schema", {"value": shown(document.get("schema"))})])
    tables = document.get("tables")
    if not isinstance(tables, list):
        raise bad(_why("ingen lista med tabeller", "no table list"))
    problems = []
    for entry in tables:
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("columns"), list)
                and isinstance(entry.get("rows"), list)):
            where = shown(str(entry), 60)
            problems.append(Problem("not_backup", {"reason": _why(f"felaktig tabellpost {where}",
                                                                  f"malformed table entry {where}")}))
    if problems:
        raise Invalid(problems)
    return document


class _Problems:
    """The problems found so far, at most MAX_PROBLEMS of them."""

    def __init__(self):
        self.found: list[Problem] = []

    def table(self, name: str, reason: Text) -> None:
        self._add(Problem("backup_table", {"table": shown(name, 60), "reason": reason}))

    def row(self, name: str, number: int, reason: Text, column: str | None = None) -> None:
        if column is not None:
            reason = _why(f"kolumnen '{column}': {reason.sv}", f"column '{column}': {reason.en}")
        self._add(Problem("backup_row", {"table": name, "row": number, "reason": reason}))

    def _add(self, problem: Problem) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(problem)

    def raise_any(self) -> None:
        if self.found:
            raise Invalid(self.found)


class _Bad(ValueError):
    def __init__(self, reason: Text):
        super().__init__(reason.en)
        self.reason = reason


def _validated(document: dict, reflected: MetaData) -> dict[str, list[dict]]:
    """Every table's rows as column → value, checked; `Invalid` listing every problem (table and row) otherwise.

    1. shape: each table known, once, with the schema's columns; each row as long as the columns, each value
       of its column's type (integers in the column's range, text no longer than the column and free of NUL
       and broken characters, times and dates that parse, NULL only where allowed);
    2. completeness: every table of the schema is in the file (a backup is all or nothing);
    3. meaning: primary and unique keys unique, foreign keys pointing at rows in the file, regions from the
       roster, statuses and roles from their lists, questionnaires that build and match their checksum,
       answers on their questionnaire's scale for its indicators, JSON columns that parse.
    """
    expected = {table.name: table for table in reflected.sorted_tables
                if table.name not in DERIVED + EPHEMERAL and table.name != migrate.VERSION_TABLE}
    problems = _Problems()
    rows: dict[str, list[dict]] = {}
    for entry in document["tables"]:
        name = entry["name"]
        table = expected.get(name)
        if table is None:
            problems.table(name, _why("okänd tabell", "unknown table"))
            continue
        if name in rows:
            problems.table(name, _why("finns mer än en gång", "appears more than once"))
            continue
        columns = entry["columns"]
        if (not all(isinstance(column, str) for column in columns) or len(set(columns)) != len(columns)
                or set(columns) != {column.name for column in table.columns}):
            problems.table(name, _why("kolumnerna stämmer inte med schemat", "the columns differ from the schema"))
            continue
        rows[name] = _typed_rows(name, table, columns, entry["rows"], problems)
    for name in expected:
        if name not in rows and not any(entry["name"] == name for entry in document["tables"]):
            problems.table(name, _why("saknas; en fullständig säkerhetskopia har alla tabeller",
                                      "missing; a complete backup holds every table"))
    problems.raise_any()
    _check_keys(expected, rows, problems)
    _check_meaning(rows, problems)
    problems.raise_any()
    return rows


def _typed_rows(name: str, table: Table, columns: list[str], raw_rows: list, problems: _Problems) -> list[dict]:
    checks = [(column, _checker(table.columns[column])) for column in columns]
    rows = []
    for number, row in enumerate(raw_rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            problems.row(name, number, _why("fel antal värden", "wrong number of values"))
            continue
        converted = {}
        for (column, check), value in zip(checks, row, strict=True):
            try:
                converted[column] = check(value)
            except _Bad as bad:
                problems.row(name, number, bad.reason, column)
                converted = None
                break
        if converted is not None:
            rows.append(converted)
    return rows


_INTEGER_RANGES = ((SmallInteger, 2**15), (BigInteger, 2**63), (Integer, 2**31))


def _checker(column):
    """A function that returns the value for `column`, converted, or raises `_Bad` saying why it does not fit."""
    kind = column.type
    nullable = column.nullable and not column.primary_key
    if isinstance(kind, DateTime):
        convert = _to_datetime
    elif isinstance(kind, Date):
        convert = _to_date
    elif isinstance(kind, Boolean):
        convert = _to_bool
    elif isinstance(kind, Integer):
        limit = next(bound for base, bound in _INTEGER_RANGES if isinstance(kind, base))
        convert = _integer(limit)
    elif isinstance(kind, String):
        convert = _text(kind.length)
    else:
        convert = _as_is

    def check(value):
        if value is None:
            if nullable:
                return None
            raise _Bad(_why("får inte vara tomt (null)", "may not be empty (null)"))
        return convert(value)

    return check


def _integer(limit: int):
    def convert(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(_why(f"ska vara ett heltal (är {shown(value, 30)})", f"must be a whole number (is {shown(value, 30)})"))
        if not -limit <= value < limit:
            raise _Bad(_why(f"talet ligger utanför kolumnens gränser (±{limit})", f"the number is beyond the column's range (±{limit})"))
        return value
    return convert


def _text(length: int | None):
    def convert(value):
        if not isinstance(value, str):
            raise _Bad(_why(f"ska vara text (är {shown(value, 30)})", f"must be text (is {shown(value, 30)})"))
        if not storable(value):
            raise _Bad(_why("innehåller ett NUL-tecken eller ett trasigt tecken som ingen databas kan lagra",
                            "holds a NUL or a broken character that no database can store"))
        if length is not None and len(value) > length:
            raise _Bad(_why(f"texten har {len(value)} tecken, högst {length}", f"the text has {len(value)} characters, at most {length}"))
        return value
    return convert


def _to_datetime(value):
    if not isinstance(value, str):
        raise _Bad(_why("ska vara en tidpunkt", "must be a time"))
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(_why(f"'{shown(value, 40)}' är ingen tidpunkt", f"'{shown(value, 40)}' is not a time")) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment  # the reflected column stores naive UTC, as store.schema.UtcDateTime does


def _to_date(value):
    if not isinstance(value, str):
        raise _Bad(_why("ska vara ett datum", "must be a date"))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(_why(f"'{shown(value, 40)}' är inget datum", f"'{shown(value, 40)}' is not a date")) from None


def _to_bool(value):
    if isinstance(value, bool):
        return value
    raise _Bad(_why(f"ska vara true eller false (är {shown(value, 30)})", f"must be true or false (is {shown(value, 30)})"))


def _as_is(value):
    if isinstance(value, dict | list):
        raise _Bad(_why("ett nästlat värde", "a nested value"))
    return value


def _check_keys(tables: dict[str, Table], rows: dict[str, list[dict]], problems: _Problems) -> None:
    """Primary and unique keys unique; every foreign key pointing at a row of the backup."""
    for name, table in tables.items():
        keys = [tuple(column.name for column in table.primary_key.columns)]
        keys += [tuple(column.name for column in constraint.columns) for constraint in table.constraints
                 if isinstance(constraint, UniqueConstraint)]
        keys += [tuple(column.name for column in index.columns) for index in table.indexes if index.unique]
        for key in dict.fromkeys(keys):
            if not key:
                continue
            seen: dict[tuple, int] = {}
            for number, row in enumerate(rows[name], start=1):
                value = tuple(row[column] for column in key)
                if None in value:
                    continue
                if value in seen:
                    columns = ", ".join(key)
                    problems.row(name, number, _why(f"samma {columns} som rad {seen[value]}",
                                                    f"the same {columns} as row {seen[value]}"))
                else:
                    seen[value] = number
        for foreign in table.foreign_keys:
            parent, target = foreign.parent.name, foreign.column
            present = {row[target.name] for row in rows.get(target.table.name, [])}
            for number, row in enumerate(rows[name], start=1):
                if row[parent] is not None and row[parent] not in present:
                    value, where = shown(row[parent], 30), target.table.name
                    problems.row(name, number, _why(f"pekar på {value} i tabellen '{where}', som inte finns där",
                                                    f"points at {value} in the table '{where}', which is not there"),
                                 parent)


def _check_meaning(rows: dict[str, list[dict]], problems: _Problems) -> None:
    """What the schema cannot say: roster, lists of allowed values, questionnaires and answers, JSON."""
    roster = {region.code for region in load_regions()}

    def each(table: str):
        return enumerate(rows.get(table, []), start=1)

    def allowed(table: str, column: str, values, number: int, row: dict) -> None:
        if column in row and row[column] not in values:
            problems.row(table, number, _why(f"'{shown(row[column], 40)}' är inget tillåtet värde",
                                             f"'{shown(row[column], 40)}' is not an allowed value"), column)

    for number, row in each("regions"):
        allowed("regions", "code", roster, number, row)
    for number, row in each("audit"):
        allowed("audit", "region_code", roster | {None}, number, row)
        for column in ("old", "new"):
            _json_cell("audit", number, row, column, problems)
    for number, row in each("users"):
        allowed("users", "national_role", (None, *NATIONAL_ROLES), number, row)
        if row.get("failed_logins", 0) < 0:
            problems.row("users", number, _why("får inte vara negativt", "may not be negative"), "failed_logins")
    for number, row in each("memberships"):
        allowed("memberships", "role", REGIONAL_ROLES, number, row)
    models = _questionnaires(rows, problems)
    round_refs = {row["id"]: row.get("questionnaire_ref") for row in rows.get("rounds", [])}
    for number, row in each("rounds"):
        allowed("rounds", "status", ("open", "closed"), number, row)
    assessment_refs = {}
    for number, row in each("assessments"):
        allowed("assessments", "status", ASSESSMENT_STATUSES, number, row)
        assessment_refs[row["id"]] = row.get("questionnaire_ref")
        if "round_id" in row and round_refs.get(row["round_id"]) != row.get("questionnaire_ref"):
            problems.row("assessments", number, _why("en annan version av frågeformuläret än omgångens",
                                                     "another questionnaire version than its round's"),
                         "questionnaire_ref")
    sheet_models = {}
    for number, row in each("respondents"):
        q = models.get(assessment_refs.get(row.get("assessment_id")))
        sheet_models[row["id"]] = q
        if q is not None:
            allowed("respondents", "role", q.role_by_id, number, row)
    for number, row in each("answer_revisions"):
        _check_answer(number, row, sheet_models.get(row.get("respondent_id")), problems)
    for number, row in each("plans"):
        if row.get("version", 0) < 0:
            problems.row("plans", number, _why("får inte vara negativt", "may not be negative"), "version")
    for number, row in each("plan_actions"):
        _check_plan_action(number, row, models.get(assessment_refs.get(row.get("assessment_id"))), problems)
    for number, row in each("link_tokens"):
        allowed("link_tokens", "purpose", ("invitation", "reset"), number, row)
    for number, row in each("sheet_receipts"):
        for column in ("answered", "asked"):
            if row.get(column, 0) < 0:
                problems.row("sheet_receipts", number, _why("får inte vara negativt", "may not be negative"), column)


def _questionnaires(rows: dict[str, list[dict]], problems: _Problems) -> dict:
    """ref → the questionnaire the backup's answers were given against (bundled wins, as in the store)."""
    models = {}
    for number, row in enumerate(rows.get("questionnaires", []), start=1):
        definition = row.get("definition", "")
        if hashlib.sha256(definition.encode("utf-8")).hexdigest() != row.get("sha256"):
            problems.row("questionnaires", number, _why("kontrollsumman stämmer inte med definitionen",
                                                        "the checksum does not match the definition"), "sha256")
            continue
        try:
            q = reference.shipped(row["ref"]) or reference._build(definition, row["sha256"])  # noqa: SLF001
        except Invalid as error:  # the linter's first finding, in English, without the temporary file's path
            found = re.sub(r"\S*definition\.yaml:?", "", str(error.problems[0].params.get("reason", ""))).strip(" :-")
            problems.row("questionnaires", number, _why(f"är inget giltigt frågeformulär ({shown(found, 120)})",
                                                        f"is not a valid questionnaire ({shown(found, 120)})"),
                         "definition")
            continue
        if q.ref != row["ref"]:
            problems.row("questionnaires", number, _why(f"definitionen är {q.ref}", f"the definition is {q.ref}"), "ref")
            continue
        models[row["ref"]] = q
    return models


def _check_answer(number: int, row: dict, q, problems: _Problems) -> None:
    table = "answer_revisions"
    if row.get("revision", 1) < 1:
        problems.row(table, number, _why("versionsnumret börjar på 1", "revisions start at 1"), "revision")
    if row.get("confidence") not in (None, *CONFIDENCE):
        problems.row(table, number, _why(f"'{shown(row['confidence'], 20)}' är ingen säkerhet (low, medium, high)",
                                         f"'{shown(row['confidence'], 20)}' is no confidence (low, medium, high)"),
                     "confidence")
    if q is None:
        return
    if row.get("indicator") not in q.indicator_by_id:
        problems.row(table, number, _why(f"{q.ref} har ingen indikator '{shown(row.get('indicator'), 40)}'",
                                         f"{q.ref} has no indicator '{shown(row.get('indicator'), 40)}'"), "indicator")
    value = row.get("value")
    if not (value is None or value in (NA_CODE, DK_CODE) or 0 <= value <= q.scale_max):
        problems.row(table, number, _why(f"{value} är inget svar (0–{q.scale_max}, {NA_CODE} = na, {DK_CODE} = dk)",
                                         f"{value} is not an answer (0–{q.scale_max}, {NA_CODE} = na, {DK_CODE} = dk)"),
                     "value")


def _check_plan_action(number: int, row: dict, q, problems: _Problems) -> None:
    table = "plan_actions"
    if row.get("status") not in STATUSES:
        problems.row(table, number, _why(f"'{shown(row.get('status'), 20)}' är ingen status",
                                         f"'{shown(row.get('status'), 20)}' is not a status"), "status")
    if row.get("position", 0) < 0:
        problems.row(table, number, _why("får inte vara negativt", "may not be negative"), "position")
    indicators = _json_cell(table, number, row, "indicators", problems)
    if indicators is not _BROKEN and not (isinstance(indicators, list) and all(isinstance(i, str) for i in indicators)):
        problems.row(table, number, _why("ska vara en JSON-lista med indikator-id", "must be a JSON list of indicator ids"),
                     "indicators")
        indicators = _BROKEN
    extra = _json_cell(table, number, row, "extra", problems)
    if extra is not _BROKEN and not isinstance(extra, dict):
        problems.row(table, number, _why("ska vara ett JSON-objekt", "must be a JSON object"), "extra")
    if q is None:
        return
    if row.get("dimension") not in q.dimension_by_id:
        problems.row(table, number, _why(f"{q.ref} har ingen dimension '{shown(row.get('dimension'), 40)}'",
                                         f"{q.ref} has no dimension '{shown(row.get('dimension'), 40)}'"), "dimension")
    if indicators is not _BROKEN:
        unknown = [indicator for indicator in indicators if indicator not in q.indicator_by_id]
        if unknown:
            problems.row(table, number, _why(f"{q.ref} har ingen indikator '{shown(unknown[0], 40)}'",
                                             f"{q.ref} has no indicator '{shown(unknown[0], 40)}'"), "indicators")


_BROKEN = object()


def _json_cell(table: str, number: int, row: dict, column: str, problems: _Problems):
    """The JSON value in a text column (None stays None), or _BROKEN after reporting why it does not parse."""
    text = row.get(column)
    if text is None:
        return None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        reason = _why(f"ogiltig JSON ({error.msg})", f"invalid JSON ({error.msg})")
    except RecursionError:
        reason = _why("JSON som är för djupt nästlad", "JSON nested too deeply")
    except ValueError:
        reason = _why("JSON med ett tal som är för stort eller inte är ett tal", "JSON with a number too large, or not a number")
    problems.row(table, number, reason, column)
    return _BROKEN


def _load_table(conn: Connection, table: Table, rows: list[dict]) -> int:
    try:
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(table), rows[start:start + BATCH])
    except (exc.IntegrityError, exc.DataError, exc.StatementError) as error:
        # Everything is checked beforehand; this is the database's own last word, should it see more.
        reason = shown(str(getattr(error, "orig", error)).strip().splitlines()[0], 200)
        raise Invalid([Problem("backup_table", {"table": table.name, "reason": reason})]) from None
    return len(rows)


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

