"""`mognad report`, `template` and `export`: from an answers file without a database, and from the database."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from cli import main
from tests.conftest import EXAMPLE, EXAMPLE_ANSWERS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internt fel" not in err and "internal error" not in err
    return code, out, err


def test_report_from_an_answers_file(capsys, tmp_path):
    target = tmp_path / "rapport.html"
    code, out, _ = run(capsys, "report", "--answers", str(EXAMPLE_ANSWERS), "--questionnaire", str(EXAMPLE),
                       "--format", "html", "-o", str(target))
    assert code == 0 and str(target) in out
    assert "Region Västmanland" in target.read_text("utf-8")
    book = tmp_path / "plan.xlsx"
    assert run(capsys, "--lang", "en", "report", "--answers", str(EXAMPLE_ANSWERS), "--questionnaire", str(EXAMPLE),
               "--format", "xlsx", "-o", str(book))[0] == 0
    assert "Action plan" in openpyxl.load_workbook(io.BytesIO(book.read_bytes())).sheetnames


def test_bad_answers_give_messages_and_no_file(capsys, tmp_path):
    bad = tmp_path / "svar.json"
    bad.write_text(json.dumps({"format": "mognad-answers/1", "questionnaire": "metodexempel@1", "region": "99",
                               "round": "2025", "respondents": [{"id": "r", "role": "region", "answers": {"D1.1": 9}}]}))
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--answers", str(bad), "--questionnaire", str(EXAMPLE), "-o", str(target))
    assert code == 2 and not target.exists()
    assert f"{bad}: okänd regionkod '99'" in err and "värdet 9 ligger utanför skalan 0–4" in err
    code, _, err = run(capsys, "report", "--region", "19", "-o", str(target))
    assert code == 2 and "ange --round" in err


def test_template_command(capsys, tmp_path):
    target = tmp_path / "mall.xlsx"
    code, out, _ = run(capsys, "template", "--region", "19", "--round", "2026", "-o", str(target))
    assert code == 0 and "mognad import" in out
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert "Svar" in wb.sheetnames
    code, _, err = run(capsys, "template", "--region", "77", "--round", "2026", "-o", str(target))
    assert code == 2 and "okänd regionkod '77'" in err
    code, _, err = run(capsys, "--lang", "en", "template", "--region", "19", "--round", "1", "--questionnaire",
                       "nope@1", "-o", str(target))
    assert code == 2 and "unknown questionnaire 'nope@1'" in err


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    """The store's fictional demo data: 21 regions, rounds 2025 (closed, published) and 2026 (open)."""
    from store.database import Database
    from store.demo import load_demo

    path = tmp_path_factory.mktemp("db") / "mognad.sqlite"
    url = f"sqlite:///{path}"
    load_demo(Database(url))
    return url


def test_reports_from_the_database(capsys, tmp_path, demo_database):
    html = tmp_path / "r.html"
    code, _, _ = run(capsys, "report", "--region", "19", "--round", "2026", "--database", demo_database, "-o", str(html))
    assert code == 0 and "Region Västmanland" in html.read_text("utf-8")
    book = tmp_path / "r.xlsx"
    assert run(capsys, "report", "--region", "19", "--round", "2025", "--format", "xlsx", "--database", demo_database,
               "-o", str(book))[0] == 0
    national = tmp_path / "n.html"
    assert run(capsys, "report", "--national", "--round", "2025", "--database", demo_database, "-o", str(national))[0] == 0
    text = national.read_text("utf-8")
    assert "Region A" in text and "Region Västmanland" not in text
    named = tmp_path / "n.xlsx"
    assert run(capsys, "report", "--national", "--named", "--round", "2025", "--format", "xlsx", "--database",
               demo_database, "-o", str(named))[0] == 0
    assert "Sammanfattning" in openpyxl.load_workbook(io.BytesIO(named.read_bytes())).sheetnames
    code, _, err = run(capsys, "report", "--region", "19", "--round", "1999", "--database", demo_database, "-o", str(html))
    assert code == 2 and "1999" in err


def test_export_from_the_database(capsys, tmp_path, demo_database):
    csv = tmp_path / "data.csv"
    assert run(capsys, "export", "--format", "csv", "--database", demo_database, "-o", str(csv))[0] == 0
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfregion;round;publication_status;questionnaire;dimension;")
    book = tmp_path / "data.xlsx"
    assert run(capsys, "export", "--named", "--round", "2025", "--database", demo_database, "-o", str(book))[0] == 0
    wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
    assert wb["Dimensioner"]["A1"].value == "Länskod"  # people's header; the CSV keeps "region_code"


def test_database_unavailable(capsys, tmp_path):
    code, _, err = run(capsys, "report", "--national", "--round", "2025", "--database",
                       f"sqlite:///{tmp_path}/saknas/x.sqlite", "-o", str(tmp_path / "n.html"))
    assert code == 4 and err.startswith("mognad: ")
