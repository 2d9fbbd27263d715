"""Problems found in an uploaded workbook, each with its place (sheet, cell) and a reason in sv or en.

Readers collect every problem before giving up, so a user can fix a file in one go; nothing is returned or
written unless the whole file is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from questionnaires.actionplan import ItemProblem
from questionnaires.text import Catalogue, normalise_language

MESSAGES = Catalogue({
    # the container (reports.uploads)
    "empty": {"sv": "filen är tom", "en": "the file is empty"},
    "too_large": {"sv": "filen är för stor ({size}, högst {limit})", "en": "the file is too large ({size}, at most {limit})"},
    "macro_file": {"sv": "arbetsböcker med makron (.xlsm) tas inte emot; spara filen som en vanlig Excel-arbetsbok (.xlsx)",
                   "en": "workbooks with macros (.xlsm) are not accepted; save the file as a plain Excel workbook (.xlsx)"},
    "wrong_extension": {"sv": "filen ska vara en Excel-arbetsbok (.xlsx), inte {extension}",
                        "en": "the file must be an Excel workbook (.xlsx), not {extension}"},
    "encrypted": {"sv": "arbetsboken är lösenordsskyddad eller sparad i det gamla .xls-formatet; spara den som .xlsx utan lösenord",
                  "en": "the workbook is password-protected or saved in the old .xls format; save it as .xlsx without a password"},
    "not_xlsx": {"sv": "filen är ingen Excel-arbetsbok (.xlsx)", "en": "the file is not an Excel workbook (.xlsx)"},
    "too_many_parts": {"sv": "arbetsboken har för många delar ({count}, högst {limit})",
                       "en": "the workbook has too many parts ({count}, at most {limit})"},
    "too_big_unpacked": {"sv": "arbetsboken blir för stor när den packas upp ({size}, högst {limit})",
                         "en": "the workbook is too large when unpacked ({size}, at most {limit})"},
    "compression_ratio": {"sv": "delen {name} är misstänkt hårt packad ({ratio}:1) – filen tas inte emot",
                          "en": "the part {name} is suspiciously highly compressed ({ratio}:1) – the file is refused"},
    "missing_part": {"sv": "arbetsboken saknar delen {name}: filen är skadad eller ingen Excel-arbetsbok",
                     "en": "the workbook lacks the part {name}: the file is damaged or not an Excel workbook"},
    "unsafe_xml": {"sv": "arbetsboken innehåller otillåten XML ({reason}: DTD eller entiteter) och tas inte emot",
                   "en": "the workbook contains forbidden XML ({reason}: a DTD or entities) and is refused"},
    "corrupt": {"sv": "arbetsboken kan inte läsas; den är skadad ({reason})",
                "en": "the workbook cannot be read; it is damaged ({reason})"},
    "unreadable_sheet": {"sv": "bladet kan inte läsas; arbetsboken är skadad ({reason}). Spara om den i Excel eller "
                               "ladda ner en ny fil",
                         "en": "the sheet cannot be read; the workbook is damaged ({reason}). Save it again in Excel "
                               "or download a new file"},
    "unreadable_cell": {"sv": "cellen kan inte läsas; arbetsboken är skadad ({reason}). Skriv in värdet på nytt "
                              "eller ladda ner en ny fil",
                        "en": "the cell cannot be read; the workbook is damaged ({reason}). Type the value again "
                              "or download a new file"},
    # the content
    "missing_sheet": {"sv": "bladet '{sheet}' saknas", "en": "the sheet '{sheet}' is missing"},
    "foreign_workbook": {"sv": "arbetsboken kommer inte från mognad (det dolda bladet {sheet} saknas); ladda ner en ny fil",
                         "en": "the workbook does not come from mognad (the hidden sheet {sheet} is missing); download a new file"},
    "wrong_kind": {"sv": "arbetsboken är en {found}, inte en {expected}", "en": "the workbook is a {found}, not a {expected}"},
    "no_header": {"sv": "hittar ingen rubrikrad med kolumnerna {columns}", "en": "no header row with the columns {columns} was found"},
    "missing_column": {"sv": "kolumnen '{column}' saknas i rubrikraden", "en": "the column '{column}' is missing from the header row"},
    "too_many_rows": {"sv": "bladet har för många rader ({count}, högst {limit})", "en": "the sheet has too many rows ({count}, at most {limit})"},
    "formula": {"sv": "cellen innehåller en formel ({value}); skriv värdet direkt", "en": "the cell holds a formula ({value}); type the value itself"},
    "text_too_long": {"sv": "texten är för lång ({length} tecken, högst {limit})", "en": "the text is too long ({length} characters, at most {limit})"},
    "unknown_dimension": {"sv": "okänd dimension '{value}' (välj i listan: {allowed})",
                          "en": "unknown dimension '{value}' (choose from the list: {allowed})"},
    "unknown_indicator": {"sv": "okänd indikator '{value}'", "en": "unknown indicator '{value}'"},
    "unknown_status": {"sv": "okänd status '{value}' (välj i listan: {allowed})", "en": "unknown status '{value}' (choose from the list: {allowed})"},
    "not_a_date": {"sv": "'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD", "en": "'{value}' is not a date; type YYYY-MM-DD"},
    "unknown_source": {"sv": "den dolda kolumnen har ett okänt värde '{value}'; ladda ner en ny fil",
                       "en": "the hidden column holds an unknown value '{value}'; download a new file"},
    "questionnaire_mismatch": {"sv": "filen gäller frågeformuläret '{found}', men '{expected}' förväntades",
                               "en": "the file is for the questionnaire '{found}', but '{expected}' was expected"},
    "region_mismatch": {"sv": "filen gäller region {found}, men {expected} förväntades", "en": "the file is for region {found}, but {expected} was expected"},
    "round_mismatch": {"sv": "filen gäller omgång {found}, men {expected} förväntades", "en": "the file is for round {found}, but {expected} was expected"},
})

PLACE = {"sv": ("blad", "cell"), "en": ("sheet", "cell")}


def place(sheet: str | None, cell: str | None, lang: str) -> str:
    words = PLACE[normalise_language(lang)]
    parts = []
    if sheet:
        parts.append(f"{words[0]} '{sheet}'")
    if cell:
        parts.append(f"{words[1]} {cell}")
    return ", ".join(parts)


@dataclass(frozen=True)
class WorkbookProblem:
    code: str
    sheet: str | None = None
    cell: str | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)
    item: ItemProblem | None = field(default=None, compare=False)  # a rule of the action-plan item itself

    def message(self, lang: str = "sv") -> str:
        if self.item is not None:
            return self.item.message(lang)
        return MESSAGES.render(self.code, lang, **self.params)

    def render(self, lang: str = "sv", source: str | None = None) -> str:
        where = place(self.sheet, self.cell, lang)
        return ": ".join(part for part in (source, where, self.message(lang)) if part)


class WorkbookError(Exception):
    """The workbook was refused; `problems` lists every reason with its place."""

    def __init__(self, problems: list[WorkbookProblem], lang: str = "sv"):
        super().__init__("; ".join(p.render(lang) for p in problems[:5]))
        self.problems = problems


def size_text(size: int) -> str:
    for unit, step in (("MB", 1024 * 1024), ("kB", 1024)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} B"
