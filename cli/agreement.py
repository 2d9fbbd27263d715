"""`mognad agreement ROUND`: inter-rater agreement per indicator for a pilot round (docs/pilot.md)."""

from __future__ import annotations

import json

from cli.common import EXIT_OK, MESSAGES, database_option, guarded, open_database
from questionnaires.text import Catalogue

TEXTS = Catalogue({
    "header": {"sv": "Indikator|Alfa|Regioner med två bedömare|Nivåsvar",
               "en": "Indicator|Alpha|Regions with two raters|Level answers"},
    "weak": {"sv": "{n} indikatorer under 0,667 – se över deras nivåbeskrivningar: {ids}",
             "en": "{n} indicators below 0.667 – review their level descriptors: {ids}"},
    "none_weak": {"sv": "Alla beräkningsbara indikatorer når 0,667.", "en": "Every computable indicator reaches 0.667."},
}, base=MESSAGES)
THRESHOLD = 0.667  # Krippendorff's lowest acceptable alpha for tentative conclusions


def register(commands) -> None:
    p = commands.add_parser("agreement", help="samstämmighet mellan bedömare i en pilot / inter-rater agreement")
    p.add_argument("round", metavar="ROUND")
    p.add_argument("--format", choices=["table", "json"], default="table")
    database_option(p)
    p.set_defaults(handler=agreement_command)


@guarded
def agreement_command(args) -> int:
    from reports import formatting as fmt
    from service.agreement import agreement
    from store.identity import system_identity

    rows = agreement(open_database(args), system_identity(), args.round)
    if args.format == "json":
        print(json.dumps([{"indicator": r.indicator, "alpha": None if r.alpha is None else round(r.alpha, 3),
                           "regions": r.regions, "ratings": r.ratings} for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    head = TEXTS.render("header", args.lang).split("|")
    print(f"{head[0]:<10} {head[1]:>6}  {head[2]:>26}  {head[3]:>10}")
    for r in rows:
        print(f"{r.indicator:<10} {fmt.decimal(r.alpha, args.lang, 3):>6}  {r.regions:>26}  {r.ratings:>10}")
    weak = [r.indicator for r in rows if r.alpha is not None and r.alpha < THRESHOLD]
    print(TEXTS.render("weak", args.lang, n=len(weak), ids=", ".join(weak)) if weak
          else TEXTS.render("none_weak", args.lang))
    return EXIT_OK
