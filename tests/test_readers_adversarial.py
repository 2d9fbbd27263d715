"""Hostile and broken inputs for every reader: each ends in the reader's own located error, never a traceback.

The corpus is made here, in code: JSON answers with deep nesting, huge integers, lone surrogates and
duplicate keys; YAML definitions with deep nesting, tags, aliases and several documents; workbooks whose
zip members were rewritten (a shared-string index out of range, a non-number where a number is declared,
broken XML inside a sheet, merged answer cells, an indicator on two rows). Every input failed on the code
before these rules existed (an uncaught exception, or a file silently accepted); now each is refused with
its place: the file and line, or the sheet and cell, or the respondent and indicator. The command line
gives exit code 2 (1 for `mognad validate`) and names the place — never 3, "internt fel".
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cli import main
from questionnaires import QuestionnaireError, find, load, load_regions
from questionnaires.answers import AnswersError, parse
from questionnaires.lint import lint
from reports.model import region_report_from_answers
from reports.offline import answers_template
from reports.offline_reader import read_answers_workbook
from reports.planbook import plan_workbook
from reports.planbook_reader import read_plan_workbook
from reports.problems import WorkbookError
from tests.conftest import EXAMPLE, EXAMPLE_ANSWERS

CODES = [region.code for region in load_regions()]


# -- helpers ------------------------------------------------------------------------------------------------

def answers_json(respondents: str, top: str = "") -> bytes:
    """A `mognad-answers/1` document for the worked example with raw JSON text for the respondents."""
    return ('{"format": "mognad-answers/1", "questionnaire": "metodexempel@1", "region": "19", "round": "2025",'
            f' {top}"respondents": [{respondents}]}}').encode()


def json_problems(raw: bytes | str, example) -> list:
    with pytest.raises(AnswersError) as caught:
        parse(raw, find, CODES, example)
    problems = caught.value.problems
    for problem in problems:  # every message prints, in both languages, even where the input had no valid text
        for lang in ("sv", "en"):
            problem.render(lang, "svar.json").encode("utf-8")
    return problems


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(code: int, out: str, err: str, *places: str, exit_code: int = 2) -> None:
    """A refusal from the command line: the documented exit code, the places named, no traceback."""
    assert code == exit_code, (code, out, err)
    text = out + err
    assert "Traceback" not in text and "internt fel" not in text and "internal error" not in text
    for place in places:
        assert place in text, (place, text)


def rezip(raw: bytes, member: str, change) -> bytes:
    """The workbook with one zip member rewritten by `change(text) -> text`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item.filename, data)
    return out.getvalue()


def set_cell(xml: str, coordinate: str, element: str) -> str:
    """Replace the cell `coordinate` in a sheet's XML by `element` (the cell must exist)."""
    pattern = re.compile(rf'<c r="{coordinate}"(?:[^>]*?/>|[^>]*?>.*?</c>)', re.S)
    assert pattern.search(xml), coordinate
    return pattern.sub(element.replace("\\", "\\\\"), xml, count=1)


