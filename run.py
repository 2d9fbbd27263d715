#!/usr/bin/env python3
"""mognad's two commands. Needs only Python ≥ 3.11; everything else is set up on first use.

    python3 run.py app     set up, create the local database with fictional demo data, start the app
    python3 run.py test    set up and run the whole test suite (PostgreSQL and Chromium included)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
CACHE = ROOT / ".cache"


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def sh(*cmd: str | Path, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def setup(extras: str) -> None:
    """Create .venv and install mognad with `extras`; skipped when nothing changed since last time."""
    if sys.version_info < (3, 11):  # noqa: UP036 — run.py runs under whatever python3 the machine has
        sys.exit("mognad needs Python 3.11 or newer")
    if not PY.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing mognad[{extras}] into .venv (first run takes a few minutes)")
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extras}]" if extras else str(ROOT))
    stamp.write_text(digest)


def app(args: list[str]) -> int:
    setup("postgres,pdf")
    env = dict(os.environ)
    env.setdefault("MOGNAD_DATA_DIR", str(ROOT / "data"))
    mognad = BIN / "mognad"
    sh(mognad, "db", "upgrade", env=env)
    sh(mognad, "demo", "--if-empty", env=env)
    return subprocess.call([str(mognad), "serve", *args], env=env)


# -- test ---------------------------------------------------------------------------------------------------

def apt_install(*packages: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say(f"cannot install {', '.join(packages)} (needs root and apt-get); the tests that need them will say so")
        return
    say(f"installing {', '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh("apt-get", "update", "-qq", env=env)
    sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env,
       stdout=subprocess.DEVNULL)


def pg_bin() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if candidates:
        return candidates[0].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, callable] | None:
    """A throwaway PostgreSQL cluster on loopback for the store tests; (url, stop) or None."""
    if pg_bin() is None:
        apt_install("postgresql")
    bindir = pg_bin()
    if bindir is None:
        return None
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []  # initdb refuses to run as root
    datadir = Path(tempfile.mkdtemp(prefix="mognad-pg-"))
    if as_root:
        shutil.chown(datadir, "postgres", "postgres")
    port = free_port()
    say(f"starting PostgreSQL on 127.0.0.1:{port}")
    quiet = {"stdout": subprocess.DEVNULL}
    sh(*run_as, bindir / "initdb", "-D", datadir, "-A", "trust", "-U", "mognad", "--no-sync", **quiet)
    sh(*run_as, bindir / "pg_ctl", "-D", datadir, "-l", datadir / "server.log", "-w", "start",
       "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {datadir} -c fsync=off", **quiet)
    sh(*run_as, bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "mognad", "mognad_test")

    def stop() -> None:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(datadir, ignore_errors=True)

    return f"postgresql+psycopg://mognad@127.0.0.1:{port}/mognad_test", stop


def ensure_browser() -> None:
    missing = [] if Path("/usr/bin/chromium").exists() else ["chromium", "fonts-dejavu-core"]
    if not shutil.which("soffice"):  # the plan workbook's round trip through LibreOffice
        missing.append("libreoffice-calc-nogui")
    if not shutil.which("haproxy"):  # the reverse proxy of deploy/, in front of two replicas
        missing.append("haproxy")
    if missing:
        apt_install(*missing)
    axe = CACHE / "node" / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists() and shutil.which("npm"):
        say("installing axe-core (npm) into .cache/node")
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CACHE / "node"),
                        "axe-core@4"], check=False)


def test(args: list[str]) -> int:
    setup("test,postgres,pdf")
    ensure_browser()
    env = dict(os.environ)
    stop = None
    if not env.get("MOGNAD_TEST_POSTGRES_URL"):
        started = start_postgres()
        if started:
            env["MOGNAD_TEST_POSTGRES_URL"], stop = started
    try:
        say("ruff")
        lint = subprocess.call([str(BIN / "ruff"), "check", "."], cwd=ROOT)
        say("pytest")
        started_at = time.monotonic()
        code = subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)
        say(f"pytest finished in {time.monotonic() - started_at:.0f} s")
        return code or lint
    finally:
        if stop:
            stop()


if __name__ == "__main__":
    commands = {"app": app, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]](sys.argv[2:]))
