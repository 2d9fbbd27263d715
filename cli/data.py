"""`mognad db|users|rounds|demo|backup|restore|import`: the data store from the shell.

The command line acts as the local system identity: whoever has shell access to the server (and so to
the database file or URL) is its administrator. Every change is recorded in the audit log as
"system:<login name>". Exit codes: 0 ok, 2 bad input (one line per problem on stderr), 4 database
unavailable. A database that has never been set up is created on first use; one with an older schema
needs `mognad db upgrade` first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    database_parent,
    default_questionnaire,
    guarded,
    open_database,
    read_input,
    text,
)
from questionnaires.text import Catalogue

# Only the light parts of the store at the top: the roles the parsers offer and the messages. The store's
# operations (SQLAlchemy, Alembic, pandas) are imported by the command that runs them, so that `mognad --help`
# and every other command do not pay for them (issue 15).
from store.identity import NATIONAL_ROLES, REGIONAL_ROLES, system_identity
from store.messages import ROLES, region_label

MESSAGES = Catalogue({
    "upgraded": {"sv": "databasen {url} har schemaversion {revision}", "en": "the database {url} has schema version {revision}"},
    "user_added": {"sv": "kontot {email} skapades", "en": "the account {email} was created"},
    "oidc_only": {"sv": "kontot har inget lösenord och kan bara logga in via OIDC", "en": "the account has no password and can only sign in through OIDC"},
    "user_disabled": {"sv": "kontot {email} är avstängt", "en": "the account {email} is disabled"},
    "regions_mismatch": {"sv": "ange lika många --region som --region-role", "en": "give as many --region as --region-role"},
    "no_password_line": {"sv": "inget lösenord på standard in", "en": "no password on standard input"},
    "round_opened": {"sv": "mätomgången {label} är öppnad ({questionnaire})", "en": "the round {label} is open ({questionnaire})"},
    "round_closed": {"sv": "mätomgången {label} är stängd", "en": "the round {label} is closed"},
    "round_published": {"sv": "mätomgången {label} är publicerad", "en": "the round {label} is published"},
    "demo_loaded": {"sv": "FIKTIVA demodata inlästa: {assessments} bedömningar, {respondents} respondenter, {answers} svar ({questionnaire})",
                    "en": "FICTIONAL demo data loaded: {assessments} assessments, {respondents} respondents, {answers} answers ({questionnaire})"},
    "demo_skipped": {"sv": "databasen innehåller redan data; inga demodata lästes in "
                           "(nya demolösenord: 'mognad demo --force' ersätter allt med nya demodata)",
                     "en": "the database already holds data; no demo data were loaded "
                           "(new demo passwords: 'mognad demo --force' replaces everything with fresh demo data)"},
    "backed_up": {"sv": "säkerhetskopia skriven till {path} ({rows} rader, {size} byte)",
                  "en": "backup written to {path} ({rows} rows, {size} bytes)"},
    "restored": {"sv": "databasen återställd från {path} ({rows} rader)", "en": "the database was restored from {path} ({rows} rows)"},
    "imported": {"sv": "{region}, omgång {round}: {written} svar sparade, {created} nya och {matched} befintliga respondenter",
                 "en": "{region}, round {round}: {written} answers saved, {created} new and {matched} existing respondents"},
    "unknown_kind": {"sv": "okänd filtyp '{suffix}' (använd .json eller .xlsx)", "en": "unknown file type '{suffix}' (use .json or .xlsx)"},
    "no_users": {"sv": "inga konton ännu", "en": "no accounts yet"},
})


def register(commands) -> None:
    common = database_parent()
    p = commands.add_parser("db", help="databasen / the database")
    sub = p.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    q = sub.add_parser("upgrade", parents=[common], help="skapa eller uppgradera schemat / create or upgrade the schema")
    q.set_defaults(handler=db_upgrade)

    p = commands.add_parser("users", help="konton och roller / accounts and roles")
    sub = p.add_subparsers(dest="users_command", required=True, metavar="COMMAND")
    q = sub.add_parser("add", parents=[common], help="skapa ett konto / create an account")
    q.add_argument("email")
    q.add_argument("--name", required=True)
    secret = q.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help="läs lösenordet från standard in / read the password from stdin")
    secret.add_argument("--password", help="lösenord (syns i processlistan; hellre --password-stdin)")
    q.add_argument("--national", choices=NATIONAL_ROLES)
    q.add_argument("--region", action="append", default=[], metavar="CODE")
    q.add_argument("--region-role", action="append", default=[], choices=REGIONAL_ROLES)
    q.set_defaults(handler=users_add)
    q = sub.add_parser("list", parents=[common], help="lista konton / list accounts")
    q.set_defaults(handler=users_list)
    q = sub.add_parser("disable", parents=[common], help="stäng av ett konto / disable an account")
    q.add_argument("email")
    q.set_defaults(handler=users_disable)

    p = commands.add_parser("rounds", help="mätomgångar / measurement rounds")
    sub = p.add_subparsers(dest="rounds_command", required=True, metavar="COMMAND")
    q = sub.add_parser("open", parents=[common], help="öppna en omgång / open a round")
    q.add_argument("label")
    q.add_argument("--questionnaire", metavar="ID@VERSION")
    q.set_defaults(handler=rounds_open)
    for name, handler, helptext in (("close", rounds_close, "stäng en omgång / close a round"),
                                ("publish", rounds_publish, "publicera en stängd omgång / publish a closed round")):
        q = sub.add_parser(name, parents=[common], help=helptext)
        q.add_argument("label")
        q.set_defaults(handler=handler)
    q = sub.add_parser("list", parents=[common], help="lista omgångar / list rounds")
    q.set_defaults(handler=rounds_list)

    p = commands.add_parser("demo", parents=[common], help="läs in FIKTIVA demodata / load FICTIONAL demo data")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--force", action="store_true", help="ersätt allt som finns i databasen / replace everything in the database")
    when.add_argument("--if-empty", action="store_true",
                      help="läs bara in om databasen är tom, annars gör inget / load only into an empty database")
    p.set_defaults(handler=demo_command)

    p = commands.add_parser("backup", parents=[common], help="säkerhetskopiera till en JSON-fil / back up to a JSON file")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=backup_command)
    p = commands.add_parser("restore", parents=[common], help="återställ från en säkerhetskopia / restore a backup")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="ersätt allt som finns i databasen / replace everything in the database")
    p.set_defaults(handler=restore_command)
    p = commands.add_parser("import", parents=[common], help="importera en svarsfil (.json, .xlsx) / import answers")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=import_command)


# -- plumbing ---------------------------------------------------------------------------------------------

def _say(args, code: str, **params) -> None:
    print(MESSAGES.render(code, args.lang, **params))


def _fail(args, lines: list[str], source: str | None = None) -> int:
    for line in lines:
        print(f"{source}: {line}" if source else f"mognad: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _open(args, create: bool = True):
    return open_database(args, create=create)


# -- commands ---------------------------------------------------------------------------------------------

@guarded
def db_upgrade(args) -> int:
    from store.database import Database

    db = Database(args.database)
    revision = db.upgrade()
    _say(args, "upgraded", url=db.display_url, revision=revision)
    return EXIT_OK


@guarded
def users_add(args) -> int:
    from store import users

    if len(args.region) != len(args.region_role):
        return _fail(args, [MESSAGES.render("regions_mismatch", args.lang)])
    password = args.password
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            return _fail(args, [MESSAGES.render("no_password_line", args.lang)])
        password = line.rstrip("\r\n")
    db = _open(args)
    user = users.create_user(db, system_identity(), args.email, args.name, password=password,
                             national_role=args.national, regions=dict(zip(args.region, args.region_role, strict=True)))
    _say(args, "user_added", email=user.email)
    if not user.has_password:
        _say(args, "oidc_only")
    return EXIT_OK


@guarded
def users_list(args) -> int:
    from store import users

    db = _open(args)
    found = users.list_users(db, system_identity())
    if not found:
        _say(args, "no_users")
        return EXIT_OK
    head = tuple(text(args, "users_header").split("|"))
    rows = []
    for user in found:
        roles = [ROLES[user.national_role][args.lang]] if user.national_role else []
        roles += [f"{code}:{role}" for code, role in user.regions.items()]
        status = text(args, "account_disabled" if user.disabled else "account_active")
        rows.append((user.email, user.name, ", ".join(roles) or "–",
                     text(args, "has_password" if user.has_password else "no_password"), status))
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


@guarded
def users_disable(args) -> int:
    from store import users

    db = _open(args)
    users.disable_user(db, system_identity(), args.email)
    _say(args, "user_disabled", email=args.email.strip().lower())
    return EXIT_OK


@guarded
def rounds_open(args) -> int:
    from store import rounds

    ref = args.questionnaire or default_questionnaire(args)
    db = _open(args)
    opened = rounds.open_round(db, system_identity(), args.label, ref)
    _say(args, "round_opened", label=opened.label, questionnaire=opened.questionnaire)
    return EXIT_OK


@guarded
def rounds_close(args) -> int:
    from store import rounds

    db = _open(args)
    closed = rounds.close_round(db, system_identity(), args.label)
    _say(args, "round_closed", label=closed.label)
    return EXIT_OK


@guarded
def rounds_publish(args) -> int:
    from store import rounds

    db = _open(args)
    published = rounds.publish_round(db, system_identity(), args.label)
    _say(args, "round_published", label=published.label)
    return EXIT_OK


@guarded
def rounds_list(args) -> int:
    from store import rounds

    db = _open(args)
    for found in rounds.list_rounds(db, system_identity()):
        state = text(args, "round_open" if found.open else "round_closed")
        if found.published:
            state += text(args, "round_published")
        print(f"{found.label:<12} {found.questionnaire:<28} {state}")
    return EXIT_OK


@guarded
def demo_command(args) -> int:
    from store import demo
    from store.database import Database

    db = Database(args.database)
    if args.if_empty and not db.is_empty():
        _say(args, "demo_skipped")
        return EXIT_OK
    result = demo.load_demo(db, force=args.force)
    _say(args, "demo_loaded", assessments=result.assessments, respondents=result.respondents, answers=result.answers,
         questionnaire=result.questionnaire)
    print(demo.credentials_text(result, args.lang))
    return EXIT_OK


@guarded
def backup_command(args) -> int:
    from store import backups

    db = _open(args, create=False)
    summary = backups.backup(db, args.file)
    _say(args, "backed_up", path=summary.path, rows=sum(summary.rows.values()), size=summary.bytes)
    return EXIT_OK


@guarded
def restore_command(args) -> int:
    from store import backups
    from store.database import Database

    args.source = str(args.file)
    db = Database(args.database)
    summary = backups.restore(db, args.file, force=args.force)
    _say(args, "restored", path=summary.path, rows=sum(summary.rows.values()))
    return EXIT_OK


@guarded
def import_command(args) -> int:
    from service.answers import read_answers
    from store import imports
    from store.errors import NotFound

    args.source = str(args.file)
    suffix = args.file.suffix.lower()
    if suffix not in (".json", ".xlsx"):
        return _fail(args, [MESSAGES.render("unknown_kind", args.lang, suffix=suffix or "–")], args.source)
    raw = read_input(args, args.file)
    db = _open(args)

    def resolve(ref: str):
        try:
            return db.questionnaire(ref)
        except NotFound:
            raise KeyError(ref) from None

    result = read_answers(args.source, raw, lang=args.lang, resolve=resolve)
    if isinstance(result, list):  # each line already names the file and the place
        for line in result:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    answers, _ = result
    result = imports.import_answers(db, system_identity(), answers)
    _say(args, "imported", region=region_label(result.region), round=result.round, written=result.answers_written,
         created=result.respondents_created, matched=result.respondents_matched)
    return EXIT_OK
