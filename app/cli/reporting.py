"""`mognad report`, `mognad template`, `mognad export`: reports and exchange files from the shell.

`report --answers FILE` needs no database: it scores one answers file and renders it. The other forms read
the database as the local system identity (shell access = administrator, as for the other data commands).
National reports and exports count only submitted and locked assessments unless --include-drafts is given,
and anonymise regions (Region A, B, …) unless --named is given: the publication rule.

Exit codes: 0 ok, 2 bad input (one line per problem on stderr), 4 database unavailable, 5 PDF not
available. A file is written whole or not at all.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from questionnaires import QuestionnaireError, bundled, find, load, load_regions
from questionnaires.answers import AnswersError, parse
from questionnaires.text import Catalogue

EXIT_OK, EXIT_BAD_INPUT, EXIT_UNAVAILABLE, EXIT_NO_PDF = 0, 2, 4, 5
DEFAULT_QUESTIONNAIRE = "regional-validering@1"
SUBMITTED = ("submitted", "locked")

MESSAGES = Catalogue({
    "written": {"sv": "skrev {path} ({size} byte)", "en": "wrote {path} ({size} bytes)"},
    "unreadable": {"sv": "filen kan inte läsas ({reason})", "en": "the file cannot be read ({reason})"},
    "unwritable": {"sv": "filen kan inte skrivas ({reason})", "en": "the file cannot be written ({reason})"},
    "needs_round": {"sv": "ange --round", "en": "give --round"},
    "unknown_region": {"sv": "okänd regionkod '{value}' (tvåsiffrig länskod, t.ex. 01 eller 19)",
                       "en": "unknown region code '{value}' (two-digit county code, e.g. 01 or 19)"},
    "no_data": {"sv": "det finns inga svar för {region} i omgång {round}", "en": "there are no answers for {region} in round {round}"},
    "no_round_data": {"sv": "det finns inga inlämnade bedömningar i omgång {round} (--include-drafts tar med utkast)",
                      "en": "there are no submitted assessments in round {round} (--include-drafts includes drafts)"},
    "no_export_data": {"sv": "det finns inga inlämnade bedömningar att exportera", "en": "there are no submitted assessments to export"},
    "national_pdf": {"sv": "den nationella rapporten finns som html och xlsx", "en": "the national report comes as html and xlsx"},
    "unknown_questionnaire": {"sv": "okänt frågeformulär '{value}' (medföljande: {known})",
                              "en": "unknown questionnaire '{value}' (bundled: {known})"},
    "no_default_questionnaire": {"sv": "ange --questionnaire id@version (medföljande: {known})",
                                 "en": "give --questionnaire id@version (bundled: {known})"},
    "template_answers": {"sv": "mallen fylls i av en svarande och läses in med: mognad import {path}",
                         "en": "a respondent fills in the template; read it in with: mognad import {path}"},
})


def register(commands) -> None:
    p = commands.add_parser("report", help="regional eller nationell rapport / regional or national report")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", type=Path, metavar="FILE", help="en svarsfil (.json); ingen databas behövs / an answers file; no database needed")
    source.add_argument("--region", metavar="CODE", help="regionens länskod, från databasen / region code, from the database")
    source.add_argument("--national", action="store_true", help="alla regioner, från databasen / all regions, from the database")
    p.add_argument("--round", metavar="LABEL", help="omgång (krävs med --region och --national) / round")
    p.add_argument("--questionnaire", metavar="FILE", type=Path,
                   help="definition för --answers (standard: den medföljande som filen anger) / definition file")
    p.add_argument("--format", choices=["html", "xlsx", "pdf"], default="html")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument("--named", action="store_true",
                   help="nationell rapport med regionnamn (standard: avidentifierad) / name the regions")
    p.add_argument("--include-drafts", action="store_true",
                   help="räkna även utkast i nationella jämförelser / count drafts in national comparisons")
    p.add_argument("--peer-group", choices=["size", "nuts2"], default="size",
                   help="jämförelsegrupp: storleksgrupp eller NUTS2 / peer group: size group or NUTS2")
    p.add_argument("--min-group", type=_positive, default=3, metavar="K",
                   help="minsta antal regioner bakom en median (standard 3) / fewest regions behind a median")
    _database_option(p)
    p.set_defaults(handler=report_command)

    p = commands.add_parser("template", help="Excel-mall för att svara utan appen / Excel template for answering offline")
    p.add_argument("--region", required=True, metavar="CODE")
    p.add_argument("--round", required=True, metavar="LABEL")
    p.add_argument("--questionnaire", metavar="ID@VERSION|FILE",
                   help=f"frågeformulär (standard: {DEFAULT_QUESTIONNAIRE}) / questionnaire")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=template_command)

    p = commands.add_parser("export", help="öppna data: alla regioner och omgångar / open data: every region and round")
    p.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument("--table", choices=["dimensions", "indicators", "overall", "dictionary"], default="dimensions",
                   help="tabellen i CSV-filen (xlsx har alla) / the table of the CSV file (xlsx holds all)")
    p.add_argument("--round", action="append", metavar="LABEL", help="bara dessa omgångar / only these rounds")
    p.add_argument("--questionnaire", metavar="ID@VERSION",
                   help="frågeformulär (standard: den senaste omgångens) / questionnaire (default: the latest round's)")
    p.add_argument("--named", action="store_true", help="med regionnamn (standard: avidentifierad) / name the regions")
    p.add_argument("--include-drafts", action="store_true", help="ta med utkast / include drafts")
    _database_option(p)
    p.set_defaults(handler=export_command)


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: 1, 2, 3 …")
    return value


def _database_option(parser) -> None:
    parser.add_argument("--database", metavar="URL",
                        help="databasens adress (standard: MOGNAD_DATABASE_URL, annars data/mognad.sqlite)")


# -- plumbing ---------------------------------------------------------------------------------------------

class Refused(Exception):
    """Bad input: lines to show, one per problem, already in the user's language."""

    def __init__(self, lines: list[str], code: int = EXIT_BAD_INPUT):
        super().__init__("; ".join(lines))
        self.lines, self.code = lines, code


