"""Alembic environment: always given a connection by store.migrate, inside the caller's transaction."""

from alembic import context

from store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` on the command line is not how mognad migrates; say so plainly
    raise SystemExit("run migrations with 'mognad db upgrade' (store.Database.upgrade)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
