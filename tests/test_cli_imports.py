"""Issue 15: the `mognad` command line imports only what a command needs.

`mognad --help` and the parser of every command load no database, data-frame, web or document library; a
command that needs the store still works end to end. Each check runs in a fresh interpreter, because in the
test process everything is already imported.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MOGNAD = Path(sys.executable).with_name("mognad")
BUNDLED = ROOT / "questionnaires" / "bundled" / "regional-validering-2.yaml"
HEAVY = ("sqlalchemy", "alembic", "pandas", "numpy", "streamlit", "weasyprint", "openpyxl", "altair")

# Parse a command line as `mognad` does (a --help ends in SystemExit), then list the loaded modules.
PARSE = """
import json, sys
import cli
try:
    cli.parser().parse_args(json.loads(sys.argv[1]))
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "MOGNAD_LANG": "sv"}
    env.pop("MOGNAD_DATABASE_URL", None)
    env.pop("MOGNAD_DATABASE_URL_FILE", None)
    return env


def loaded(code: str, *argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def heavy(modules: set[str], packages=HEAVY) -> list[str]:
    """The heavy top-level packages among `modules`."""
    return sorted({name.split(".")[0] for name in modules} & set(packages))


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["validate", str(BUNDLED)],  # the lint command's parser path: parsed, not run
    ["users", "add", "--help"],  # --national and --region-role offer the store's roles
    ["report", "--help"],
    ["rounds", "list"],
])
def test_parsing_a_command_line_loads_nothing_heavy(argv):
    assert heavy(loaded(PARSE, json.dumps(argv))) == []


def test_the_parser_still_offers_the_stores_roles():
    from cli import parser
    from store.identity import NATIONAL_ROLES, REGIONAL_ROLES

    users = parser()._subparsers._group_actions[0].choices["users"]
    add = users._subparsers._group_actions[0].choices["add"]
    choices = {action.dest: action.choices for action in add._actions if action.choices}
    assert choices == {"national": ("admin", "analyst"), "region_role": ("lead", "respondent", "viewer")}
    assert (choices["national"], choices["region_role"]) == (NATIONAL_ROLES, REGIONAL_ROLES)


def test_validate_runs_without_the_store_or_the_method():
    """Linting a definition needs the instrument's own code (YAML, JSON Schema) and nothing heavy."""
    code = PARSE.replace("except SystemExit:\n    pass",
                         "except SystemExit:\n    raise\nargs.lang = 'sv'\nassert args.handler(args) == 0")
    code = code.replace("cli.parser().parse_args", "args = cli.parser().parse_args")
    modules = loaded(code, json.dumps(["validate", str(BUNDLED)]))
    assert heavy(modules) == []
    assert {"yaml", "jsonschema", "questionnaires.lint"} <= modules


def test_the_store_package_loads_its_modules_when_asked():
    """`import store` and its light modules (who is acting, the messages) load no SQL or pandas."""
    code = "import json, sys, store, store.identity, store.messages, store.errors\nprint(json.dumps(sorted(sys.modules)))"
    assert heavy(loaded(code)) == []
    code = "import json, sys, store\nstore.Database\nprint(json.dumps(sorted(sys.modules)))"
    assert heavy(loaded(code)) == ["alembic", "sqlalchemy"]


def test_every_public_name_of_the_store_resolves_to_its_module():
    import store
    from store import _LOCATIONS, backups  # a submodule still comes out of `from store import`
    from store.database import Database
    from store.frames import answer_sheet

    assert backups.__name__ == "store.backups"
    assert store.Database is Database and store.answer_sheet is answer_sheet
    assert len(store.__all__) == len(set(store.__all__)) == 110
    assert sorted(store.__all__) == sorted(_LOCATIONS)
    for name in store.__all__:
        module = sys.modules.get(f"store.{_LOCATIONS[name]}") or __import__(f"store.{_LOCATIONS[name]}")
        assert getattr(store, name) is getattr(module, name), name
    assert set(store.__all__) <= set(dir(store))
    assert store.rounds.__name__ == "store.rounds"  # a submodule as an attribute, as before
    with pytest.raises(AttributeError, match="module 'store' has no attribute 'no_such_name'"):
        store.no_such_name  # noqa: B018


def test_the_type_checking_imports_match_the_lazy_table():
    """The names a type checker sees are the names `store.X` resolves at run time, from the same modules."""
    from store import _LOCATIONS

    tree = ast.parse((ROOT / "store" / "__init__.py").read_text("utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    seen = {alias.name: node.module.removeprefix("store.") for node in block.body
            for alias in node.names if isinstance(node, ast.ImportFrom)}
    assert seen == _LOCATIONS


def run_mognad(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(MOGNAD), *argv], cwd=ROOT, env=_env(), input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_store_commands_still_work_end_to_end(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = run_mognad("db", "upgrade", "--database", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"databasen {url} har schemaversion ")
    done = run_mognad("rounds", "open", "2026", "--database", url)
    assert (done.returncode, done.stdout) == (0, "mätomgången 2026 är öppnad (regional-validering@2)\n")
    done = run_mognad("rounds", "list", "--database", url)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{'2026':<12} {'regional-validering@2':<28} öppen\n", "")
    done = run_mognad("users", "add", "a@example.se", "--name", "Anna", "--national", "analyst", "--password-stdin",
                      "--database", url, stdin="ett långt lösenord 42\n")
    assert (done.returncode, done.stdout) == (0, "kontot a@example.se skapades\n"), done.stderr
    done = run_mognad("--lang", "en", "users", "list", "--database", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split() == ["a@example.se", "Anna", "national", "analyst", "yes", "active"]
    done = run_mognad("rounds", "close", "2099", "--database", url)
    assert done.returncode == 2 and "2099" in done.stderr and "Traceback" not in done.stderr