def _text(args, code: str, **params) -> str:
    return MESSAGES.render(code, args.lang, **params)


def _guarded(handler):
    """Refusals, store errors and workbook problems become one-line messages and exit codes, not tracebacks."""
    def run(args) -> int:
        from reports.pdf import PdfUnavailable
        from reports.problems import WorkbookError

        try:
            return handler(args)
        except Refused as refused:
            for line in refused.lines:
                print(f"mognad: {line}", file=sys.stderr)
            return refused.code
        except PdfUnavailable as missing:
            print(f"mognad: {missing.message(args.lang)}", file=sys.stderr)
            return EXIT_NO_PDF
        except WorkbookError as error:
            for problem in error.problems:
                print(f"mognad: {problem.render(args.lang)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except Exception as error:
            store_error = _store_error(error, args)
            if store_error is None:
                raise
            return store_error
    run.__name__ = handler.__name__
    return run


def _store_error(error: Exception, args) -> int | None:
    if "store.errors" not in sys.modules:
        return None
    from store.errors import Invalid, StoreError, StoreUnavailable

    if isinstance(error, StoreUnavailable):
        print(f"mognad: {error.message(args.lang)}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if isinstance(error, Invalid):
        for line in error.lines(args.lang):
            print(f"mognad: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(error, StoreError):
        print(f"mognad: {error.message(args.lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return None


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


def _write(args, data: bytes | str) -> int:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        write_atomically(args.output, raw)
    except OSError as error:
        raise Refused([f"{args.output}: {_text(args, 'unwritable', reason=error.strerror or error)}"]) from None
    print(_text(args, "written", path=args.output, size=len(raw)))
    return EXIT_OK


def _peer_by(args) -> str:
    return "size_group" if args.peer_group == "size" else "nuts2"


def _render_region(args, report) -> bytes | str:
    if args.format == "xlsx":
        from reports.planbook import plan_workbook

        return plan_workbook(report, args.lang)
    from reports.html import render_region_html

    html = render_region_html(report, args.lang)
    if args.format == "pdf":
        from reports.pdf import html_to_pdf

        return html_to_pdf(html)
    return html


# -- report from an answers file (no database) --------------------------------------------------------------

@_guarded
def report_command(args) -> int:
    if args.answers is not None:
        return _report_from_answers(args)
    if not args.round:
        raise Refused([_text(args, "needs_round")])
    if args.national:
        return _national_report(args)
    return _region_report(args)


def _report_from_answers(args) -> int:
    from reports.model import region_report_from_answers

    source = str(args.answers)
    try:
        raw = args.answers.read_bytes()
    except OSError as error:
        raise Refused([f"{source}: {_text(args, 'unreadable', reason=error.strerror or error)}"]) from None
    given = None
    if args.questionnaire is not None:
        try:
            given = load(args.questionnaire)
        except QuestionnaireError as error:
            raise Refused([p.render(args.lang) for p in error.problems]) from None
    try:
        answers, q = parse(raw, find, [r.code for r in load_regions()], given)
    except AnswersError as error:
        raise Refused([p.render(args.lang, source) for p in error.problems]) from None
    report = region_report_from_answers(answers, q, peer_by=_peer_by(args), k=args.min_group)
    return _write(args, _render_region(args, report))


# -- reports from the database ------------------------------------------------------------------------------

def _database(args):
    from store.database import Database

    db = Database(args.database)
    db.require_schema()
    return db


def _scores_for(db, actor, ref: str, rounds: list[str], include_drafts: bool, region: str | None = None):
    """(sheet, comments, scores) for `rounds`, only submitted/locked assessments unless drafts are wanted.

    A region's own report always includes its own assessment, whatever its status.
    """
    from scoring import score
    from store.assessments import list_assessments
    from store.frames import answer_sheet

    q = db.questionnaire(ref)
    sheet, comments = answer_sheet(db, actor, ref, rounds=rounds)
    if not include_drafts:
        keep = {(a.region, a.round) for label in rounds for a in list_assessments(db, actor, label)
                if a.status in SUBMITTED or a.region == region}
        pairs = list(zip(sheet["region"].astype(str), sheet["round"].astype(str), strict=True))
        sheet = sheet[[pair in keep for pair in pairs]].reset_index(drop=True)
        if len(comments):
            pairs = list(zip(comments["region"].astype(str), comments["round"].astype(str), strict=True))
            comments = comments[[pair in keep for pair in pairs]].reset_index(drop=True)
    return q, sheet, comments, score(sheet, q)


def _rounds_upto(db, actor, label: str) -> tuple[str, list[str]]:
    """The round's questionnaire and the rounds with that questionnaire up to `label`, oldest first."""
    from store.rounds import get_round, list_rounds

    chosen = get_round(db, actor, label)
    rounds = [r.label for r in list_rounds(db, actor) if r.questionnaire == chosen.questionnaire]
    return chosen.questionnaire, rounds[: rounds.index(label) + 1]


def _region_report(args) -> int:
    from reports.model import Comment, region_report
    from store.assessments import get_assessment
    from store.identity import system_identity
    from store.plans import plan_items

    regions = {r.code: r for r in load_regions()}
    if args.region not in regions:
        raise Refused([_text(args, "unknown_region", value=args.region)])
    db = _database(args)
    actor = system_identity()
    ref, rounds = _rounds_upto(db, actor, args.round)
    assessment = get_assessment(db, actor, args.region, args.round)
    q, sheet, comments, scores = _scores_for(db, actor, ref, rounds, args.include_drafts, args.region)
    if (args.region, args.round) not in scores.overall.index:
        raise Refused([_text(args, "no_data", region=regions[args.region].name, round=args.round)])
    roles = {(r.region, r.round, r.respondent): r.role for r in sheet[["region", "round", "respondent", "role"]]
             .astype(str).itertuples(index=False)}
    own = comments[(comments["region"] == args.region) & (comments["round"] == args.round)] if len(comments) else comments
    notes = [Comment(row.indicator, roles.get((row.region, row.round, row.respondent), ""), row.comment)
             for row in own.itertuples(index=False)]
    items = plan_items(db, actor, assessment.id)
    report = region_report(scores, q, args.region, args.round, sheet=sheet, comments=notes,
                           items=items or None, rounds=rounds, peer_by=_peer_by(args), k=args.min_group)
    return _write(args, _render_region(args, report))


def _national_report(args) -> int:
    from reports.model import national_report
    from store.identity import system_identity

    if args.format == "pdf":
        raise Refused([_text(args, "national_pdf")])
    db = _database(args)
    actor = system_identity()
    ref, rounds = _rounds_upto(db, actor, args.round)
    q, _, _, scores = _scores_for(db, actor, ref, rounds, args.include_drafts)
    if args.round not in set(scores.overall.index.get_level_values("round")):
        raise Refused([_text(args, "no_round_data", round=args.round)])
    report = national_report(scores, q, args.round, rounds=rounds, named=args.named, peer_by=_peer_by(args),
                             k=args.min_group)
    if args.format == "xlsx":
        from reports.opendata import national_workbook

        return _write(args, national_workbook(report, args.lang))
    from reports.html import render_national_html

    return _write(args, render_national_html(report, args.lang))


@_guarded
def export_command(args) -> int:
    from reports.opendata import data_dictionary, open_data, open_data_workbook, to_csv
    from store.identity import system_identity
    from store.rounds import get_round, list_rounds

    db = _database(args)
    actor = system_identity()
    known = list_rounds(db, actor)
    if args.round:
        for label in args.round:
            get_round(db, actor, label)  # an unknown round is an error, not an empty export
    ref = args.questionnaire or (
        next((r.questionnaire for r in reversed(known) if r.label in args.round), None) if args.round
        else (known[-1].questionnaire if known else None))
    if ref is None:
        raise Refused([_text(args, "no_export_data")])
    rounds = [r.label for r in known if r.questionnaire == ref and (not args.round or r.label in args.round)]
    q, _, _, scores = _scores_for(db, actor, ref, rounds, args.include_drafts)
    if not len(scores.overall):
        raise Refused([_text(args, "no_export_data")])
    data = open_data(scores, q, args.lang, rounds=rounds, named=args.named)
    if args.format == "xlsx":
        return _write(args, open_data_workbook(data, args.lang))
    table = data_dictionary(args.lang, args.named) if args.table == "dictionary" else data.tables[args.table]
    return _write(args, to_csv(table, args.lang))


# -- the offline template -----------------------------------------------------------------------------------

@_guarded
def template_command(args) -> int:
    from reports.offline import answers_template

    regions = {r.code for r in load_regions()}
    if args.region not in regions:
        raise Refused([_text(args, "unknown_region", value=args.region)])
    q = _questionnaire(args)
    data = answers_template(q, args.region, args.round, args.lang)
    status = _write(args, data)
    print(_text(args, "template_answers", path=args.output))
    return status


def _questionnaire(args):
    shipped = sorted(bundled())
    ref = args.questionnaire
    if ref is None:
        if DEFAULT_QUESTIONNAIRE in shipped:
            ref = DEFAULT_QUESTIONNAIRE
        elif len(shipped) == 1:
            ref = shipped[0]
        else:
            raise Refused([_text(args, "no_default_questionnaire", known=", ".join(shipped) or "–")])
    if ref in shipped:
        return find(ref)
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.exists():
        try:
            return load(path)
        except QuestionnaireError as error:
            raise Refused([p.render(args.lang) for p in error.problems]) from None
    raise Refused([_text(args, "unknown_questionnaire", value=ref, known=", ".join(shipped) or "–")])


