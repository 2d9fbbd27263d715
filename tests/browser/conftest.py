"""Browser tests: the real app served by Streamlit, driven through Playwright in Debian's Chromium.

Chromium and axe-core come from tests/chromium.py (one Playwright instance per session).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.chromium import axe
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(url)


def mognad(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)


@contextlib.contextmanager
def demo_server(data_dir: Path, **env_extra: str):
    """A real `mognad serve` on a fresh SQLite file in data_dir with the demo data; yields
    (base url, what `mognad demo` printed, the database file). Stopped, and its log closed, afterwards."""
    env = {**os.environ, "MOGNAD_DATA_DIR": str(data_dir), **env_extra}
    env.pop("MOGNAD_DATABASE_URL", None)
    env.pop("MOGNAD_PUBLIC_URL", None)
    mognad("db", "upgrade", env=env)
    printed = mognad("demo", env=env).stdout
    port = free_port()
    from cli.serve import command

    log = open(data_dir / "streamlit.log", "w")  # noqa: SIM115 — closed after the server stops
    process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, printed, data_dir / "mognad.sqlite"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def demo_accounts(printed: str) -> dict[str, str]:
    """E-mail → password of the demo accounts, from what `mognad demo` printed."""
    return dict(re.findall(r"^\s+(\S+@demo\.invalid)\s+(\S+)", printed, re.M))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A running app on a fresh SQLite file with the demo data; yields (base url, demo accounts output)."""
    with demo_server(tmp_path_factory.mktemp("data")) as (url, printed, _):
        yield url, printed


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def wait_for_app(page, timeout: int = 30_000) -> None:
    """Streamlit's own readiness signals: connected, script not running, no skeleton."""
    from playwright.sync_api import expect

    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def axe_scan(page) -> list[dict]:
    """axe-core's violations for the current page (WCAG 2.1 A and AA rules)."""
    return axe(page)
