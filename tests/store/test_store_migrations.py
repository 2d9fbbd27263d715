"""The schema comes only from the Alembic migrations, and matches the tables the code uses."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import exc, inspect, text

import store
from store import migrate
from store.schema import metadata


def _drop_everything(db):
    with db.writing() as conn:
        migrate.downgrade(conn, "base")
    assert db.schema_state() == ("empty", None)


def test_migrations_from_an_empty_database_build_exactly_the_schema(db):
    _drop_everything(db)
    with db.reading() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    db.upgrade()
    assert db.schema_state() == ("current", migrate.head())
    with db.reading() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        tables = set(inspect(conn).get_table_names())
    assert differences == []
    assert tables == {table.name for table in metadata.sorted_tables} | {"alembic_version"}


def test_downgrade_and_upgrade_again(db, admin):
    store.create_user(db, admin, "a@b.se", "A")
    _drop_everything(db)
    db.upgrade()
    assert db.is_empty()


@pytest.mark.parametrize("table", ["audit", "answer_revisions"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET saved_by = 'x'", "DELETE FROM {table}"])
def test_history_tables_are_append_only_in_the_database(world, table, statement):
    db, _ = world
    sql = statement.format(table=table).replace("saved_by", "actor" if table == "audit" else "saved_by")
    with pytest.raises(exc.DBAPIError), db.writing() as conn:
        conn.execute(text(sql))
    with db.reading() as conn:
        assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() > 0


def test_a_newer_schema_than_we_know_is_refused(db):
    with db.writing() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert db.schema_state() == ("ahead", "9999")
    with pytest.raises(store.StoreUnavailable) as caught:
        db.upgrade()
    assert caught.value.code == "newer_schema"


def test_constraint_names_are_the_ones_the_code_declares(db):
    """Later migrations drop and alter constraints by name; the database must carry the declared names."""
    with db.reading() as conn:
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            declared = {c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint"}
            found = {c["name"] for c in inspector.get_check_constraints(table.name)}
            assert found == declared, table.name
            unique = {c["name"] for c in inspector.get_unique_constraints(table.name)}
            assert unique == {c.name for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"}


def test_several_processes_upgrading_at_once_take_turns(db):
    import threading

    from store.database import Database

    _drop_everything(db)
    url = db.url.render_as_string(hide_password=False)
    errors: list[BaseException] = []

    def upgrade():
        other = Database(url)
        try:
            other.upgrade()
        except BaseException as error:
            errors.append(error)
        finally:
            other.dispose()

    threads = [threading.Thread(target=upgrade) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert db.schema_state() == ("current", migrate.head())
