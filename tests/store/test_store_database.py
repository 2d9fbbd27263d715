"""Opening the database: where it lives, how SQLite is configured, and how faults are reported."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

import store
from store.database import Database, resolve_url
from tests.store.conftest import POSTGRES_URL


def test_default_is_a_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("MOGNAD_DATABASE_URL", raising=False)
    monkeypatch.setenv("MOGNAD_DATA_DIR", str(tmp_path / "nested" / "data"))
    db = Database()
    assert db.dialect == "sqlite"
    assert (tmp_path / "nested" / "data").is_dir()
    db.upgrade()
    assert (tmp_path / "nested" / "data" / "mognad.sqlite").is_file()
    db.dispose()


def test_environment_url_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("MOGNAD_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite'}")
    db = Database()
    assert db.url.database.endswith("other.sqlite")
    db.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with db.reading() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    db.dispose()


@pytest.mark.parametrize("given", ["postgres://u:p@h/d", "postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"])
def test_postgres_urls_use_psycopg(given):
    assert resolve_url(given).drivername == "postgresql+psycopg"


@pytest.mark.parametrize(("url", "code"), [
    ("mysql://u:p@localhost/x", "unsupported_url"),
    ("not a url at all", "bad_url"),
    ("postgresql+asyncpg://u:p@localhost/x", "driver_missing"),
    ("sqlite:////no/such/directory/mognad.sqlite", "unreachable"),
    ("postgresql+psycopg://mognad:secret-pw@127.0.0.1:1/mognad", "unreachable"),
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_bad_or_unreachable_url_is_one_clear_line(url, code, lang):
    with pytest.raises(store.StoreUnavailable) as caught:
        Database(url)
    message = caught.value.message(lang)
    assert caught.value.code == code
    assert "\n" not in message and message.strip()
    assert "secret-pw" not in message and "Traceback" not in message


def test_an_unset_database_says_to_upgrade(tmp_path, admin):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert db.is_empty()
    with pytest.raises(store.StoreUnavailable) as caught:
        store.list_rounds(db, admin)
    assert caught.value.code == "not_initialised"
    assert "mognad db upgrade" in caught.value.message("sv")
    db.dispose()


def test_is_empty_until_someone_uses_it(db, admin):
    assert db.is_empty()
    store.create_user(db, admin, "a@b.se", "A")
    assert not db.is_empty()


def test_upgrade_is_idempotent_and_seeds_the_roster(db):
    from questionnaires import load_regions

    db.upgrade()
    db.upgrade()
    with db.reading() as conn:
        codes = [row[0] for row in conn.execute(text("SELECT code FROM regions ORDER BY code"))]
    assert codes == sorted(region.code for region in load_regions())
    assert len(codes) == 21


def test_in_memory_sqlite_is_one_database_for_every_thread(admin):
    db = Database("sqlite://")
    db.upgrade()
    seen = []
    worker = threading.Thread(target=lambda: seen.append(db.is_empty()))
    worker.start()
    worker.join()
    assert seen == [True]
    db.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="MOGNAD_TEST_POSTGRES_URL is not set")
@pytest.mark.postgres
def test_postgres_wrong_password_is_one_line():
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL).set(password="definitely-wrong", username="nobody_here")
    with pytest.raises(store.StoreUnavailable) as caught:
        Database(url)
    assert "\n" not in caught.value.message("en")
    assert "definitely-wrong" not in caught.value.message("en")
