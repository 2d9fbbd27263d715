"""Version 2 is the default for new rounds; rounds opened with version 1 keep it and score exactly as before."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import store
from cli import main
from cli.common import DEFAULT_QUESTIONNAIRE
from service.reports import region_report, render_region


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from store.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "mognad.sqlite"
    db = store.Database(f"sqlite:///{path}")
    db.upgrade()
    load_demo(db)
    db.engine.dispose()
    return path


@pytest.fixture
def demo(demo_file, tmp_path, monkeypatch):
    import shutil

    path = tmp_path / "mognad.sqlite"
    shutil.copy(demo_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("MOGNAD_DATABASE_URL", url)
    monkeypatch.delenv("MOGNAD_LANG", raising=False)
    return store.Database(url)


def html(db, region: str, label: str, lang: str = "sv") -> str:
    report = region_report(db, store.system_identity(), region, label, lang=lang)
    return render_region(dataclasses.replace(report, generated_at=dt.datetime(2026, 5, 1, 12)), "html", lang)


def test_the_default_questionnaire_is_version_2():
    assert DEFAULT_QUESTIONNAIRE == "regional-validering@2"


def test_a_new_round_opens_with_version_2_and_version_1_rounds_keep_theirs(demo, capsys):
    before = {label: html(demo, "19", label) for label in ("2025", "2026")}
    code, out, _ = run(capsys, "rounds", "open", "2028")
    assert code == 0 and "regional-validering@2" in out
    code, out, _ = run(capsys, "rounds", "list")
    listed = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert listed["2025"] == listed["2026"] == "regional-validering@1"
    assert listed["2028"] == "regional-validering@2"
    # the version-1 rounds score and report exactly as before
    assert {label: html(demo, "19", label) for label in before} == before
    assert store.get_assessment(demo, store.system_identity(), "19", "2026").questionnaire == "regional-validering@1"


def test_an_explicit_version_1_round_can_still_be_opened(demo, capsys):
    code, out, _ = run(capsys, "rounds", "open", "2028", "--questionnaire", "regional-validering@1")
    assert code == 0 and "regional-validering@1" in out


def test_the_offline_template_defaults_to_version_2(tmp_path, capsys):
    import io

    import openpyxl

    target = tmp_path / "mall.xlsx"
    code, _, _ = run(capsys, "template", "--region", "19", "--round", "2028", "-o", str(target))
    assert code == 0
    workbook = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    cells = " ".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value is not None)
    assert "regional-validering@2" in cells and "regional-validering@1" not in cells
