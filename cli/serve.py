"""`mognad serve`: start the Streamlit app with production-safe flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, text

# asgi_app.py: Streamlit's server with mognad's own routes (the session cookie, invitation and reset links)
ENTRY = Path(__file__).resolve().parents[1] / "asgi_app.py"

# No tracebacks in the browser, no telemetry, no file watcher, a bounded upload size (MB).
FLAGS = [
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
    "--server.fileWatcherType=none",
    "--client.showErrorDetails=none",
    "--client.toolbarMode=viewer",
    "--server.maxUploadSize=10",
    # No full collection after every script run: with 30 sessions it held the GIL for over half the server's
    # time (bench/load.py, py-spy). Python's own generational collector still runs, so memory stays bounded
    # (app/heap.py freezes the long-lived heap once, which keeps those collections short).
    "--runner.postScriptGC=false",
    "--theme.base=light",
    "--theme.primaryColor=#1f5f8b",  # 6.9:1 against white (WCAG AA)
]


def register(commands) -> None:
    p = commands.add_parser("serve", help="starta webbappen / start the web app")
    p.add_argument("--port", type=int, default=int(os.environ.get("MOGNAD_PORT", "8501")))
    p.add_argument("--address", default=os.environ.get("MOGNAD_ADDRESS", "localhost"))
    p.add_argument("--dev", action="store_true", help="show error details in the browser (development only)")
    p.set_defaults(handler=serve)


def command(port: int, address: str, dev: bool = False) -> list[str]:
    flags = [f for f in FLAGS if not (dev and f.startswith("--client.showErrorDetails"))]
    return [sys.executable, "-m", "streamlit", "run", str(ENTRY), *flags,
            f"--server.port={port}", f"--server.address={address}"]


def serve(args) -> int:
    if not ENTRY.exists():
        print(f"mognad: {text(args, 'no_entry', path=ENTRY)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(text(args, "starting", url=f"http://{args.address}:{args.port}"), flush=True)
    argv = command(args.port, args.address, args.dev)
    if hasattr(os, "execv"):
        # Become the server: SIGTERM and SIGINT from a supervisor, a container runtime or Ctrl+C then reach
        # Streamlit itself, which closes its sessions and connections and frees the port. A waiting wrapper
        # would die alone and leave the server running.
        os.execv(argv[0], argv)
    return subprocess.call(argv)  # pragma: no cover — platforms without exec