def sheet_member(raw: bytes, title: str) -> str:
    """The zip member of the sheet named `title`."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = target.group(1) or target.group(2)
    return path.lstrip("/") if path.startswith("/") else f"xl/{path}"


def load_book(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def answer_rows(ws) -> dict[str, int]:
    return {cell.value: cell.row for cell in ws["A"] if isinstance(cell.value, str) and "." in cell.value}


# -- JSON answers ---------------------------------------------------------------------------------------------

def test_deep_nesting_is_refused_with_the_limit(example):
    for depth in (200, 50_000):  # within and far beyond what the JSON parser itself can recurse into
        raw = answers_json('{"id": "r1", "role": "region"}', top=f'"note": {"[" * depth}{"]" * depth}, ')
        [problem] = json_problems(raw, example)
        assert problem.code == "too_deep"
        assert problem.render("sv", "svar.json").startswith("svar.json: filen är nästlad i för många nivåer (högst ")
        assert "nested" in problem.render("en")


def test_a_5000_digit_integer_is_refused_where_it_stands(example):
    raw = answers_json('{"id": "r1", "role": "region", "answers": {"D1.1": ' + "9" * 5000 + "}}")
    [problem] = json_problems(raw, example)
    assert (problem.code, problem.respondent, problem.indicator) == ("number_too_long", "r1", "D1.1")
    assert problem.render("sv", "svar.json") == ("svar.json: respondent r1: indikator D1.1: talet i fältet 'answers' "
                                                 "har för många siffror (5000, högst 20)")
    top = answers_json('{"id": "r1", "role": "region"}', top='"note": -' + "1" * 4500 + ", ")
    [problem] = json_problems(top, example)
    assert problem.code == "number_too_long" and problem.respondent is None and "note" in problem.render("en")


@pytest.mark.parametrize(("respondent", "where", "field"), [
    (r'{"id": "r1", "role": "region", "comments": {"D1.1": "bra \ud800 svar"}}', ("r1", "D1.1"), "comments"),
    (r'{"id": "r1", "role": "region", "name": "Anna \udfff"}', ("r1", None), "name"),
    (r'{"id": "r\ud800", "role": "region"}', ("#1", None), "id"),
    (r'{"id": "r1", "role": "region", "answers": {"D1.\udc00": 2}}', ("r1", None), "answers"),
])
def test_lone_surrogates_are_refused(example, respondent, where, field):
    [problem] = json_problems(answers_json(respondent), example)
    assert problem.code == "bad_character"
    assert (problem.respondent, problem.indicator) == where
    assert f"'{field}'" in problem.render("sv") and "surrogat" in problem.render("sv")
    assert "\\u" in problem.render("en")  # the character is shown escaped, so the message itself prints


def test_a_surrogate_in_text_input_does_not_crash_the_size_check(example):
    text = answers_json('{"id": "r1", "role": "region", "comments": {"D1.1": "x"}}').decode().replace('"x"', '"\ud800"')
    [problem] = json_problems(text, example)
    assert (problem.code, problem.respondent, problem.indicator) == ("bad_character", "r1", "D1.1")


def test_duplicate_keys_are_refused_as_ambiguous(example):
    raw = answers_json('{"id": "r1", "role": "region", "role": "kommun", '
                       '"answers": {"D1.1": 1, "D1.2": 2, "D1.1": 4}}', top='"region": "01", ')
    problems = json_problems(raw, example)
    found = {(p.code, p.respondent, p.indicator, p.params.get("key")) for p in problems}
    assert found == {("duplicate_key_top", None, None, "region"), ("duplicate_key", "r1", None, "role"),
                     ("duplicate_indicator", "r1", "D1.1", "answers")}
    lines = sorted(p.render("sv", "svar.json") for p in problems)
    assert lines == [
        "svar.json: nyckeln 'region' står flera gånger på översta nivån; det går inte att veta vilket värde som gäller",
        "svar.json: respondent r1: indikator D1.1: indikatorn står flera gånger i fältet 'answers'; det går inte att "
        "veta vilket värde som gäller",
        "svar.json: respondent r1: nyckeln 'role' står flera gånger; det går inte att veta vilket värde som gäller",
    ]


def test_a_well_formed_file_still_reads(example):
    answers, _ = parse(EXAMPLE_ANSWERS.read_bytes(), find, CODES, example)
    assert [r.id for r in answers.respondents] == ["r1", "r2", "r3"]


@pytest.mark.parametrize(("content", "place", "reason"), [
    (answers_json('{"id": "r1", "role": "region", "answers": {"D1.1": ' + "7" * 5000 + "}}"), "indikator D1.1",
     "har för många siffror"),
    (answers_json(r'{"id": "r1", "role": "region", "comments": {"D1.1": "\ud800"}}'), "indikator D1.1", "surrogat"),
    (answers_json('{"id": "r1", "role": "region", "role": "af"}'), "respondent r1", "står flera gånger"),
    (answers_json('{"id": "r1", "role": "region"}', top=f'"note": {"[" * 50_000}{"]" * 50_000}, '), "svar.json",
     "för många nivåer"),
])
def test_the_command_line_names_the_place_and_exits_2(capsys, tmp_path, content, place, reason):
    path = tmp_path / "svar.json"
    path.write_bytes(content)
    refused(*cli(capsys, "score", str(path), "--questionnaire", str(EXAMPLE)), "svar.json", place, reason)
    refused(*cli(capsys, "report", "--answers", str(path), "--questionnaire", str(EXAMPLE), "--format", "html",
                 "-o", str(tmp_path / "r.html")), "svar.json", place, reason)
    assert not (tmp_path / "r.html").exists()


# -- YAML definitions ---------------------------------------------------------------------------------------

def yaml_file(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "q.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def problems_of(path: Path) -> list:
    found = lint(path)
    for problem in found:
        assert problem.file == str(path)
        problem.render("sv").encode("utf-8")
        problem.render("en").encode("utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load(path)
    assert [p.code for p in caught.value.problems] == [p.code for p in found]
    return found


@pytest.mark.parametrize(("content", "line"), [
    ("id: x\nversion: '1'\nnested: " + "[" * 50_000 + "]" * 50_000 + "\n", 3),
    ("id: x\nversion: '1'\nnested: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", 3),
    ("id: x\n" + "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "v: 1\n", None),
])
def test_deep_yaml_is_refused_with_file_and_line(tmp_path, content, line):
    [problem] = problems_of(yaml_file(tmp_path, content))
    assert problem.code == "yaml_too_deep"
    if line is not None:
        assert problem.line == line
    else:
        assert 40 < problem.line < 60  # where the nesting passes the limit
    assert "nivåer" in problem.message("sv") and "levels" in problem.message("en")


@pytest.mark.parametrize(("content", "line"), [
    ("id: x\nversion: '1'\ntitle::sv: !!python/object/apply:os.system ['echo hej']\n", 3),
    ("id: x\nversion: '1'\ndimensions: !!set {a: null}\n", 3),
    ("id: x\nversion: '1'\n\ntitle::sv: !egen text\n", 4),
    ("id: x\nversion: !!str 1\n", 2),
    ("%TAG !e! tag:example.com,2000:\n---\nid: !e!x y\n", 3),
])
def test_tags_are_refused(tmp_path, content, line):
    [problem] = problems_of(yaml_file(tmp_path, content))
    assert (problem.code, problem.line) == ("yaml_tag", line)
    assert "tagg" in problem.message("sv") and "tag" in problem.message("en")


def test_aliases_are_refused_on_their_line(tmp_path):
    [problem] = problems_of(yaml_file(tmp_path, "id: x\nversion: '1'\na: &a 1\nb: *a\n"))
    assert (problem.code, problem.line) == ("yaml_alias", 3)


@pytest.mark.parametrize(("content", "line"), [
    ("id: a\nversion: '1'\n---\nid: b\n", 3),
    ("---\nid: a\n...\n---\nid: b\n", 4),
])
def test_several_documents_are_reported_as_such(tmp_path, content, line):
    [problem] = problems_of(yaml_file(tmp_path, content))
    assert (problem.code, problem.line) == ("yaml_documents", line)
    assert "dokument" in problem.message("sv") and "document" in problem.message("en")


def test_a_lone_surrogate_escape_in_yaml_is_refused(tmp_path):
    found = problems_of(yaml_file(tmp_path, 'id: x\nversion: "1"\ntitle::sv: "Hej \\ud800"\n'))
    [problem] = [p for p in found if p.code == "yaml_bad_character"]  # beside what the definition lacks
    assert problem.line == 3 and "\\ud800" in problem.render("en")


def test_a_folder_is_not_a_definition(tmp_path):
    [problem] = lint(tmp_path)
    assert problem.code == "file_unreadable" and problem.file == str(tmp_path)


@pytest.mark.parametrize(("content", "reason"), [
    ("nested: " + "[" * 50_000 + "]" * 50_000 + "\n", "nivåer"),
    ("id: a\n---\nid: b\n", "dokument"),
    ("id: !!python/name:os.system x\n", "tagg"),
])
def test_the_command_line_reports_yaml_problems(capsys, tmp_path, content, reason):
    path = yaml_file(tmp_path, content)
    refused(*cli(capsys, "validate", str(path)), f"{path}:1:" if "nested" in content else f"{path}:", reason,
            exit_code=1)
    refused(*cli(capsys, "score", str(EXAMPLE_ANSWERS), "--questionnaire", str(path)), f"{path}:", reason)


# -- workbooks ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(instrument) -> bytes:
    return answers_template(instrument, "19", "2025", "sv")


@pytest.fixture(scope="module")
def first_row(template) -> int:
    return answer_rows(load_book(template)["Svar"])["D1.1"]


@pytest.fixture(scope="module")
def plan_book(example) -> bytes:
    answers, _ = parse(EXAMPLE_ANSWERS.read_bytes(), find, CODES, example)
    return plan_workbook(region_report_from_answers(answers, example), "sv")


def offline_problems(raw: bytes) -> list:
    with pytest.raises(AnswersError) as caught:
        read_answers_workbook(raw, find, CODES, filename="svar.xlsx")
    for problem in caught.value.problems:
        problem.render("sv", "svar.xlsx").encode("utf-8")
        problem.render("en", "svar.xlsx").encode("utf-8")
    return caught.value.problems


def plan_problems(raw: bytes, q) -> list:
    with pytest.raises(WorkbookError) as caught:
        read_plan_workbook(raw, q, "sv", filename="plan.xlsx")
    for problem in caught.value.problems:
        problem.render("sv").encode("utf-8")
        problem.render("en").encode("utf-8")
    return caught.value.problems


BROKEN_CELLS = {
    "shared string out of range": ('<c r="{cell}" t="s"><v>99999</v></c>', "unreadable_cell"),
    "text where a number is declared": ('<c r="{cell}" t="n"><v>tre</v></c>', "unreadable_cell"),
    "a 5000-digit number": ('<c r="{cell}"><v>' + "9" * 5000 + "</v></c>", "unreadable_cell"),
    "a boolean that is not one": ('<c r="{cell}" t="b"><v>kanske</v></c>', "unreadable_cell"),
    "a style that is not a number": ('<c r="{cell}" s="x"><v>1</v></c>', "unreadable_cell"),
}


@pytest.mark.parametrize("kind", BROKEN_CELLS)
def test_a_broken_answer_cell_names_sheet_and_cell(template, first_row, kind):
    element, code = BROKEN_CELLS[kind]
    cell = f"D{first_row}"
    raw = rezip(template, sheet_member(template, "Svar"), lambda xml: set_cell(xml, cell, element.format(cell=cell)))
    [problem] = offline_problems(raw)
    assert (problem.code, problem.sheet, problem.cell) == (code, "Svar", cell)
    assert problem.render("sv", "svar.xlsx").startswith(f"svar.xlsx: blad 'Svar', cell {cell}: cellen kan inte läsas")


def test_a_broken_cell_in_the_hidden_sheet_is_named_too(template):
    raw = rezip(template, sheet_member(template, "_mognad"), lambda xml: set_cell(xml, "B2", '<c r="B2" t="s"><v>7</v></c>'))
    [problem] = offline_problems(raw)
    assert (problem.code, problem.sheet, problem.cell) == ("unreadable_cell", "_mognad", "B2")


@pytest.mark.parametrize("damage", ["truncated", "unclosed tag", "undefined entity"])
def test_broken_xml_inside_the_answers_sheet_names_the_sheet(template, damage):
    def change(xml: str) -> str:
        if damage == "truncated":
            return xml[: len(xml) // 2]
        if damage == "unclosed tag":
            return xml.replace("</sheetData>", "<row r=\"900\"><c r=\"A900\"><v>1</v></row></sheetData>")
        return xml.replace("</sheetData>", "<row r=\"900\"><c r=\"A900\"><v>&lol;</v></c></row></sheetData>")

    raw = rezip(template, sheet_member(template, "Svar"), change)
    [problem] = offline_problems(raw)
    assert (problem.code, problem.sheet) == ("unreadable_sheet", "Svar")
    assert problem.render("sv", "svar.xlsx").startswith("svar.xlsx: blad 'Svar': ")


def test_merged_answer_cells_are_refused(template, first_row):
    wb = load_book(template)
    ws = wb["Svar"]
    ws[f"D{first_row}"] = "3 – Etablerad"
    ws.merge_cells(f"D{first_row}:D{first_row + 1}")  # one answer for two statements
    ws.merge_cells("C4:D4")
    found = {(p.sheet, p.cell, p.code) for p in offline_problems(save(wb))}
    assert found >= {("Svar", f"D{first_row}:D{first_row + 1}", "merged_cells"), ("Svar", "C4:D4", "merged_cells")}
    wb = load_book(template)
    wb["Svar"].merge_cells(f"B{first_row}:C{first_row}")  # widening the statement to read it is harmless
    wb["Svar"]["C5"] = "Region (regionalt utvecklingsansvarig aktör)"
    answers, _ = read_answers_workbook(save(wb), find, CODES)
    assert answers.respondents[0].role == "region"


def test_an_indicator_on_two_rows_is_refused(template, first_row):
    wb = load_book(template)
    ws = wb["Svar"]
    at = answer_rows(ws)
    ws["C5"] = "Region (regionalt utvecklingsansvarig aktör)"
    ws[f"A{at['D1.2']}"] = "D1.1"  # a copied row: two answers for D1.1, none for D1.2
    ws[f"D{first_row}"] = "1 – Initierad"
    ws[f"D{at['D1.2']}"] = "4 – Integrerad och lärande"
    [problem] = offline_problems(save(wb))
    assert (problem.code, problem.sheet, problem.cell, problem.indicator) == \
        ("duplicate_indicator_row", "Svar", f"A{at['D1.2']}", "D1.1")
    assert f"rad {first_row}" in problem.render("sv")


@pytest.mark.parametrize("kind", BROKEN_CELLS)
def test_a_broken_plan_cell_names_sheet_and_cell(plan_book, example, kind):
    element, code = BROKEN_CELLS[kind]
    raw = rezip(plan_book, sheet_member(plan_book, "Handlingsplan"),
                lambda xml: set_cell(xml, "D4", element.format(cell="D4")))
    [problem] = plan_problems(raw, example)
    assert (problem.code, problem.sheet, problem.cell) == (code, "Handlingsplan", "D4")


def test_broken_xml_inside_the_plan_sheet_names_the_sheet(plan_book, example):
    raw = rezip(plan_book, sheet_member(plan_book, "Handlingsplan"), lambda xml: xml[: len(xml) * 2 // 3])
    [problem] = plan_problems(raw, example)
    assert (problem.code, problem.sheet) == ("unreadable_sheet", "Handlingsplan")
    raw = rezip(plan_book, sheet_member(plan_book, "_mognad"), lambda xml: set_cell(xml, "B1", '<c r="B1" t="s"><v>3</v></c>'))
    [problem] = plan_problems(raw, example)
    assert (problem.code, problem.sheet, problem.cell) == ("unreadable_cell", "_mognad", "B1")


def test_a_far_away_row_neither_hangs_nor_crashes(plan_book, example):
    raw = rezip(plan_book, sheet_member(plan_book, "Handlingsplan"),
                lambda xml: xml.replace("</sheetData>", '<row r="1048576"><c r="D1048576" t="inlineStr"><is><t>x</t></is>'
                                                          "</c></row></sheetData>"))
    [problem] = plan_problems(raw, example)
    assert (problem.code, problem.sheet) == ("too_many_rows", "Handlingsplan")


def test_the_command_line_names_sheet_and_cell_for_broken_workbooks(capsys, tmp_path, template, first_row):
    cell = f"D{first_row}"
    cases = {
        "strings.xlsx": rezip(template, sheet_member(template, "Svar"),
                              lambda xml: set_cell(xml, cell, f'<c r="{cell}" t="s"><v>42</v></c>')),
        "number.xlsx": rezip(template, sheet_member(template, "Svar"),
                             lambda xml: set_cell(xml, cell, f'<c r="{cell}"><v>x1</v></c>')),
        "xml.xlsx": rezip(template, sheet_member(template, "Svar"), lambda xml: xml[:-40]),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        place = "blad 'Svar'" + (f", cell {cell}" if name != "xml.xlsx" else "")
        refused(*cli(capsys, "score", str(path)), name, place)
        refused(*cli(capsys, "report", "--answers", str(path), "--format", "html", "-o", str(tmp_path / "r.html")),
                name, place)
