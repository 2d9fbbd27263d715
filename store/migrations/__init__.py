"""Alembic migrations of the store's schema (run through store.migrate, never by hand-edited SQL)."""
