"""What every `mognad` command shares: exit codes, refusals, the last-line error handler, atomic writes,
the --database option and the default questionnaire.

Bad input ends with one line per problem on stderr and a documented exit code, never a traceback
(MOGNAD_DEBUG=1 shows one).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from questionnaires.glossary import GLOSSARY
from questionnaires.text import Catalogue

EXIT_OK = 0
EXIT_BAD_QUESTIONNAIRE = 1  # `mognad validate` found problems in a definition
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_UNAVAILABLE = 4  # the database cannot be reached
EXIT_NO_PDF = 5
EXIT_INTERRUPTED = 130

DEFAULT_QUESTIONNAIRE = "regional-validering@2"  # new rounds; version-1 rounds keep version 1

MESSAGES = Catalogue({
    "internal": {"sv": "internt fel", "en": "internal error"},
    # instrument commands
    "valid": {"sv": "{path}: giltig ({ref}: {dimensions} dimensioner, {indicators} indikatorer, {actions} åtgärder)",
              "en": "{path}: valid ({ref}: {dimensions} dimensions, {indicators} indicators, {actions} actions)"},
    "problems": {"sv": "{n} problem", "en": "{n} problem(s)"},
    "regions_header": {"sv": "Kod|Region|NUTS2|Folkmängd|Grupp", "en": "Code|Region|NUTS2|Population|Group"},
    "round_of": {"sv": "{region} – omgång {round}", "en": "{region} – round {round}"},
    "insufficient": {"sv": "otillräckligt underlag", "en": "insufficient evidence"},
    "disagreement_to_discuss": {"sv": "Oenighet att diskutera: {indicators}", "en": "Disagreement to discuss: {indicators}"},
    "priority_dimensions": {"sv": "Prioriterade dimensioner:", "en": "Priority dimensions:"},
    "plan_line": {"sv": "  {dimension}: mål {stage} ({target}), gap {gap}, prioritet {priority}",
                  "en": "  {dimension}: target {stage} ({target}), gap {gap}, priority {priority}"},
    # data commands
    "users_header": {"sv": "E-post|Namn|Roller|Lösenord|Status", "en": "E-mail|Name|Roles|Password|Status"},
    "account_disabled": {"sv": "avstängt", "en": "disabled"},
    "account_active": {"sv": "aktivt", "en": "active"},
    "has_password": {"sv": "ja", "en": "yes"},
    "no_password": {"sv": "nej (OIDC)", "en": "no (OIDC)"},
    "round_open": {"sv": "öppen", "en": "open"},
    "round_closed": {"sv": "stängd", "en": "closed"},
    "round_published": {"sv": ", publicerad", "en": ", published"},
    # serve
    "no_entry": {"sv": "hittar inte {path}", "en": "cannot find {path}"},
    "starting": {"sv": "Startar mognad på {url}", "en": "Starting mognad at {url}"},
    "written": {"sv": "skrev {path} ({size} byte)", "en": "wrote {path} ({size} bytes)"},
    "unreadable": {"sv": "filen kan inte läsas ({reason})", "en": "the file cannot be read ({reason})"},
    "unwritable": {"sv": "filen kan inte skrivas ({reason})", "en": "the file cannot be written ({reason})"},
    "created": {"sv": "databasen {url} skapades", "en": "the database {url} was created"},
    "no_default_questionnaire": {"sv": "ange --questionnaire id@version (medföljande: {known})",
                                 "en": "give --questionnaire id@version (bundled: {known})"},
}, base=GLOSSARY)


class Refused(Exception):
    """Bad input: lines to show, one per problem, already in the user's language."""

    def __init__(self, lines: list[str], code: int = EXIT_BAD_INPUT):
        super().__init__("; ".join(lines))
        self.lines, self.code = lines, code


def say(args, code: str, **params) -> None:
    print(MESSAGES.render(code, args.lang, **params))


def text(args, code: str, **params) -> str:
    return MESSAGES.render(code, args.lang, **params)


def guarded(handler: Callable) -> Callable:
    """Refusals, store errors, workbook problems and a missing PDF engine become one-line messages and the
    documented exit codes. A refusal about a file names it first (`args.source`)."""
    def run(args) -> int:
        try:
            return handler(args)
        except Refused as refused:
            _print_lines(refused.lines, None)
            return refused.code
        except Exception as error:  # noqa: BLE001 — sorted by kind just below; anything else goes on up
            known = _known_error(error, args)
            if known is None:
                raise
            return known
    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def _print_lines(lines: list[str], source: str | None) -> None:
    for line in lines:
        print(f"{source}: {line}" if source else f"mognad: {line}", file=sys.stderr)


def _known_error(error: Exception, args) -> int | None:
    from reports.pdf import PdfUnavailable
    from reports.problems import WorkbookError
    from store.errors import Invalid, StoreError, StoreUnavailable

    source = getattr(args, "source", None)
    if isinstance(error, PdfUnavailable):
        _print_lines([error.message(args.lang)], None)
        return EXIT_NO_PDF
    if isinstance(error, WorkbookError):
        _print_lines([problem.render(args.lang) for problem in error.problems], None)
        return EXIT_BAD_INPUT
    if isinstance(error, StoreUnavailable):
        _print_lines([error.message(args.lang)], None)
        return EXIT_UNAVAILABLE
    if isinstance(error, Invalid):
        _print_lines(error.lines(args.lang), source)
        return EXIT_BAD_INPUT
    if isinstance(error, StoreError):
        _print_lines([error.message(args.lang)], source)
        return EXIT_BAD_INPUT
    return None


def last_line(args, run: Callable[[], int]) -> int:
    """The last line of defence around a whole command: one readable line, never a traceback."""
    try:
        return int(run() or EXIT_OK)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("MOGNAD_DEBUG"):
            raise
        print(f"mognad: {text(args, 'internal')}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_output(args, data: bytes | str) -> int:
    """`data` to args.output, whole or not at all, and a line saying so."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        write_atomically(args.output, raw)
    except OSError as error:
        raise Refused([f"{args.output}: {text(args, 'unwritable', reason=error.strerror or error)}"]) from None
    say(args, "written", path=args.output, size=len(raw))
    return EXIT_OK


def read_input(args, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise Refused([f"{path}: {text(args, 'unreadable', reason=error.strerror or error)}"]) from None


def database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", metavar="URL",
                        help="databasens adress (standard: MOGNAD_DATABASE_URL, annars data/mognad.sqlite)")


def database_parent() -> argparse.ArgumentParser:
    """A parent parser carrying --database, for subcommands."""
    parent = argparse.ArgumentParser(add_help=False)
    database_option(parent)
    return parent


def open_database(args, create: bool = False):
    """The database of --database; created on first use when `create`; an older schema needs
    `mognad db upgrade` first."""
    from store.database import Database

    db = Database(args.database)
    if create and db.schema_state()[0] == "empty":
        db.upgrade()
        print(text(args, "created", url=db.display_url), file=sys.stderr)
    db.require_schema()
    return db


def default_questionnaire(args) -> str:
    """The questionnaire a command uses when none is given: the standard one, or the only bundled one."""
    from questionnaires import bundled

    shipped = sorted(bundled())
    if DEFAULT_QUESTIONNAIRE in shipped:
        return DEFAULT_QUESTIONNAIRE
    if len(shipped) == 1:
        return shipped[0]
    raise Refused([text(args, "no_default_questionnaire", known=", ".join(shipped) or "–")])
