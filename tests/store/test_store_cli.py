"""`mognad db|users|rounds|demo|backup|restore|import` through cli.main, as a shell user would."""

from __future__ import annotations

import io
import json
import re

import pytest

import store
from cli import main
from store import migrate
from tests.conftest import EXAMPLE, EXAMPLE_ANSWERS


@pytest.fixture
def shell(db, monkeypatch):
    """The CLI pointed at the test database; returns a runner giving (exit code, stdout, stderr)."""
    url = db.url.render_as_string(hide_password=False)
    monkeypatch.setenv("MOGNAD_DATABASE_URL", url)
    monkeypatch.delenv("MOGNAD_LANG", raising=False)

    def run(*argv: str, stdin: str | None = None, capsys=None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_db_upgrade(shell, capsys):
    code, out, _ = shell("db", "upgrade", capsys=capsys)
    assert code == 0 and migrate.head() in out  # the newest revision (0002 since sessions and links)


def test_users_add_list_disable(shell, db, capsys):
    code, out, _ = shell("users", "add", "Admin@Region.se", "--name", "Ada Admin", "--password-stdin", "--national",
                         "admin", stdin="ett-långt-lösenord\n", capsys=capsys)
    assert code == 0 and "admin@region.se" in out
    assert store.authenticate(db, "admin@region.se", "ett-långt-lösenord").national_role == "admin"
    code, out, _ = shell("users", "add", "lead@region.se", "--name", "Lea", "--region", "19", "--region-role", "lead",
                         "--region", "03", "--region-role", "viewer", capsys=capsys)
    assert code == 0 and "OIDC" in out
    code, out, _ = shell("--lang", "en", "users", "list", capsys=capsys)
    assert code == 0
    assert re.search(r"lead@region\.se\s+Lea\s+03:viewer, 19:lead\s+no \(OIDC\)\s+active", out)
    code, out, _ = shell("users", "disable", "lead@region.se", capsys=capsys)
    assert code == 0 and store.identity_for_email(db, "lead@region.se") is None
    entries = store.audit_log(db, store.system_identity())
    assert all(entry.actor.startswith("system:") for entry in entries)


def test_users_add_reports_every_problem_on_its_own_line(shell, db, capsys):
    code, out, err = shell("users", "add", "fel", "--name", "X", "--password", "kort", "--region", "99",
                           "--region-role", "lead", capsys=capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("mognad: ") for line in lines)
    assert "Traceback" not in err
    code, _, err = shell("users", "add", "a@b.se", "--name", "X", "--region", "19", capsys=capsys)
    assert code == 2 and "--region-role" in err
    assert store.list_users(db, store.system_identity()) == []


def test_rounds(shell, db, capsys):
    code, out, _ = shell("rounds", "open", "2026", capsys=capsys)
    assert code == 0 and "regional-validering@2" in out  # version 2 is the default for new rounds
    code, _, err = shell("rounds", "publish", "2026", capsys=capsys)
    assert code == 2 and "stängas" in err
    assert shell("rounds", "close", "2026", capsys=capsys)[0] == 0
    assert shell("rounds", "publish", "2026", capsys=capsys)[0] == 0
    code, out, _ = shell("--lang", "en", "rounds", "list", capsys=capsys)
    assert "closed, published" in out
    code, _, err = shell("rounds", "close", "1999", capsys=capsys)
    assert code == 2 and "1999" in err


def test_demo_prints_the_accounts_once_and_refuses_to_overwrite(shell, db, capsys):
    code, out, _ = shell("demo", capsys=capsys)
    assert code == 0 and "FIKTIVA" in out
    passwords = dict(re.findall(r"^\s+(\S+@demo\.invalid)\s+(\S+)", out, re.MULTILINE))
    assert len(passwords) == 5
    assert store.authenticate(db, "ledare@demo.invalid", passwords["ledare@demo.invalid"]).regions == {"19": "lead", "03": "lead"}
    code, _, err = shell("demo", capsys=capsys)
    assert code == 2 and "--force" in err
    code, out, _ = shell("demo", "--if-empty", capsys=capsys)
    assert code == 0 and "inga demodata" in out
    assert store.authenticate(db, "ledare@demo.invalid", passwords["ledare@demo.invalid"])  # untouched


def test_backup_and_restore(shell, db, tmp_path, capsys):
    shell("users", "add", "a@region.se", "--name", "A", "--national", "analyst", capsys=capsys)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    code, out, _ = shell("backup", str(first), capsys=capsys)
    assert code == 0 and str(first) in out
    code, _, err = shell("restore", str(first), capsys=capsys)
    assert code == 2 and "--force" in err
    code, out, _ = shell("restore", str(first), "--force", capsys=capsys)
    assert code == 0
    shell("backup", str(second), capsys=capsys)
    assert first.read_bytes() == second.read_bytes()
    (tmp_path / "bad.json").write_text("{}")
    code, _, err = shell("restore", str(tmp_path / "bad.json"), "--force", capsys=capsys)
    assert code == 2 and err.startswith(str(tmp_path / "bad.json"))


def _register_example(db):
    from questionnaires import load

    store.register_questionnaire(db, store.system_identity(), load(EXAMPLE))
    store.open_round(db, store.system_identity(), "2025", "metodexempel@1")


def test_import_json(shell, db, capsys):
    _register_example(db)
    code, out, err = shell("import", str(EXAMPLE_ANSWERS), capsys=capsys)
    assert code == 0, err
    assert "Region Västmanland (19)" in out and "3 nya" in out
    sheet, _ = store.answer_sheet(db, store.system_identity(), "metodexempel@1")
    assert sheet["respondent"].tolist() == ["r1", "r2", "r3"]


def test_import_reports_every_problem_and_writes_nothing(shell, db, tmp_path, capsys):
    _register_example(db)
    document = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    document["respondents"][0]["answers"]["D9.9"] = 2
    document["respondents"][1]["answers"]["D1.1"] = 9
    document["region"] = "77"
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(document), "utf-8")
    code, out, err = shell("--lang", "en", "import", str(path), capsys=capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith(str(path)) for line in lines)
    assert store.list_assessments(db, store.system_identity()) == []


