"""`mognad` — the command line: parsing and printing only; the work is done by service/ and the floors below.

Every command group registers itself here, statically; cli/common.py holds what they share. A group's
module imports only what its parsers need; its handlers import the store, the method, the service and the
renderers when they run, so that `mognad --help` starts in a fraction of a second (issue 15,
tests/test_cli_imports.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import agreement, data, instrument, publish, reporting, serve
from cli.common import last_line
from questionnaires.text import normalise_language

COMMAND_GROUPS = (instrument, serve, data, reporting, publish, agreement)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="mognad",
        description="Regional analys av strukturer för validering – mäta, jämföra, planera.",
    )
    root.add_argument("--lang", choices=["sv", "en"], default=None,
                      help="språk för meddelanden / language of messages (default: MOGNAD_LANG or sv)")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.lang = normalise_language(args.lang or os.environ.get("MOGNAD_LANG"))
    return last_line(args, lambda: args.handler(args))


def run() -> None:
    sys.exit(main())
