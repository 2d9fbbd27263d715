"""`mognad report`, `mognad template`, `mognad export`: reports and exchange files from the shell.

`report --answers FILE` needs no database: it scores one answers file and renders it. The other forms read
the database as the local system identity (shell access = administrator, as for the other data commands).
National reports and exports count only submitted and locked assessments unless --include-drafts is given,
and anonymise regions (Region A, B, …) unless --named is given: the publication rule.

Exit codes: 0 ok, 2 bad input (one line per problem on stderr), 4 database unavailable, 5 PDF not
available. A file is written whole or not at all.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import (
    DEFAULT_QUESTIONNAIRE,
    Refused,
    database_option,
    default_questionnaire,
    guarded,
    open_database,
    read_input,
    write_output,
)
from questionnaires.regions import load_regions
from questionnaires.text import Catalogue

MESSAGES = Catalogue({
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
    database_option(p)
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
    database_option(p)
    p.set_defaults(handler=export_command)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: 1, 2, 3 …")
    return value


def _text(args, code: str, **params) -> str:
    return MESSAGES.render(code, args.lang, **params)


# -- report from an answers file (no database) --------------------------------------------------------------

@guarded
def report_command(args) -> int:
    if args.answers is not None:
        return _report_from_answers(args)
    if not args.round:
        raise Refused([_text(args, "needs_round")])
    if args.national:
        return _national_report(args)
    return _region_report(args)


def _report_from_answers(args) -> int:
    from questionnaires import QuestionnaireError, load
    from reports.model import region_report_from_answers
    from service.answers import read_answers
    from service.reports import peer_key, render_region

    source = str(args.answers)
    raw = read_input(args, args.answers)
    given = None
    if args.questionnaire is not None:
        try:
            given = load(args.questionnaire)
        except QuestionnaireError as error:
            raise Refused([p.render(args.lang) for p in error.problems]) from None
    result = read_answers(source, raw, lang=args.lang, questionnaire=given)
    if isinstance(result, list):
        raise Refused(result)
    answers, q = result
    report = region_report_from_answers(answers, q, peer_by=peer_key(args.peer_group), k=args.min_group,
                                        lang=args.lang)
    return write_output(args, render_region(report, args.format, args.lang))


# -- reports from the database ------------------------------------------------------------------------------

def _region_report(args) -> int:
    from service.reports import NoResults, region_report, render_region
    from store.identity import system_identity

    regions = {r.code: r for r in load_regions()}
    if args.region not in regions:
        raise Refused([_text(args, "unknown_region", value=args.region)])
    db = open_database(args)
    try:
        report = region_report(db, system_identity(), args.region, args.round, peer_by=args.peer_group,
                               lang=args.lang, include_drafts=args.include_drafts, k=args.min_group)
    except NoResults:
        raise Refused([_text(args, "no_data", region=regions[args.region].name, round=args.round)]) from None
    return write_output(args, render_region(report, args.format, args.lang))


def _national_report(args) -> int:
    from service.reports import NoResults, national_report
    from store.identity import system_identity

    if args.format == "pdf":
        raise Refused([_text(args, "national_pdf")])
    db = open_database(args)
    try:
        report = national_report(db, system_identity(), args.round, named=args.named, lang=args.lang,
                                 include_drafts=args.include_drafts, peer_by=args.peer_group, k=args.min_group)
    except NoResults:
        raise Refused([_text(args, "no_round_data", round=args.round)]) from None
    if args.format == "xlsx":
        from reports.national_workbook import national_workbook

        return write_output(args, national_workbook(report, args.lang))
    from reports.national_html import render_national_html

    return write_output(args, render_national_html(report, args.lang))


@guarded
def export_command(args) -> int:
    from reports.opendata import data_dictionary, open_data_workbook, to_csv
    from service.opendata import open_data_tables
    from service.reports import NoResults
    from store.identity import system_identity

    db = open_database(args)
    try:
        data = open_data_tables(db, system_identity(), rounds=args.round, questionnaire=args.questionnaire,
                                named=args.named, include_drafts=args.include_drafts, lang=args.lang)
    except NoResults:
        raise Refused([_text(args, "no_export_data")]) from None
    if args.format == "xlsx":
        return write_output(args, open_data_workbook(data, args.lang))
    table = data_dictionary(args.lang, args.named, data.q.method) if args.table == "dictionary" \
        else data.tables[args.table]
    return write_output(args, to_csv(table, args.lang))


# -- the offline template -----------------------------------------------------------------------------------

@guarded
def template_command(args) -> int:
    from reports.offline import answers_template

    regions = {r.code for r in load_regions()}
    if args.region not in regions:
        raise Refused([_text(args, "unknown_region", value=args.region)])
    q = _questionnaire(args)
    data = answers_template(q, args.region, args.round, args.lang)
    status = write_output(args, data)
    print(_text(args, "template_answers", path=args.output))
    return status


def _questionnaire(args):
    from questionnaires import QuestionnaireError, bundled, find, load

    shipped = sorted(bundled())
    ref = args.questionnaire or default_questionnaire(args)
    if ref in shipped:
        return find(ref)
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.exists():
        try:
            return load(path)
        except QuestionnaireError as error:
            raise Refused([p.render(args.lang) for p in error.problems]) from None
    raise Refused([_text(args, "unknown_questionnaire", value=ref, known=", ".join(shipped) or "–")])
