"""`mognad` — the command line. Each command group lives in its own module and registers itself here.

Bad input ends with a clear message and an exit code, never a traceback (MOGNAD_DEBUG=1 shows one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from app.cli import instrument
from questionnaires.text import normalise_language

COMMAND_GROUPS = [instrument]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="mognad",
        description="Regional analys av strukturer för validering – mäta, jämföra, planera.",
    )
    root.add_argument("--lang", choices=["sv", "en"], default=None,
                      help="språk för meddelanden / language of messages (default: MOGNAD_LANG or sv)")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in _groups():
        group.register(commands)
    return root


def _groups():
    groups = list(COMMAND_GROUPS)
    for name in ("app.cli.serve", "app.cli.data", "app.cli.reporting"):
        try:
            groups.append(__import__(name, fromlist=["register"]))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return groups


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.lang = normalise_language(args.lang or os.environ.get("MOGNAD_LANG"))
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one readable line, never a traceback
        if os.environ.get("MOGNAD_DEBUG"):
            raise
        what = "internt fel" if args.lang == "sv" else "internal error"
        print(f"mognad: {what}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3


def run() -> None:
    sys.exit(main())
