"""Browser tests: the real app served by Streamlit, driven through Playwright in Debian's Chromium.

Browser downloads are impossible here, so Playwright gets `executable_path`. In CI a missing Chromium is a
failure, not a skip: the test command installs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("MOGNAD_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


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
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A running app on a fresh SQLite file with the demo data; yields (base url, demo accounts output)."""
    data_dir = tmp_path_factory.mktemp("data")
    env = {**os.environ, "MOGNAD_DATA_DIR": str(data_dir), "MOGNAD_DATABASE_URL": ""}
    env.pop("MOGNAD_DATABASE_URL")
    demo = ""
    if (ROOT / "app" / "cli" / "data.py").exists():
        mognad("db", "upgrade", env=env)
        demo = mognad("demo", env=env).stdout
    port = free_port()
    from app.cli.serve import command

    log = open(data_dir / "streamlit.log", "w")  # noqa: SIM115 — closed after the server stops
    process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, demo
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    _need(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, accept_downloads=True)
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
    _need(AXE.exists(), f"axe-core is not installed at {AXE} (npm install --prefix .cache/node axe-core)")
    page.add_script_tag(content=AXE.read_text("utf-8"))
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations")
