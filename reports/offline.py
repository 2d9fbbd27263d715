"""The offline questionnaire: an Excel workbook a respondent fills in without the app (reading it back:
`reports.offline_reader`).

The template is protected except for the cells a respondent answers in, carries the questionnaire's id,
version and a fingerprint of its content in a hidden sheet, and lists every answer option in a dropdown.
The layout constants here are shared with the reader.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from questionnaires.model import Questionnaire
from questionnaires.regions import region_by_code
from questionnaires.text import Text, normalise_language
from reports import xlsx
from reports.labels import label

FORMAT = "mognad-template/1"
META_SHEET = "_mognad"
LISTS_SHEET = "_listor"
SHEETS = {"instructions": Text("Instruktioner", "Instructions"), "answers": Text("Svar", "Answers")}
CONFIDENCE = {"low": Text("Låg", "Low"), "medium": Text("Medel", "Medium"), "high": Text("Hög", "High")}
HEADER_ROW = 8
CELLS = {"name": "C4", "role": "C5", "organisation": "C6"}
# The respondent's token: random per template, in a hidden, locked cell of the answers sheet (and in `_mognad`
# B7, the token the template was made with). Reading matches respondents by it, never by the typed name.
TOKEN_CELL = "J1"
TOKEN_BYTES = 12  # 24 hex digits; the respondent's key is "xlsx-" + token (29 characters)
KEY_PREFIX = "xlsx-"
MAX_NAME = 100  # the typed name is a display name
MAX_ORGANISATION = 200
COLUMNS = {"indicator": "A", "statement": "B", "levels": "C", "answer": "D", "comment": "E", "confidence": "F",
           "guidance": "G", "roles": "H"}
WIDTHS = {"A": 10, "B": 44, "C": 62, "D": 26, "E": 44, "F": 12, "G": 40, "H": 20}
INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
DIMENSION_FILL = PatternFill("solid", fgColor="DCE6F2")
INPUT_BORDER = Border(*(Side(style="thin", color="9A8A4A"),) * 4)
UNLOCKED = Protection(locked=False)


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
    token = secrets.token_hex(TOKEN_BYTES)
    _answers(answers, q, regions[region].name, round_label, lang, _lists(wb, q, lang))
    xlsx.put(answers, 1, _column(TOKEN_CELL[0]), token)  # locked like every cell but the yellow ones
    answers.column_dimensions[TOKEN_CELL[0]].hidden = True
    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate((
            ("format", FORMAT), ("questionnaire", q.ref), ("fingerprint", fingerprint(q)), ("region", region),
            ("round", round_label), ("lang", lang), ("token", token),
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


__all__ = ["answers_template", "answer_options", "fingerprint"]
