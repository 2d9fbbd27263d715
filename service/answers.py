"""Reading an answers file, JSON (`mognad-answers/1`) or the offline Excel form: one reader for every door.

The app's uploads, "Räkna på en svarsfil", `mognad score`, `mognad import` and `mognad report --answers`
all come through here, so a file is accepted or refused with the same words everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from questionnaires import find, load_regions
from questionnaires.answers import AnswersError, AnswersFile, parse
from questionnaires.model import Questionnaire
from reports.problems import WorkbookError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def is_workbook(name: str) -> bool:
    return name.lower().endswith(EXCEL_SUFFIXES)


def read_answers(name: str, raw: bytes, *, lang: str, questionnaire: Questionnaire | None = None,
                 resolve: Callable[[str], Questionnaire] | None = None,
                 ) -> tuple[AnswersFile, Questionnaire] | list[str]:
    """(answers, questionnaire), or one line per problem in `lang`, each naming the file and the place.

    `questionnaire` is the definition to read against; without it the file's own reference is looked up
    with `resolve` (a KeyError for an unknown reference; default: the bundled definitions — the store
    passes its registered ones). The file's name decides the reader (.xlsx/.xlsm/.xls: the offline form).
    Never raises for bad content.
    """
    codes = [region.code for region in load_regions()]
    resolve = resolve or find
    try:
        if is_workbook(name):
            from reports.offline_reader import read_answers_workbook

            return read_answers_workbook(raw, resolve, codes, filename=name, questionnaire=questionnaire)
        return parse(raw, resolve, codes, questionnaire)
    except AnswersError as error:
        return [problem.render(lang, name) for problem in error.problems]
    except WorkbookError as error:
        return [problem.render(lang) for problem in error.problems]