def test_import_refuses_an_unknown_round(shell, db, tmp_path, capsys):
    _register_example(db)
    document = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    document["round"] = "1999"
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(document), "utf-8")
    code, _, err = shell("import", str(path), capsys=capsys)
    assert code == 2 and "1999" in err and len(err.strip().splitlines()) == 1


def test_import_of_an_excel_workbook_goes_through_the_offline_reader(shell, db, tmp_path, monkeypatch, capsys):
    _register_example(db)
    import reports.offline_reader
    from questionnaires.answers import parse

    seen = {}

    def reader(raw, resolve, region_codes, **_options):  # filename, questionnaire
        seen["raw"] = raw
        return parse(EXAMPLE_ANSWERS.read_bytes(), resolve, region_codes)

    monkeypatch.setattr(reports.offline_reader, "read_answers_workbook", reader)
    path = tmp_path / "svar.xlsx"
    path.write_bytes(b"PK-not-really")
    code, out, err = shell("import", str(path), capsys=capsys)
    assert code == 0, err
    assert seen["raw"] == b"PK-not-really"


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("svar.csv", b"x", ".csv"),
    ("saknas.json", None, "kan inte läsas"),
])
def test_import_of_an_unusable_file(shell, db, tmp_path, capsys, name, content, needle):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = shell("import", str(path), capsys=capsys)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_an_unreachable_database_is_exit_4_and_one_line(capsys, monkeypatch):
    monkeypatch.delenv("MOGNAD_DATABASE_URL", raising=False)
    code = main(["users", "list", "--database", "postgresql+psycopg://mognad:hemligt@127.0.0.1:1/mognad"])
    _, err = capsys.readouterr()
    assert code == 4
    assert len(err.strip().splitlines()) == 1 and "hemligt" not in err


def test_a_schema_newer_than_this_mognad_is_exit_4(shell, db, capsys):
    from sqlalchemy import text

    with db.writing() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    code, _, err = shell("users", "list", capsys=capsys)
    assert code == 4 and "nyare" in err and len(err.strip().splitlines()) == 1
