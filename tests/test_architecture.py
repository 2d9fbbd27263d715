"""The house rules (docs/architecture.md) as tests: the import-linter contracts in pyproject.toml hold, and
they can fail — a deliberately forbidden import in a scratch copy of the tree breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "cli", "service", "reports", "store", "scoring", "questionnaires")
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A copy of the packages (sources only) and pyproject.toml, to break on purpose."""
    tree = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.yaml", "*.j2"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_contracts_hold_on_the_real_tree():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("scoring/scratch_ui.py", "import streamlit\n", "Only app imports Streamlit"),
    ("reports/scratch_sql.py", "import sqlalchemy\n", "Only store touches SQL"),
    ("service/scratch_up.py", "from app import widgets\n", "Floors"),
    ("store/scratch_up.py", "import service.reports\n", "Floors"),
    ("questionnaires/scratch_up.py", "import scoring\n", "Floors"),
    ("reports/scratch_store.py", "import store\n", "Floors"),
    ("service/scratch_cli.py", "import argparse\n", "Only cli parses command lines"),
])
def test_a_forbidden_import_breaks_a_contract(scratch, module, line, contract):
    path = scratch / module
    path.write_text(line, "utf-8")
    try:
        result = lint(scratch)
    finally:
        path.unlink()
    assert result.returncode != 0, result.stdout
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(row.startswith(contract) for row in broken), result.stdout
