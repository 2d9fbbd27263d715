"""`mognad publish`: the open data of the published rounds, for dataportal.se.

    mognad publish --round LABEL -o DIR [--catalogue-only] [--database URL]

Writes into DIR the Frictionless data package (datapackage.json, a machine CSV and a Swedish Excel CSV per
table) of round LABEL and every earlier published round, then the DCAT-AP-SE catalogue (catalog.rdf for the
portal, catalog.ttl to read). `--catalogue-only` writes only the catalogue. The publisher comes from
MOGNAD_PUBLISHER_NAME, _ORGNR, _EMAIL, _URL and MOGNAD_LICENSE (docs/publication.md).

Reads the database as the local system identity. Each file is written whole or not at all, the catalogue
last, so a harvester never finds a catalogue pointing at files not yet there. Exit codes: 0 ok, 2 bad input
(an unpublished or unknown round, a missing or bad setting — one line per problem), 4 database unavailable.
"""

from __future__ import annotations

import os
from pathlib import Path

from cli.common import Refused, database_option, guarded, open_database, say, text, write_atomically
from questionnaires.text import Catalogue

MESSAGES = Catalogue({
    "harvest": {"sv": "katalogen för dataportal.se: {url}", "en": "the catalogue for dataportal.se: {url}"},
    "no_submitted": {"sv": "omgång {round} har inga inlämnade bedömningar att publicera",
                     "en": "round {round} has no submitted assessments to publish"},
})


def register(commands) -> None:
    p = commands.add_parser("publish", help="öppna data för dataportal.se: datapaket och DCAT-AP-SE-katalog / "
                                            "open data for dataportal.se: data package and DCAT-AP-SE catalogue")
    p.add_argument("--round", required=True, metavar="LABEL",
                   help="den publicerade omgången (tidigare publicerade omgångar följer med) / the published round")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="katalogen att skriva i / directory")
    p.add_argument("--catalogue-only", action="store_true",
                   help="skriv bara DCAT-katalogen / write only the DCAT catalogue")
    database_option(p)
    p.set_defaults(handler=publish_command)


@guarded
def publish_command(args) -> int:
    from service.publication import PublicationRefused, publication, publisher_from_environment
    from service.reports import NoResults
    from store.identity import system_identity

    try:
        publisher = publisher_from_environment(os.environ)
        db = open_database(args)
        result = publication(db, system_identity(), args.round, publisher=publisher,
                             catalogue_only=args.catalogue_only)
    except PublicationRefused as refused:
        raise Refused(refused.lines(args.lang)) from None
    except NoResults:
        raise Refused([MESSAGES.render("no_submitted", args.lang, round=args.round)]) from None
    directory: Path = args.output
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in result.files.items():
            write_atomically(directory / name, data)
            say(args, "written", path=directory / name, size=len(data))
    except OSError as error:
        raise Refused([f"{directory}: {text(args, 'unwritable', reason=error.strerror or error)}"]) from None
    print(MESSAGES.render("harvest", args.lang, url=publisher.url("catalog.rdf")))
    return 0
