"""Alembic, run from Python: the migrations in store/migrations are applied on a connection we hold.

No alembic.ini is needed at run time; the configuration is built here so that the installed package, the
CLI and the tests all migrate the same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

LOCATION = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(LOCATION))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(LOCATION / "versions"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head() -> str:
    return scripts().get_current_head()


def known(revision: str) -> bool:
    try:
        return scripts().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for unknown or malformed ids
        return False


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    command.upgrade(config(connection), target)


def downgrade(connection: Connection, target: str = "base") -> None:
    command.downgrade(config(connection), target)


def recreate(connection: Connection, target: str = "head") -> None:
    """Drop everything the migrations created and build it again, inside the caller's transaction."""
    if current(connection) is not None:
        downgrade(connection, "base")
    upgrade(connection, target)
