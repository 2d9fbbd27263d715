"""The offline questionnaire: an Excel workbook a respondent fills in without the app, and reading it back.

The template is protected except for the cells a respondent answers in, carries the questionnaire's id,
version and a fingerprint of its content in a hidden sheet, and lists every answer option in a dropdown. A
filled-in workbook becomes a `mognad-answers/1` document and passes through `questionnaires.answers.parse`,
so it meets exactly the rules a JSON answers file meets; every problem names its sheet and cell.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from questionnaires.answers import FORMAT as ANSWERS_FORMAT
from questionnaires.answers import AnswerProblem, AnswersError, AnswersFile, parse
from questionnaires.model import Questionnaire
from questionnaires.regions import region_by_code
from questionnaires.text import Catalogue, Text, normalise_language
from reports import problems as workbook_messages
from reports import xlsx
from reports.labels import label
from reports.problems import WorkbookError, place
from reports.uploads import open_workbook

FORMAT = "mognad-template/1"
META_SHEET = "_mognad"
LISTS_SHEET = "_listor"
SHEETS = {"instructions": Text("Instruktioner", "Instructions"), "answers": Text("Svar", "Answers")}
CONFIDENCE = {"low": Text("Låg", "Low"), "medium": Text("Medel", "Medium"), "high": Text("Hög", "High")}
HEADER_ROW = 8
CELLS = {"name": "C4", "role": "C5", "organisation": "C6"}
COLUMNS = {"indicator": "A", "statement": "B", "levels": "C", "answer": "D", "comment": "E", "confidence": "F",
           "guidance": "G", "roles": "H"}
WIDTHS = {"A": 10, "B": 44, "C": 62, "D": 26, "E": 44, "F": 12, "G": 40, "H": 20}
INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
DIMENSION_FILL = PatternFill("solid", fgColor="DCE6F2")
INPUT_BORDER = Border(*(Side(style="thin", color="9A8A4A"),) * 4)
UNLOCKED = Protection(locked=False)

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


def fingerprint(q: Questionnaire) -> str:
    """A short digest of what a respondent sees and what the answers mean: a changed edition shows."""
    content = {
        "ref": q.ref,
        "levels": [level.value for level in q.levels],
        "special": [special.value for special in q.special],
        "indicators": [[ind.id, ind.statement.sv, list(ind.roles)] for ind in q.indicators],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def answer_options(q: Questionnaire, lang: str) -> list[str]:
    return [f"{level.value} – {level.name[lang]}" for level in q.levels] + [s.name[lang] for s in q.special]


# --- writing ----------------------------------------------------------------------------------------------------

def answers_template(q: Questionnaire, region: str, round_label: str, lang: str = "sv") -> bytes:
    """The offline questionnaire for one region and round, as .xlsx bytes."""
    lang = normalise_language(lang)
    regions = region_by_code()
    if region not in regions:
        raise KeyError(region)
    wb = Workbook()
    instructions = wb.active
    instructions.title = SHEETS["instructions"][lang]
    _instructions(instructions, q, regions[region].name, round_label, lang)
    answers = wb.create_sheet(SHEETS["answers"][lang])
    _answers(answers, q, regions[region].name, round_label, lang, _lists(wb, q, lang))
    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate((
            ("format", FORMAT), ("questionnaire", q.ref), ("fingerprint", fingerprint(q)), ("region", region),
            ("round", round_label), ("lang", lang), ("token", secrets.token_hex(6)),
            ("sheet", SHEETS["answers"][lang])), start=1):
        xlsx.put(meta, row, 1, key)
        xlsx.put(meta, row, 2, value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    instructions.sheet_view.tabSelected = True
    return xlsx.save(wb)


def _lists(wb: Workbook, q: Questionnaire, lang: str) -> dict[str, str]:
    ws = wb.create_sheet(LISTS_SHEET)
    columns = {
        "Svarsalternativ" if lang == "sv" else "AnswerOptions": answer_options(q, lang),
        "Roller" if lang == "sv" else "Roles": [role.name[lang] for role in q.roles],
        "Sakerhet" if lang == "sv" else "Confidence": [text[lang] for text in CONFIDENCE.values()],
    }
    names = {}
    for column, (name, values) in enumerate(columns.items(), start=1):
        for row, value in enumerate(values, start=1):
            xlsx.put(ws, row, column, value)
        letter = get_column_letter(column)
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}")
        names[("answers", "roles", "confidence")[column - 1]] = name
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return names


def _instructions(ws, q: Questionnaire, region_name: str, round_label: str, lang: str) -> None:
    sv = lang == "sv"
    answers = SHEETS["answers"][lang]
    lines: list[tuple[str, object]] = [
        ("title", q.title[lang]),
        ("", f"{label('region', lang)}: {region_name} · {label('round', lang)}: {round_label} · "
             f"{label('questionnaire', lang)}: {q.ref}"),
        ("", ""),
        ("bold", "Så här fyller du i" if sv else "How to fill in"),
        ("", (f"1. Skriv ditt namn och välj din roll överst på bladet {answers}. Rollen avgör vilka påståenden som "
              "gäller dig (kolumnen Ställs till)." if sv else
              f"1. Type your name and choose your role at the top of the sheet {answers}. Your role decides which "
              "statements apply to you (the column Asked of).")),
        ("", ("2. Läs varje påstående och nivåbeskrivningarna. Välj i kolumnen Svar den nivå som bäst beskriver hur "
              "det är i dag – eller Ej relevant eller Vet ej." if sv else
              "2. Read each statement and the level descriptors. In the column Answer, choose the level that best "
              "describes how things are today – or Not relevant or Don't know.")),
        ("", ("3. Skriv gärna en kommentar och vad du grundar svaret på (belägg), och ange hur säker du är." if sv else
              "3. Add a comment and what your answer rests on (evidence) if you can, and say how certain you are.")),
        ("", ("4. Lämna en rad tom om du inte vill svara. Bara de gula cellerna går att ändra; resten är skyddat så "
              "att filen kan läsas in igen." if sv else
              "4. Leave a row empty if you do not want to answer. Only the yellow cells can be changed; the rest is "
              "protected so that the file can be read back.")),
        ("", ("5. Spara som Excel-arbetsbok (.xlsx) – inte .xls, .xlsm eller .ods – och skicka filen till den som "
              "samordnar regionens självskattning." if sv else
              "5. Save as an Excel workbook (.xlsx) – not .xls, .xlsm or .ods – and send the file to the person who "
              "coordinates the region's self-assessment.")),
        ("", ""),
        ("bold", label("scale_levels", lang)),
    ]
    lines += [("level", (f"{level.value} – {level.name[lang]}", level.descriptor[lang])) for level in q.levels]
    lines += [("level", (special.name[lang], special.descriptor[lang])) for special in q.special]
    for row, (kind, value) in enumerate(lines, start=1):
        if kind == "level":
            name, text = value  # type: ignore[misc]
            xlsx.put(ws, row, 1, name, font=xlsx.BOLD, alignment=xlsx.TOP)
            xlsx.put(ws, row, 2, text, alignment=xlsx.WRAP)
        else:
            font = xlsx.TITLE_FONT if kind == "title" else xlsx.BOLD if kind == "bold" else None
            xlsx.put(ws, row, 1, value, font=font, alignment=Alignment(wrap_text=False, vertical="top"))
    xlsx.widths(ws, [30, 110])
    ws.protection.sheet = True
    xlsx.print_setup(ws, landscape=False)


def _answers(ws, q: Questionnaire, region_name: str, round_label: str, lang: str, names: dict[str, str]) -> None:
    put = xlsx.put
    put(ws, 1, 1, f"{q.title[lang]} – {region_name} – {label('round', lang).lower()} {round_label}",
        font=xlsx.TITLE_FONT)
    put(ws, 2, 1, f"{label('questionnaire', lang)}: {q.ref}", font=xlsx.MUTED)
    respondent = [("name", "Ditt namn" if lang == "sv" else "Your name"),
                  ("role", "Din roll" if lang == "sv" else "Your role"),
                  ("organisation", "Organisation" if lang == "sv" else "Organisation")]
    for key, text in respondent:
        cell = ws[CELLS[key]]
        put(ws, cell.row, cell.column - 1, text, font=xlsx.BOLD)
        _input(cell)
    headers = {
        "indicator": label("indicator", lang), "statement": label("statement", lang),
        "levels": "Nivåer" if lang == "sv" else "Levels", "answer": "Svar" if lang == "sv" else "Answer",
        "comment": label("comments", lang), "confidence": "Säkerhet" if lang == "sv" else "Confidence",
        "guidance": label("guidance", lang), "roles": "Ställs till" if lang == "sv" else "Asked of",
    }
    for key, letter in COLUMNS.items():
        put(ws, HEADER_ROW, _column(letter), headers[key], font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL,
            alignment=xlsx.WRAP)
    row = HEADER_ROW
    answer_rows = []
    everyone = "Alla" if lang == "sv" else "Everyone"
    for dim in q.dimensions:
        row += 1
        put(ws, row, 1, dim.id, font=xlsx.BOLD, fill=DIMENSION_FILL)
        put(ws, row, 2, dim.title[lang], font=xlsx.BOLD, fill=DIMENSION_FILL)
        for letter in "CDEFGH":
            ws[f"{letter}{row}"].fill = DIMENSION_FILL
        for ind in dim.indicators:
            row += 1
            levels = "\n".join(f"{value} {q.levels[value].name[lang]}: {text[lang]}"
                               for value, text in enumerate(ind.levels))
            roles = ", ".join(q.role_by_id[r].name[lang] for r in ind.roles) if ind.roles else everyone
            put(ws, row, _column(COLUMNS["indicator"]), ind.id, font=xlsx.BOLD, alignment=xlsx.TOP)
            put(ws, row, _column(COLUMNS["statement"]), ind.statement[lang], alignment=xlsx.WRAP)
            put(ws, row, _column(COLUMNS["levels"]), levels, alignment=xlsx.WRAP)
            put(ws, row, _column(COLUMNS["guidance"]), ind.guidance[lang], alignment=xlsx.WRAP)
            put(ws, row, _column(COLUMNS["roles"]), roles, alignment=xlsx.WRAP)
            for key in ("answer", "comment", "confidence"):
                _input(ws[f"{COLUMNS[key]}{row}"])
            answer_rows.append(row)
            height = xlsx.row_height([(levels, WIDTHS["C"]), (ind.statement[lang], WIDTHS["B"]),
                                      (ind.guidance[lang], WIDTHS["G"])])
            if height:
                ws.row_dimensions[row].height = height
    _validation(ws, names["answers"], [f"{COLUMNS['answer']}{r}" for r in answer_rows],
                "Välj ett svarsalternativ i listan." if lang == "sv" else "Choose an answer option from the list.")
    _validation(ws, names["confidence"], [f"{COLUMNS['confidence']}{r}" for r in answer_rows],
                "Välj Låg, Medel eller Hög." if lang == "sv" else "Choose Low, Medium or High.")
    _validation(ws, names["roles"], [CELLS["role"]],
                "Välj din roll i listan." if lang == "sv" else "Choose your role from the list.")
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # people may widen columns and rows to read long texts
    ws.protection.formatRows = False
    xlsx.print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _column(letter: str) -> int:
    return ord(letter) - ord("A") + 1


def _input(cell) -> None:
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    cell.border = INPUT_BORDER
    cell.alignment = xlsx.WRAP


def _validation(ws, name: str, cells: list[str], message: str) -> None:
    if not cells:
        return
    validation = DataValidation(type="list", formula1=name, allow_blank=True, showErrorMessage=True,
                                errorTitle="mognad", error=message)
    ws.add_data_validation(validation)
    for cell in cells:
        validation.add(cell)


# --- reading ----------------------------------------------------------------------------------------------------

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
        raise AnswersError([SheetAnswerProblem(p.code, params=p.params, sheet=p.sheet, cell=p.cell,
                                               origin="workbook") for p in exc.problems]) from None
    try:
        meta = _meta(wb)
        q = _questionnaire(meta, resolve, questionnaire)
        sheet = meta.get("sheet") or ""
        if sheet not in wb.sheetnames:
            sheet = next((name for name in (SHEETS["answers"].sv, SHEETS["answers"].en) if name in wb.sheetnames), "")
        if not sheet:
            raise AnswersError([SheetAnswerProblem("missing_sheet", params={"sheet": SHEETS["answers"].sv},
                                                   origin="workbook")])
        cells = _cells(wb[sheet])
    finally:
        wb.close()
    document, positions, problems = _document(cells, sheet, meta, q)
    if problems:
        raise AnswersError(problems)
    try:
        return parse(json.dumps(document, ensure_ascii=False), resolve, region_codes, q)
    except AnswersError as exc:
        raise AnswersError([_locate(p, sheet, positions) for p in exc.problems]) from None


def _meta(wb) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise AnswersError([SheetAnswerProblem("not_template", params={"sheet": META_SHEET}, origin="offline")])
    meta = {}
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=30, max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            meta[row[0]] = "" if row[1] is None else str(row[1])
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


def _cells(ws) -> dict[str, _Cell]:
    cells = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=2000, max_col=len(COLUMNS)), start=1):
        for c, cell in enumerate(row, start=1):
            if cell.value is not None:
                cells[f"{get_column_letter(c)}{r}"] = _Cell(cell.value, getattr(cell, "data_type", None) == "f")
    return cells


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
    name = _text(cells.get(CELLS["name"]))
    respondent = {
        "id": name[:100] if name else f"xlsx-{meta.get('token') or 'respondent'}",
        "role": role or "",
        "answers": answers,
        "comments": comments,
        "confidence": certainty,
    }
    if name:
        respondent["name"] = name[:200]
    organisation = _text(cells.get(CELLS["organisation"]))
    if organisation:
        respondent["organisation"] = organisation[:200]
    document = {"format": ANSWERS_FORMAT, "questionnaire": q.ref, "region": meta.get("region", ""),
                "round": meta.get("round", ""), "respondents": [respondent]}
    return document, positions, problems


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


__all__ = ["SheetAnswerProblem", "answers_template", "fingerprint", "read_answers_workbook"]
