"""Who a filled-in offline form belongs to: its respondent token, never the name typed in it.

Each template's answers sheet carries a random token in the hidden cell J1 (recorded in `_mognad` B7 as
well). Reading the form gives the respondent the key `xlsx-<token>` and the typed name only as a display
name (at most 100 characters), so typing a colleague's name or an existing key cannot reach their answers,
a long name imports, and re-importing the same form updates the same respondent. A copied sheet or a sheet
from another template (another person, region or round) is refused with its sheet and cell.
"""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

import store
from questionnaires import find, load_regions
from questionnaires.answers import AnswersError, dump, parse
from reports.offline import answers_template
from reports.offline_reader import read_answers_workbook
from store.database import Database
from tests.conftest import EXAMPLE_ANSWERS

CODES = [region.code for region in load_regions()]
ROLE = "Region (regionalt utvecklingsansvarig aktör)"
TOKEN = re.compile(r"[0-9a-f]{24}")


def load(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows(ws) -> dict[str, int]:
    return {cell.value: cell.row for cell in ws["A"] if isinstance(cell.value, str) and "." in cell.value}


def filled(template: bytes, name: str | None = "Anna Andersson", answer: str = "3 – Etablerad", **cells) -> bytes:
    wb = load(template)
    ws = wb["Svar"]
    ws["C4"] = name
    ws["C5"] = ROLE
    ws[f"D{rows(ws)['D1.1']}"] = answer
    for coordinate, value in cells.items():
        ws[coordinate] = value
    return save(wb)


def read(raw: bytes):
    return read_answers_workbook(raw, find, CODES, filename="svar.xlsx")


def problems(raw: bytes) -> list:
    with pytest.raises(AnswersError) as caught:
        read(raw)
    return caught.value.problems


def token_of(raw: bytes) -> str:
    return load(raw)["Svar"]["J1"].value


@pytest.fixture
def template(instrument) -> bytes:
    return answers_template(instrument, "19", "2025", "sv")


# -- the template and the reader ------------------------------------------------------------------------------

def test_each_template_carries_its_own_hidden_token(template, instrument):
    wb = load(template)
    ws = wb["Svar"]
    token = ws["J1"].value
    assert TOKEN.fullmatch(token)
    assert ws.column_dimensions["J"].hidden and ws["J1"].protection.locked is not False and ws.protection.sheet
    meta = {row[0].value: row[1].value for row in wb["_mognad"].iter_rows()}
    assert meta["token"] == token  # the token this template was made with
    assert token_of(answers_template(instrument, "19", "2025", "sv")) != token


def test_the_typed_name_is_a_display_name_never_the_key(template):
    answers, _ = read(filled(template, name="r1"))
    [person] = answers.respondents
    assert (person.id, person.token, person.name) == (f"xlsx-{token_of(template)}",) * 2 + ("r1",)


def test_a_45_character_name_reads_and_a_101_character_name_is_refused_at_its_cell(template):
    name = "Anna-Karin Östergren-Lindqvist, utvecklingsled"[:45]
    answers, _ = read(filled(template, name=f"  {name[:20]}\n{name[21:]}  "))  # a line break typed in Excel
    person = answers.respondents[0]
    assert person.name == f"{name[:20]} {name[21:]}" and len(person.id) <= 40
    [problem] = problems(filled(template, name="x" * 101))
    assert (problem.code, problem.sheet, problem.cell) == ("name_too_long", "Svar", "C4")
    assert problem.render("sv", "svar.xlsx") == ("svar.xlsx: blad 'Svar', cell C4: namnet är för långt (101 tecken, "
                                                 "högst 100)")


def test_a_copied_sheet_is_refused_not_merged(template):
    wb = load(filled(template))
    wb.copy_worksheet(wb["Svar"]).title = "Svar (2)"  # a colleague's answers typed into a copy
    [problem] = problems(save(wb))
    assert (problem.code, problem.sheet, problem.cell) == ("duplicate_token", "Svar (2)", "J1")
    assert "'Svar'" in problem.render("sv") and "kopia" in problem.render("sv")


def test_a_sheet_from_another_template_is_refused(template, instrument):
    other_region = answers_template(instrument, "01", "2025", "sv")
    [problem] = problems(filled(template, J1=token_of(other_region)))
    assert (problem.code, problem.sheet, problem.cell) == ("foreign_token", "Svar", "J1")
    assert "annan svarsmall" in problem.render("sv") and "another answers template" in problem.render("en")
    wb = load(filled(template))
    extra = wb.copy_worksheet(wb["Svar"])
    extra["J1"] = token_of(other_region)
    assert [(p.code, p.sheet, p.cell) for p in problems(save(wb))] == [("foreign_token", extra.title, "J1")]
    [problem] = problems(filled(template, J1="<script>"))
    assert (problem.code, problem.cell) == ("bad_token", "J1")


def test_a_sheet_without_any_token_is_always_someone_new(template):
    wb = load(filled(template))
    wb["Svar"]["J1"] = None
    wb["_mognad"]["B7"] = None
    raw = save(wb)
    first, second = read(raw)[0].respondents[0], read(raw)[0].respondents[0]
    assert first.id != second.id and first.id.startswith("xlsx-") and second.id.startswith("xlsx-")


def test_a_template_from_before_the_hidden_cell_keeps_its_workbook_token(template):
    wb = load(filled(template))
    wb["Svar"]["J1"] = None  # templates made before J1 existed: _mognad's token is the respondent's
    wb["_mognad"]["B7"] = "a6ec23221ec3"
    assert read(save(wb))[0].respondents[0].id == "xlsx-a6ec23221ec3"


# -- the answers format ---------------------------------------------------------------------------------------

def test_json_answers_without_a_token_still_read_and_a_token_round_trips(example):
    answers, _ = parse(EXAMPLE_ANSWERS.read_bytes(), find, CODES, example)
    assert [r.token for r in answers.respondents] == [None, None, None]
    document = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    document["respondents"][0]["token"] = "xlsx-0123456789abcdef01234567"
    again, _ = parse(json.dumps(document), find, CODES, example)
    assert again.respondents[0].token == "xlsx-0123456789abcdef01234567"
    assert parse(json.dumps(dump(again)), find, CODES, example)[0] == again
    for bad in ("", "a b", "x" * 41, 7):
        document["respondents"][0]["token"] = bad
        with pytest.raises(AnswersError) as caught:
            parse(json.dumps(document), find, CODES, example)
        assert [(p.code, p.respondent) for p in caught.value.problems] == [("bad_token", "r1")]
    document["respondents"][0]["token"] = document["respondents"][1]["token"] = "xlsx-samma"
    with pytest.raises(AnswersError) as caught:
        parse(json.dumps(document), find, CODES, example)
    assert [(p.code, p.respondent) for p in caught.value.problems] == [("duplicate_token", "r2")]


# -- importing into the store ---------------------------------------------------------------------------------

@pytest.fixture
def db(tmp_path, instrument, example):
    database = Database(f"sqlite:///{tmp_path / 'mognad.sqlite'}")
    database.upgrade()
    system = store.system_identity("tester")
    store.register_questionnaire(database, system, instrument)
    store.open_round(database, system, "2025", instrument.ref)
    yield database
    database.dispose()


def imported(db, raw: bytes):
    answers, _ = read(raw)
    return store.import_answers(db, store.system_identity("tester"), answers)


def stored(db, instrument):
    sheet, _ = store.answer_sheet(db, store.system_identity("tester"), instrument.ref)
    found = store.get_assessment(db, store.system_identity("tester"), "19", "2025")
    people = store.list_respondents(db, store.system_identity("tester"), found.id)
    return sheet.set_index("respondent"), {p.key: p.name for p in people}


def test_import_matches_by_token_and_a_typed_name_reaches_no_one_else(db, instrument, template):
    first = imported(db, filled(template, name="Anna Andersson", answer="3 – Etablerad"))
    assert (first.respondents_created, first.respondents_matched) == (1, 0)
    again = imported(db, filled(template, name="Anna A.", answer="4 – Integrerad och lärande"))
    assert (again.respondents_created, again.respondents_matched) == (0, 1)  # the same form: the same person
    key = f"xlsx-{token_of(template)}"
    colleague = answers_template(instrument, "19", "2025", "sv")
    other = imported(db, filled(colleague, name="Anna Andersson", answer="0 – Saknas"))  # same name, another form
    assert (other.respondents_created, other.respondents_matched) == (1, 0)
    sheet, names = stored(db, instrument)
    assert names == {key: "Anna Andersson", f"xlsx-{token_of(colleague)}": "Anna Andersson"}
    assert sheet.loc[key, "D1.1"] == 4 and sheet.loc[f"xlsx-{token_of(colleague)}", "D1.1"] == 0


def test_typing_an_existing_key_creates_a_new_respondent(db, instrument, template, example):
    document = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    document.update(questionnaire=instrument.ref, respondents=[{"id": "r1", "role": "region", "answers": {"D1.1": 3}}])
    answers, _ = parse(json.dumps(document), find, CODES)
    store.import_answers(db, store.system_identity("tester"), answers)
    result = imported(db, filled(template, name="r1", answer="0 – Saknas"))
    assert result.respondents_created == 1
    sheet, names = stored(db, instrument)
    assert sheet.loc["r1", "D1.1"] == 3 and names["r1"] == "r1"


def test_a_long_name_imports(db, instrument, template):
    name = "Anna-Karin Östergren-Lindqvist, utvecklingsledare"[:45]
    assert imported(db, filled(template, name=name)).respondents_created == 1
    assert stored(db, instrument)[1] == {f"xlsx-{token_of(template)}": name}


def test_a_token_known_in_another_assessment_is_refused(db, instrument, template):
    raw = filled(template)
    imported(db, raw)
    wb = load(raw)
    wb["_mognad"]["B4"] = "01"  # the same form, pointed at another region
    with pytest.raises(store.Invalid) as caught:
        imported(db, save(wb))
    [line] = caught.value.lines("sv")
    assert line.startswith(f"respondent xlsx-{token_of(template)}: ") and "en annan region eller omgång" in line
