"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Connection, Table


def insert_if_absent(conn: Connection, table: Table, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; False when the row's key already existed (someone got there first)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(**values).on_conflict_do_nothing()
    # Only UPDATE and DELETE report their row count by default; this INSERT must report it too.
    return conn.execute(statement.execution_options(preserve_rowcount=True)).rowcount == 1


def fetch_tuples(conn: Connection, statement) -> list[tuple]:
    """All rows of a SELECT as plain tuples, straight from the driver, in the caller's transaction.

    For the national comparison (tens of thousands of rows of integers and short ids) SQLAlchemy's row
    objects cost three times the query itself. Only for statements whose parameters need no type
    processing (ids, codes, labels): nothing is converted on the way in or out.
    """
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args = tuple(params[name] for name in compiled.positiontup) if compiled.positional else params
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), args)
        return cursor.fetchall()
    finally:
        cursor.close()
