"""A workshop in a real browser: the facilitator's console, the projector and ten phones at once.

The workshop is planned and opened through the store (the console's own planning form is covered by AppTest);
everything the room does goes through the browser: joining with the room code at /delta, voting on /rosta,
"Visa för rummet", the live counter, the reveal, the second vote and the consensus form. Ten participants
(5 region, 3 kommun, 2 af) on 360×740 phones, so that the group split's rule (scoring/workshop.py) shows:
af alone (2) is under the minimum of three, the pool of af is then too small, so the smallest shown group
(kommun, 3) joins it — the room sees "Region …" and "Övriga grupper" (kommun + af, 5 voters).

The server is this module's own (demo data on a fresh SQLite file); the store is read and driven beside it.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    axe_scan,
    demo_accounts,
    demo_server,
    wait_for_app,
)
from tests.browser.test_sessions import sign_in

pytestmark = pytest.mark.browser

LEAD = "ledare@demo.invalid"
TITLE = "Workshop i Västerås"
GROUP_NAMES = {"region": "Region (regionalt utvecklingsansvarig aktör)", "kommun": "Kommun/komvux",
               "af": "Arbetsförmedlingen"}
# (group, typed name or None, first vote, second vote): 5 region, 3 kommun, 2 af
PEOPLE = [
    ("region", "Astrid Lindqvist", 2, 2), ("region", "Bertil Ekholm", 2, 2), ("region", "Cecilia Franzén", 3, 2),
    ("region", "Dragan Nilsson", 3, 3), ("region", None, 2, 2),
    ("kommun", "Elin Wästberg", 1, 2), ("kommun", "Fredrik Öhman", 2, 2), ("kommun", None, 2, 1),
    ("af", "Gunilla Sjöberg", 3, 2), ("af", "Hamid Rostami", 2, 2),
]
NAMES = [name for _, name, _, _ in PEOPLE if name]
LIVE = 30_000  # ms: a poll every second, on two shared cores with a dozen pages open (and other tests)


@pytest.fixture(scope="module")
def workshop_server(tmp_path_factory):
    """(base url, demo accounts, database file) of this module's own server."""
    with demo_server(tmp_path_factory.mktemp("workshop-data")) as (url, printed, database):
        yield url, demo_accounts(printed), database


@pytest.fixture(autouse=True)
def patient_expect():
    """expect's 5 s default is short for a dozen live pages on two shared cores: 20 s here, 5 s again after."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def contexts(chromium):
    made = []

    def make(phone: bool = False):
        size = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
        # bypass_csp: /delta forbids every script; axe-core is injected into the pages it scans
        context = chromium.new_context(locale="sv-SE", viewport=size, bypass_csp=True, is_mobile=phone,
                                       has_touch=phone)
        context.set_default_timeout(45_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def no_violations(page) -> None:
    """axe-core (tests/chromium.py, WCAG 2.1 A and AA): nothing on what the page shows now."""
    violations = axe_scan(page)
    assert not violations, [(v["id"], v["impact"], [(n["target"], n["html"][:160], n.get("failureSummary", "")[:200])
                                                    for n in v["nodes"]][:3]) for v in violations]


def no_distribution(page) -> None:
    """Nothing of anyone's vote: no result heading, no figures, no chart, no table."""
    expect(page.get_by_text(re.compile(r"Resultat för|Median|Samstämmighet"))).to_have_count(0)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


def ballot(page):
    return page.get_by_role("radiogroup", name="Din röst om D1.1")


def waiting(page) -> None:
    """The phone before the first indicator. If it is not there, say whether a reload brings it: a phone left with
    the title and caption only (nothing after the `follow` fragment) has been seen in about one run in three."""
    wait = page.get_by_text("Vänta – samtalsledaren har inte visat någon fråga ännu.")
    try:
        expect(wait).to_be_visible(timeout=LIVE)
    except AssertionError:
        shown = page.get_by_test_id("stMain").inner_text()[:300]
        page.reload()
        wait_for_app(page)
        try:
            expect(wait).to_be_visible(timeout=10_000)
            after = "there"
        except AssertionError:
            after = "still missing"
        raise AssertionError(f"no waiting text within {LIVE} ms; the page showed {shown!r}; after a reload the "
                             f"text is {after}") from None


def vote(page, value: int, db) -> None:
    from store import workshops

    expect(ballot(page)).to_be_visible(timeout=LIVE)
    ballot(page).get_by_text(re.compile(rf"^{value} ")).click()
    try:
        expect(page.get_by_text(re.compile(rf"^Din röst är sparad: {value} "))).to_be_visible(timeout=LIVE)
    except AssertionError:  # say whether the click reached the store or only the confirmation went missing
        secret = next(c["value"] for c in page.context.cookies() if c["name"] == "mognad_deltagare")
        seat = workshops.seat(db, secret)
        raise AssertionError(f"no 'Din röst är sparad: {value}' within {LIVE} ms; the store has "
                             f"{seat.my_vote if seat else 'no seat'!r} for this phone "
                             f"(round {seat.workshop.vote_round if seat else '-'})") from None


