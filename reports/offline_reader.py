"""Reading a filled-in offline questionnaire (made by `reports.offline.answers_template`) back.

A filled-in workbook becomes a `mognad-answers/1` document and passes through `questionnaires.answers.parse`,
so it meets exactly the rules a JSON answers file meets; every problem names its sheet and cell.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl.utils.cell import range_boundaries

from questionnaires.answers import FORMAT as ANSWERS_FORMAT
from questionnaires.answers import AnswerProblem, AnswersError, AnswersFile, parse
from questionnaires.model import Questionnaire
from questionnaires.text import Catalogue, normalise_language
from reports import problems as workbook_messages
from reports.offline import (
    CELLS,
    COLUMNS,
    CONFIDENCE,
    FORMAT,
    HEADER_ROW,
    KEY_PREFIX,
    LISTS_SHEET,
    MAX_NAME,
    MAX_ORGANISATION,
    META_SHEET,
    SHEETS,
    TOKEN_BYTES,
    TOKEN_CELL,
    answer_options,
    fingerprint,
)
from reports.problems import WorkbookError, place
from reports.uploads import open_workbook, read_sheet

MAX_ROW = 2000  # the instrument has about a hundred rows; nothing further down is read
TOKEN = re.compile(r"[0-9a-f]{12,32}")  # 24 hex digits; templates made before the hidden cell: 12 in `_mognad`
TOKEN_COLUMN = ord(TOKEN_CELL[0]) - ord("A") + 1
INPUT_COLUMNS = tuple(ord(COLUMNS[key]) - ord("A") + 1 for key in ("indicator", "answer", "comment", "confidence"))

MESSAGES = Catalogue({
    "not_template": {"sv": "arbetsboken är ingen svarsmall från mognad (det dolda bladet {sheet} saknas); ladda ner en ny mall",
                     "en": "the workbook is not a mognad answers template (the hidden sheet {sheet} is missing); download a new template"},
    "wrong_template": {"sv": "arbetsboken är en {found}, inte en svarsmall ({expected})",
                       "en": "the workbook is a {found}, not an answers template ({expected})"},
    "template_changed": {"sv": "mallen gjordes för en annan utgåva av frågeformuläret {ref}; ladda ner en ny mall",
                         "en": "the template was made for another edition of the questionnaire {ref}; download a new template"},
    "unknown_option": {"sv": "'{value}' är inget av svarsalternativen ({allowed})",
                       "en": "'{value}' is not one of the answer options ({allowed})"},
    "unknown_confidence": {"sv": "'{value}' är ingen säkerhet ({allowed})", "en": "'{value}' is not a confidence ({allowed})"},
    "role_missing": {"sv": "välj din roll i listan ({allowed})", "en": "choose your role from the list ({allowed})"},
    "unknown_role_label": {"sv": "okänd roll '{value}' (välj i listan: {allowed})",
                           "en": "unknown role '{value}' (choose from the list: {allowed})"},
    "formula": {"sv": "cellen innehåller en formel; skriv värdet direkt", "en": "the cell holds a formula; type the value itself"},
    "merged_cells": {"sv": "cellerna är sammanfogade; dela upp dem så att varje uppgift har en egen cell",
                     "en": "the cells are merged; unmerge them so that every entry has a cell of its own"},
    "duplicate_indicator_row": {"sv": "indikatorn står redan på rad {first}; varje indikator ska stå på en enda rad "
                                      "(ladda ner en ny mall om rader har kopierats)",
                                "en": "the indicator is already on row {first}; each indicator must stand on one row "
                                      "only (download a new template if rows were copied)"},
    "name_too_long": {"sv": "namnet är för långt ({length} tecken, högst {limit})",
                      "en": "the name is too long ({length} characters, at most {limit})"},
    "organisation_too_long": {"sv": "organisationens namn är för långt ({length} tecken, högst {limit})",
                              "en": "the organisation's name is too long ({length} characters, at most {limit})"},
    "bad_token": {"sv": "den dolda respondentnyckeln har ändrats, så svaren kan inte knytas till någon; ladda ner "
                        "en ny mall",
                  "en": "the hidden respondent key has been changed, so the answers cannot be tied to anyone; "
                        "download a new template"},
    "foreign_token": {"sv": "bladet kommer från en annan svarsmall (en annan persons, regions eller omgångs) och tas "
                            "inte emot i den här filen; ladda ner en ny mall",
                      "en": "the sheet comes from another answers template (another person's, region's or round's) "
                            "and is not accepted in this file; download a new template"},
    "duplicate_token": {"sv": "bladet är en kopia av bladet '{other}' (samma dolda respondentnyckel); varje person "
                              "fyller i en egen mall – ladda ner en ny mall till en kollega",
                        "en": "the sheet is a copy of the sheet '{other}' (the same hidden respondent key); each person "
                              "fills in a template of their own – download a new template for a colleague"},
})


@dataclass(frozen=True)
class SheetAnswerProblem(AnswerProblem):
    """An answers problem found in a workbook: the same codes as JSON answers, plus the sheet and cell."""

    sheet: str | None = None
    cell: str | None = None
    origin: str = "answers"  # which catalogue holds the code: answers, offline or workbook

    def message(self, lang: str = "sv") -> str:
        if self.origin == "offline":
            return MESSAGES.render(self.code, lang, **self.params)
        if self.origin == "workbook":
            return workbook_messages.MESSAGES.render(self.code, lang, **self.params)
        return super().message(lang)

    def render(self, lang: str = "sv", source: str | None = None) -> str:
        parts = [source, place(self.sheet, self.cell, lang)]
        if self.indicator is not None:
            parts.append(("indicator " if normalise_language(lang) == "en" else "indikator ") + self.indicator)
        parts.append(self.message(lang))
        return ": ".join(part for part in parts if part)


def read_answers_workbook(raw: bytes, resolve: Callable[[str], Questionnaire], region_codes: Iterable[str],
                          questionnaire: Questionnaire | None = None,
                          filename: str | None = None) -> tuple[AnswersFile, Questionnaire]:
    """A filled-in template as (answers, questionnaire); AnswersError lists every problem with its cell.

    The rules are those of `questionnaires.answers.parse` (the same function runs last). A template of
    another questionnaire or version than `questionnaire` (when given), or of a changed edition, is refused.
    """
    try:
        wb = open_workbook(raw, filename)
    except WorkbookError as exc:
        raise _answers_error(exc) from None
    try:
        meta = _meta(wb)
        q = _questionnaire(meta, resolve, questionnaire)
        sheet = meta.get("sheet") or ""
        if sheet not in wb.sheetnames:
            sheet = next((name for name in (SHEETS["answers"].sv, SHEETS["answers"].en) if name in wb.sheetnames), "")
        if not sheet:
            raise AnswersError([SheetAnswerProblem("missing_sheet", params={"sheet": SHEETS["answers"].sv},
                                                   origin="workbook")])
        content = read_sheet(wb, sheet, max_row=MAX_ROW, max_col=TOKEN_COLUMN, to_end=True)
        others = _other_tokens(wb, sheet)
    except WorkbookError as exc:  # a sheet that cannot be read, named with its cell where known
        raise _answers_error(exc) from None
    finally:
        wb.close()
    cells = {cell.coordinate: _Cell(cell.value, cell.formula) for cell in content.cells.values()}
    document, positions, problems = _document(cells, sheet, meta, q)
    problems = _merged(content.merged, sheet) + _token_problems(document, others, sheet) + problems
    if problems:
        raise AnswersError(problems)
    try:
        return parse(json.dumps(document, ensure_ascii=False), resolve, region_codes, q)
    except AnswersError as exc:
        raise AnswersError([_locate(p, sheet, positions) for p in exc.problems]) from None


def _answers_error(error: WorkbookError) -> AnswersError:
    return AnswersError([SheetAnswerProblem(p.code, params=p.params, sheet=p.sheet, cell=p.cell, origin="workbook")
                         for p in error.problems])


def _meta(wb) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise AnswersError([SheetAnswerProblem("not_template", params={"sheet": META_SHEET}, origin="offline")])
    meta = {}
    sheet = read_sheet(wb, META_SHEET, max_row=30, max_col=2)
    for row in range(1, 31):
        key, value = sheet.get(row, 1), sheet.get(row, 2)
        if key is not None and isinstance(key.value, str):
            meta[key.value] = "" if value is None else str(value.value)
    if meta.get("format") != FORMAT:
        raise AnswersError([SheetAnswerProblem("wrong_template", params={"found": meta.get("format") or "?",
                                                                         "expected": FORMAT},
                                               sheet=META_SHEET, cell="B1", origin="offline")])
    return meta


def _questionnaire(meta: dict[str, str], resolve, given: Questionnaire | None) -> Questionnaire:
    ref = meta.get("questionnaire", "")
    if given is not None:
        if given.ref != ref:
            raise AnswersError([SheetAnswerProblem("questionnaire_mismatch", params={"value": ref, "expected": given.ref},
                                                   sheet=META_SHEET, cell="B2")])
        q = given
    else:
        try:
            q = resolve(ref)
        except KeyError:
            raise AnswersError([SheetAnswerProblem("unknown_questionnaire", params={"value": ref},
                                                   sheet=META_SHEET, cell="B2")]) from None
    if meta.get("fingerprint") != fingerprint(q):
        raise AnswersError([SheetAnswerProblem("template_changed", params={"ref": q.ref}, sheet=META_SHEET,
                                               cell="B3", origin="offline")])
    return q


@dataclass(frozen=True)
class _Cell:
    value: object
    formula: bool


def _other_tokens(wb, sheet: str) -> list[tuple[str, str]]:
    """(sheet, text) for every other worksheet whose token cell holds something: a copied answers sheet, or
    one brought over from another template."""
    found = []
    for title in [ws.title for ws in wb.worksheets]:
        if title in (sheet, META_SHEET, LISTS_SHEET):
            continue
        cell = read_sheet(wb, title, max_row=1, max_col=TOKEN_COLUMN).get(1, TOKEN_COLUMN)
        if cell is not None and _text(_Cell(cell.value, cell.formula)):
            found.append((title, _text(_Cell(cell.value, cell.formula))))
    return found


def _token_problems(document: dict, others: list[tuple[str, str]], sheet: str) -> list[SheetAnswerProblem]:
    if not document:
        return []
    own = document["respondents"][0]["token"][len(KEY_PREFIX):]
    return [SheetAnswerProblem("duplicate_token" if text == own else "foreign_token", params={"other": sheet},
                               sheet=title, cell=TOKEN_CELL, origin="offline") for title, text in others]


def _merged(ranges: tuple[str, ...], sheet: str) -> list[SheetAnswerProblem]:
    """Merged ranges over a cell people fill in (or the token): one value would stand for several."""
    problems = []
    for ref in ranges:
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref)
        except (ValueError, TypeError):
            first_column = first_row = 1
            last_column = last_row = 10**6
        columns = range(first_column, last_column + 1)
        respondent = 3 in columns and first_row <= 6 and last_row >= 4  # name, role, organisation (C4:C6)
        rows = last_row > HEADER_ROW and any(column in columns for column in INPUT_COLUMNS)
        token = TOKEN_COLUMN in columns and first_row <= 1
        if respondent or rows or token:
            problems.append(SheetAnswerProblem("merged_cells", sheet=sheet, cell=str(ref)[:20], origin="offline"))
    return problems


def _text(cell: _Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _options(q: Questionnaire) -> dict[str, int | str]:
    options: dict[str, int | str] = {}
    for lang in ("sv", "en"):
        for level in q.levels:
            for text in (f"{level.value} – {level.name[lang]}", f"{level.value} - {level.name[lang]}",
                         level.name[lang], str(level.value)):
                options.setdefault(text.casefold(), level.value)
        for special in q.special:
            options.setdefault(special.name[lang].casefold(), special.value)
            options.setdefault(special.value, special.value)
    return options


def _document(cells: dict[str, _Cell], sheet: str, meta: dict[str, str], q: Questionnaire):
    problems: list[AnswerProblem] = []
    positions: dict[str, int] = {}
    lang = meta.get("lang", "sv")

    def problem(code: str, cell: str, indicator: str | None = None, **params) -> None:
        problems.append(SheetAnswerProblem(code, indicator=indicator, params=params, sheet=sheet, cell=cell,
                                           origin="offline"))

    for coordinate, cell in cells.items():
        if cell.formula:
            problem("formula", coordinate)
    if problems:
        return {}, positions, problems
    role_text = _text(cells.get(CELLS["role"]))
    roles = {text.casefold(): role.id for role in q.roles for text in (role.name.sv, role.name.en, role.id)}
    allowed_roles = ", ".join(role.name[lang] for role in q.roles)
    role = roles.get(role_text.casefold())
    if not role_text:
        problem("role_missing", CELLS["role"], allowed=allowed_roles)
    elif role is None:
        problem("unknown_role_label", CELLS["role"], value=role_text[:80], allowed=allowed_roles)
    options = _options(q)
    allowed = ", ".join(answer_options(q, lang))
    confidence = {text.casefold(): code for code, label_ in CONFIDENCE.items() for text in (label_.sv, label_.en, code)}
    answers, comments, certainty = {}, {}, {}
    ids = {ind.id for ind in q.indicators}
    id_column = COLUMNS["indicator"]
    for coordinate, cell in cells.items():
        letter = coordinate.rstrip("0123456789")
        row = int(coordinate[len(letter):])
        if letter != id_column or row <= HEADER_ROW or _text(cell) not in ids:
            continue
        indicator = _text(cell)
        if indicator in positions:  # a copied row: which answer would count?
            problem("duplicate_indicator_row", coordinate, indicator, first=positions[indicator])
            continue
        positions[indicator] = row
        value = _text(cells.get(f"{COLUMNS['answer']}{row}"))
        if value:
            chosen = options.get(value.casefold())
            if chosen is None:
                problem("unknown_option", f"{COLUMNS['answer']}{row}", indicator, value=value[:80], allowed=allowed)
            else:
                answers[indicator] = chosen
        comment = cells.get(f"{COLUMNS['comment']}{row}")
        if comment is not None and _text(comment):
            text = comment.value if isinstance(comment.value, str) else _text(comment)
            comments[indicator] = text.strip()
        sure = _text(cells.get(f"{COLUMNS['confidence']}{row}"))
        if sure:
            code = confidence.get(sure.casefold())
            if code is None:
                problem("unknown_confidence", f"{COLUMNS['confidence']}{row}", indicator, value=sure[:40],
                        allowed=", ".join(t[lang] for t in CONFIDENCE.values()))
            else:
                certainty[indicator] = code
    token = _token(cells, meta, problem)
    respondent = {
        "id": KEY_PREFIX + token,  # the key in the store: the template's token, never the typed name
        "token": KEY_PREFIX + token,
        "role": role or "",
        "answers": answers,
        "comments": comments,
        "confidence": certainty,
    }
    for key, limit, code in (("name", MAX_NAME, "name_too_long"),
                             ("organisation", MAX_ORGANISATION, "organisation_too_long")):
        text = " ".join(_text(cells.get(CELLS[key])).split())  # a line break typed in the cell is a space
        if len(text) > limit:
            problem(code, CELLS[key], length=len(text), limit=limit)
        elif text:
            respondent[key] = text
    document = {"format": ANSWERS_FORMAT, "questionnaire": q.ref, "region": meta.get("region", ""),
                "round": meta.get("round", ""), "respondents": [respondent]}
    return document, positions, problems


def _token(cells: dict[str, _Cell], meta: dict[str, str], problem) -> str:
    """The sheet's respondent token: the hidden cell's; for templates made before it existed, the one in
    `_mognad`; with neither, a new one (the sheet is then always a new respondent)."""
    written = _text(cells.get(TOKEN_CELL))
    issued = meta.get("token", "")
    if written:
        if not TOKEN.fullmatch(written):
            problem("bad_token", TOKEN_CELL)
        elif written != issued:
            problem("foreign_token", TOKEN_CELL)
        return written
    return issued if TOKEN.fullmatch(issued) else secrets.token_hex(TOKEN_BYTES)


def _locate(problem: AnswerProblem, sheet: str, positions: dict[str, int]) -> SheetAnswerProblem:
    """Give a problem from `parse` the cell it is about."""
    cell, where = None, sheet
    if problem.code in ("unknown_region",):
        where, cell = META_SHEET, "B4"
    elif problem.code in ("unknown_role",):
        cell = CELLS["role"]
    elif problem.indicator in positions:
        row = positions[problem.indicator]
        if problem.code.startswith("comment"):
            column = COLUMNS["comment"]
        elif problem.code == "bad_confidence":
            column = COLUMNS["confidence"]
        else:
            column = COLUMNS["answer"]
        cell = f"{column}{row}"
    return SheetAnswerProblem(problem.code, indicator=problem.indicator, params=problem.params, sheet=where,
                              cell=cell)

