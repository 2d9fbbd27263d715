"""The follow-up round in a real browser (issue 17): the lead starts a partner's sheet from last round's answers,
the partner sees them as proposals, confirms a dimension and changes one answer with a reason."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

import store
from store.schema import respondents
from tests.browser.conftest import free_port, mognad, wait_for_app, wait_healthy
from tests.browser.test_journeys import choose, go, sign_in
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

LEAD, PARTNER = "ledare@demo.invalid", "respondent@demo.invalid"


@pytest.fixture(scope="module")
def followup_server(tmp_path_factory):
    """Its own server and demo database: the partner's 2025 sheet (r3, bransch) carries her account."""
    data_dir = tmp_path_factory.mktemp("followup")
    env = {**os.environ, "MOGNAD_DATA_DIR": str(data_dir)}
    env.pop("MOGNAD_DATABASE_URL", None)
    mognad("db", "upgrade", env=env)
    printed = mognad("demo", env=env).stdout
    accounts = dict(re.findall(r"^\s+(\S+@demo\.invalid)\s+(\S+)", printed, re.M))
    db = store.Database(f"sqlite:///{data_dir / 'mognad.sqlite'}")
    who = store.system_identity()
    old = store.get_assessment(db, who, "19", "2025").id
    with db.writing() as conn:
        conn.execute(update(respondents).where(respondents.c.assessment_id == old, respondents.c.key == "r3")
                     .values(user_email=PARTNER))
    db.dispose()
    from cli.serve import command

    port = free_port()
    log = open(data_dir / "streamlit.log", "w")  # noqa: SIM115 — closed after the server stops
    process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, accounts
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_lead_starts_partner_confirms_and_changes(followup_server, page):
    url, accounts = followup_server
    sign_in(page, url, LEAD, accounts[LEAD])
    go(page, "Fyll i")
    choose(page, "Region", "Region Västmanland")
    choose(page, "Svarsformulär", re.compile("Bransch"))
    page.get_by_text("Förra omgångens svar (2025)").click()
    page.get_by_role("button", name="Starta från förra omgångens svar", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"\d+ förslag från förra omgången lades till på 1 svarsblad"))).to_be_visible()
    partner = page.context.browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = partner.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, url, PARTNER, accounts[PARTNER])
    go(page, "Fyll i")
    choose(page, "Dimension", re.compile("^D8 "))
    expect(page.get_by_text(re.compile(r"^Från förra omgången \(2025\): ")).first).to_be_visible()
    expect(page.get_by_role("radiogroup", name="Vilken beskrivning stämmer bäst för D8.1?")).to_have_count(0)
    # change one with a reason
    page.get_by_role("button", name="Ändra svaret").first.click()
    wait_for_app(page)
    page.get_by_role("radiogroup", name="Nytt svar för D8.1").get_by_text(re.compile(r"^1 Initierad")).click()
    page.get_by_role("textbox", name="Vad har ändrats?").first.fill("Nätverket lades ner")
    page.get_by_role("button", name="Spara ändrat svar").first.click()
    wait_for_app(page)
    d81 = page.get_by_role("radiogroup", name="Vilken beskrivning stämmer bäst för D8.1?")
    expect(d81.get_by_role("radio", name=re.compile(r"^1 Initierad"))).to_be_checked()
    # confirm the rest of the dimension in one action
    page.get_by_role("button", name=re.compile(r"^Bekräfta alla oförändrade svar i dimensionen")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^\d+ svar bekräftades\."))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Från förra omgången \(2025\): "))).to_have_count(0)
    partner.close()