def test_a_workshop_with_a_projector_and_ten_phones(workshop_server, contexts):
    import store
    from scoring import workshop as scoring
    from service import workshop as service
    from store import workshops

    started = time.monotonic()
    url, accounts, database = workshop_server
    db = store.Database(f"sqlite:///{database}")
    lead = store.identity_for_email(db, LEAD)
    assessment = store.get_assessment(db, lead, "19", "2026")
    planned = workshops.create_workshop(db, lead, assessment.id, TITLE, ["D1.1", "D1.2"], ["region", "kommun", "af"],
                                        second_vote=True)
    opened = workshops.open_workshop(db, lead, planned.id)
    code = opened.code

    # the facilitator's console and the projector: the same lead, two browsers
    console = contexts().new_page()
    sign_in(console, url, LEAD, accounts[LEAD])
    console.goto(f"{url}/workshop?region=19&workshop={opened.id}")
    wait_for_app(console)
    expect(console.get_by_text(f"Kod: {code[:3]} {code[3:]}")).to_be_visible()
    projector = contexts().new_page()
    sign_in(projector, url, LEAD, accounts[LEAD])
    projector.goto(f"{url}/projektor?workshop={opened.id}")
    wait_for_app(projector)
    expect(projector.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(projector.get_by_text(f"Kod: {code[:3]} {code[3:]}")).to_be_visible(timeout=LIVE)
    expect(projector.get_by_test_id("stException")).to_have_count(0)

    # ten phones join with the code, through the plain join page
    phones = []
    for group, name, _, _ in PEOPLE:
        phone = contexts(phone=True).new_page()
        phone.goto(f"{url}/delta?kod={code.lower()}")
        expect(phone.get_by_text(f"Du ansluter till {TITLE}")).to_be_visible()
        phone.get_by_label(GROUP_NAMES[group], exact=True).check()
        if name:
            phone.get_by_label("Ditt namn (frivilligt)").fill(name)
        phone.get_by_role("button", name="Gå med").click()
        phone.wait_for_url(re.compile(r"/rosta"))
        phones.append(phone)
    for phone, (group, _, _, _) in zip(phones, PEOPLE, strict=True):
        wait_for_app(phone)
        expect(phone.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(phone.get_by_text(re.compile(r"^Du deltar som "))).to_contain_text(GROUP_NAMES[group])
        waiting(phone)
    seat = next(c for c in phones[0].context.cookies() if c["name"] == "mognad_deltagare")
    assert seat["httpOnly"] and seat["sameSite"] == "Lax"
    expect(projector.get_by_text("10 har gått med")).to_be_visible(timeout=LIVE)

    # "Visa för rummet": every phone follows within a poll or two, and votes
    console.get_by_role("button", name="Visa för rummet").click()
    wait_for_app(console)
    counter = console.get_by_test_id("stMetricValue")
    expect(counter).to_have_text("0 av 10 har röstat", timeout=LIVE)
    for phone, (_, _, first, _) in zip(phones, PEOPLE, strict=True):
        vote(phone, first, db)
    expect(counter).to_have_text("10 av 10 har röstat", timeout=LIVE)
    expect(projector.get_by_test_id("stMetricValue")).to_have_text("10 av 10 har röstat", timeout=LIVE)

    # before the reveal nobody sees a distribution: not the phones, not the wall, not the console
    for page in (*phones, projector, console):
        no_distribution(page)
    no_violations(phones[0])
    no_violations(projector)
    no_violations(console)

    console.get_by_role("button", name="Visa resultat").click()
    wait_for_app(console)
    expect(console.get_by_role("heading", name="Resultat för D1.1").first).to_be_visible()
    expect(projector.get_by_role("heading", name="Resultat för D1.1").first).to_be_visible(timeout=LIVE)
    expect(projector.get_by_text(re.compile(r"^10 röster\. Median 2,0\. Samstämmighet"))).to_be_visible()
    expect(projector.get_by_text(re.compile("Ingen uppdelning per grupp visas"))).to_have_count(0)
    # the split the store hands out: region alone, kommun and af pooled (see the module's docstring)
    shown = service.shown(db, lead, opened.id)
    assert [(g.group, g.voters, g.counts) for g in shown.first.groups] == [
        ("region", 5, (0, 0, 3, 2, 0)), (None, 5, (0, 1, 3, 1, 0))]
    assert shown.first.groups == scoring.split([(g, v) for g, _, v, _ in PEOPLE], 4)
    projector.get_by_text("Tabell: Röster per nivå, D1.1").click()
    table = projector.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    # the grid's accessible copy of the table (the columns: level, votes, region, the pooled other groups)
    expect(table.get_by_text("Övriga grupper", exact=True)).to_have_count(1)
    expect(table.get_by_text(GROUP_NAMES["region"], exact=True)).to_have_count(1)
    expect(table.get_by_text(GROUP_NAMES["kommun"], exact=True)).to_have_count(0)
    expect(table.get_by_text(GROUP_NAMES["af"], exact=True)).to_have_count(0)
    html = projector.content()
    for name in NAMES:
        assert name not in html, name
    no_violations(projector)
    for phone, (_, _, first, _) in zip(phones, PEOPLE, strict=True):
        expect(phone.get_by_text("Röstningen om D1.1 är stängd. Resultatet visas på skärmen i rummet.")).to_be_visible(
            timeout=LIVE)
        expect(phone.get_by_text(re.compile(rf"^Din röst: {first} "))).to_be_visible()
        expect(phone.get_by_text(re.compile(r"Median|Samstämmighet"))).to_have_count(0)

    # the second vote: the first votes stay beside, every phone votes again
    console.get_by_role("button", name="Rösta igen (andra röstningen)").click()
    wait_for_app(console)
    expect(counter).to_have_text("Andra röstningen: 0 av 10 har röstat", timeout=LIVE)
    for phone, (_, _, _, second) in zip(phones, PEOPLE, strict=True):
        expect(phone.get_by_text("Andra röstningen: rösta igen efter samtalet.")).to_be_visible(timeout=LIVE)
        vote(phone, second, db)
    expect(counter).to_have_text("Andra röstningen: 10 av 10 har röstat", timeout=LIVE)
    expect(projector.get_by_test_id("stMetricValue")).to_have_text("Andra röstningen: 10 av 10 har röstat",
                                                                   timeout=LIVE)
    no_distribution(projector)
    console.get_by_role("button", name="Visa resultat").click()
    wait_for_app(console)
    expect(projector.get_by_text("Andra röstningen", exact=True)).to_be_visible(timeout=LIVE)
    for name in NAMES:
        assert name not in projector.content(), name

    # the consensus value, through the form
    form = console.get_by_test_id("stForm")
    form.get_by_role("radiogroup", name="Värde som gruppen enats om för D1.1").get_by_text("2 Under uppbyggnad").click()
    form.get_by_role("textbox", name="Motivering").fill("Rollen är beslutad men ännu inte förankrad i kommunerna.")
    form.get_by_role("button", name="Spara gemensamt värde").click()
    wait_for_app(console)
    # the confirmation, or (once the live fragment has seen the moved step and redrawn the page) the stored value
    expect(console.get_by_text(re.compile(r"Gemensamt värde 2 Under uppbyggnad för D1\.1 är sparat"
                                          r"|Sparat gemensamt värde: 2 Under uppbyggnad")).first).to_be_visible()
    sheet, _ = store.answer_sheet(db, lead, opened.questionnaire_ref, rounds=["2026"], regions=["19"])
    agreed = [row for row in sheet.attrs["consensus"] if row[2] == "D1.1"]
    assert [row[:4] for row in agreed] == [("19", "2026", "D1.1", 2)], agreed

    # a reload keeps the phone in the workshop: the seat is the cookie, not the tab
    phones[3].reload()
    wait_for_app(phones[3])
    expect(phones[3].get_by_role("heading", name=TITLE)).to_be_visible()
    expect(phones[3].get_by_text(re.compile(r"^Du deltar som .*\(Dragan Nilsson\)"))).to_be_visible()

    # the next indicator, then the end: the seats end, the phones say so, and the old code opens nothing
    console.get_by_role("button", name="Nästa").click()
    wait_for_app(console)
    expect(ballot(phones[0]).or_(phones[0].get_by_role("radiogroup", name="Din röst om D1.2"))).to_be_visible(
        timeout=LIVE)
    secret = next(c["value"] for c in phones[0].context.cookies() if c["name"] == "mognad_deltagare")
    workshops.close_workshop(db, lead, opened.id)
    for phone in (phones[0], phones[5], phones[9]):
        expect(phone.get_by_text(re.compile(r"^Du deltar inte i någon öppen workshop just nu"))).to_be_visible(
            timeout=LIVE)
        expect(phone.get_by_role("radiogroup", name=re.compile(r"^Din röst"))).to_have_count(0)
    with pytest.raises(store.Invalid) as refused:
        workshops.vote(db, secret, "D1.2", 3)
    assert refused.value.problems[0].code == "workshop_seat_ended"
    expect(projector.get_by_text("Workshopen är avslutad. Tack!")).to_be_visible(timeout=LIVE)
    late = contexts(phone=True).new_page()
    response = late.goto(f"{url}/delta?kod={code}")
    assert response.status == 400
    expect(late.get_by_role("alert")).to_contain_text("Det gick inte att gå med")
    expect(late.get_by_role("button", name="Gå med")).to_have_count(0)
    db.dispose()
    print(f"workshop journey: {time.monotonic() - started:.0f} s")
