"""The deploy topology, run for real on loopback: PostgreSQL, two `mognad serve` replicas and HAProxy with
deploy/haproxy.cfg. A person signs in through the proxy and answers; the replica serving them is stopped;
the browser reconnects to the other one, still signed in on the same page, with nothing lost; an answer
saved through one replica is at once visible through the other; a download works through the proxy."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

import store
from tests.browser.conftest import free_port, wait_for_app, wait_healthy
from tests.browser.test_journeys import choose
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
LEAD = "ledare@demo.invalid"
QUESTION = "Vilken beskrivning stämmer bäst för {}?"


def _database_url() -> str:
    """A database of its own on the test PostgreSQL server (the store tests rebuild theirs)."""
    base = os.environ.get("MOGNAD_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("needs MOGNAD_TEST_POSTGRES_URL (the test command starts PostgreSQL)")
    import psycopg

    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS mognad_deploy WITH (FORCE)")
        conn.execute("CREATE DATABASE mognad_deploy")
    return base.rsplit("/", 1)[0] + "/mognad_deploy"


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    if shutil.which("haproxy") is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy is missing (the test command installs it)")
        pytest.skip("haproxy not installed")
    url = _database_url()
    env = {**os.environ, "MOGNAD_DATABASE_URL": url}
    run = [sys.executable, "-m", "cli"]
    subprocess.run([*run, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    demo = subprocess.run([*run, "demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    accounts = dict(re.findall(r"^\s+(\S+@demo\.invalid)\s+(\S+)", demo, re.M))
    logs = tmp_path_factory.mktemp("topology")
    from cli.serve import command

    replicas = {}
    for name in ("r1", "r2"):
        port = free_port()
        log = open(logs / f"{name}.log", "w")  # noqa: SIM115 — closed at the end
        process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        replicas[name] = (port, process, log)
    for port, process, _ in replicas.values():
        wait_healthy(f"http://127.0.0.1:{port}", process)
    proxy_port = free_port()
    proxy_env = {**os.environ, "MOGNAD_PROXY_BIND": f"127.0.0.1:{proxy_port}",
                 "MOGNAD_REPLICA_1": f"127.0.0.1:{replicas['r1'][0]}",
                 "MOGNAD_REPLICA_2": f"127.0.0.1:{replicas['r2'][0]}"}
    proxy_env.pop("MOGNAD_TLS_CERT", None)
    proxy_log = open(logs / "haproxy.log", "w")  # noqa: SIM115
    proxy = subprocess.Popen(["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")], env=proxy_env,
                             stdout=proxy_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{proxy_port}"
    try:
        wait_healthy(base, proxy)
        yield base, url, accounts, replicas
    finally:
        for _, process, log in replicas.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
            log.close()
        proxy.terminate()
        proxy.wait(timeout=10)
        proxy_log.close()
        store.Database(url).dispose()


def _answer(page, indicator: str, level: str) -> None:
    group = page.get_by_role("radiogroup", name=QUESTION.format(indicator))
    group.get_by_text(re.compile(rf"^{level} ")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Sparat \d\d:\d\d")).first).to_be_visible()


def test_a_replica_stops_and_the_person_carries_on_through_the_other(topology, chromium):
    base, url, accounts, replicas = topology
    context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(base)
        wait_for_app(page)
        page.get_by_label("E-postadress").fill(LEAD)
        page.get_by_label("Lösenord").fill(accounts[LEAD])
        page.get_by_role("button", name="Logga in").click()
        wait_for_app(page)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Fyll i", exact=True).click()
        wait_for_app(page)
        choose(page, "Region", "Region Västmanland")  # the lead's draft (Uppsala has submitted)
        _answer(page, "D1.1", "3")

        served_by = next(c["value"] for c in context.cookies() if c["name"] == "MOGNAD_REPLICA")
        port, process, _ = replicas[served_by]
        process.send_signal(signal.SIGTERM)  # the replica goes away (an upgrade, a crash)
        process.wait(timeout=20)

        # The browser reconnects through the proxy to the other replica: still signed in, same page.
        expect(page.get_by_role("heading", name="Fyll i", exact=True)).to_be_visible(timeout=60_000)
        wait_for_app(page, timeout=60_000)
        expect(page.get_by_role("heading", name="Logga in")).to_have_count(0)
        group = page.get_by_role("radiogroup", name=QUESTION.format("D1.1"))
        expect(group.get_by_role("radio", name=re.compile(r"^3 "))).to_be_checked()
        _answer(page, "D1.2", "2")  # saved through the other replica
        assert next(c["value"] for c in context.cookies() if c["name"] == "MOGNAD_REPLICA") != served_by

        db = store.Database(url)
        saved = {(r.indicator, r.value) for r in store.current_answers(
            db, store.system_identity(), store.get_assessment(db, store.system_identity(), "19", "2026").id)}
        assert {("D1.1", 3), ("D1.2", 2)} <= saved  # nothing lost, visible to everyone at once

        page.get_by_test_id("stSidebar").get_by_role("link", name="Handlingsplan", exact=True).click()
        wait_for_app(page)
        with page.expect_download() as download:  # a download through the proxy, from the replica left
            page.get_by_role("button", name="Ladda ned handlingsplanen (Excel)").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        assert open(download.value.path(), "rb").read(2) == b"PK"  # noqa: SIM115
    finally:
        context.close()
        time.sleep(0.1)
