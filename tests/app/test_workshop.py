"""The workshop's three surfaces in AppTest: the facilitator's console, the participant's phone, the projector."""

from __future__ import annotations

import pytest

import store
from app.parts.vote import SEAT_KEY
from service.reports import region_report
from store import workshops as ws
from tests.app.conftest import LEAD, app

ROUND = "2026-v2"  # instrument version 2 (method 2): the agreed value is the indicator's value
NAMES = ["Anna", "Bo", "Kim", "Li", "Mo", "Ali"]
GROUPS = ["region", "region", "kommun", "kommun", "kommun", "af"]


@pytest.fixture
def running(demo_db):
    """Region 19 in an open version-2 round, an open workshop on D1.1 and D1.4 and six seated participants."""
    db, _ = demo_db
    store.open_round(db, store.system_identity("test"), ROUND, "regional-validering@2")
    lead = store.identity_for_email(db, LEAD)
    assessment = store.ensure_assessment(db, lead, "19", ROUND)
    found = ws.open_workshop(db, lead, ws.create_workshop(db, lead, assessment.id, "Workshop i Västerås",
                                                         ["D1.1", "D1.4"], ["region", "kommun", "af"], True).id)
    seats = [ws.join(db, found.code, group, name, client=f"c{n}")[0]
             for n, (group, name) in enumerate(zip(GROUPS, NAMES, strict=True))]
    return db, lead, found, seats


def console(workshop_id: int, lang: str = "sv"):
    at = app(lang, LEAD)
    at.query_params["workshop"] = str(workshop_id)
    at.query_params["round"] = ROUND
    at.query_params["region"] = "19"
    at.run()
    at.switch_page("app/views/workshop.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def phone(secret: str, lang: str = "sv"):
    at = app(lang).run()
    at.session_state[SEAT_KEY] = secret
    at.switch_page("app/views/vote.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def projector(workshop_id: int):
    at = app("sv", LEAD)
    at.query_params["workshop"] = str(workshop_id)
    at.run()
    at.switch_page("app/views/projector.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "info", "warning", "success", "caption")
             for e in getattr(at, kind)]
    parts += [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


def test_a_lead_plans_and_opens_a_workshop_in_the_console(demo_db):
    db, _ = demo_db
    at = app("sv", LEAD)
    at.query_params["round"], at.query_params["region"] = "2026", "19"
    at.run()
    at.switch_page("app/views/workshop.py").run()
    assert "Omgången räknas med metod 1" in texts(at)  # the demo's open round: said plainly what the value does
    at.multiselect[0].set_value(["D1"])
    at.multiselect[1].set_value(["region", "kommun"])
    next(b for b in at.button if b.label == "Spara workshopen").click().run()
    assert not at.exception
    at.button(key="workshop_open").click().run()
    lead = store.identity_for_email(db, LEAD)
    made = ws.workshops_of(db, lead, store.get_assessment(db, lead, "19", "2026").id)[0]
    assert (made.status, made.indicators) == ("open", ("D1.1", "D1.2", "D1.3", "D1.4", "D1.5"))
    assert f"Kod: {made.code[:3]} {made.code[3:]}" in [h.value for h in at.subheader]
    shown = f"{made.code[:3]} {made.code[3:]}"
    assert [image.captions for image in at.get("image")] == [[f"QR-kod till sidan där man går med i workshopen med koden {shown}"]]


def test_the_phone_waits_then_votes_silently_and_the_console_counts(running):
    db, lead, found, seats = running
    first = phone(seats[0])
    assert "Vänta – samtalsledaren har inte visat någon fråga ännu." in texts(first)
    assert "Du deltar som Region (regionalt utvecklingsansvarig aktör) (Anna)." in texts(first)
    at = console(found.id)
    at.button(key="workshop_show").click().run()
    assert at.metric[0].value == "0 av 6 har röstat"
    first.run()
    assert first.radio[0].label == "Din röst om D1.1"
    first.radio[0].set_value(3).run()
    assert first.success[0].value.startswith("Din röst är sparad: 3 ")
    at.run()
    assert at.metric[0].value == "1 av 6 har röstat"
    assert [b.label for b in at.button if b.key == "workshop_reveal"] == ["Visa ändå"]
    # nothing of anyone's vote reaches another phone or the wall before the reveal
    other = phone(seats[1])
    assert "3 Etablerad" not in texts(other) and other.radio[0].value is None
    wall = projector(found.id)
    assert "1 av 6 har röstat" in texts(wall) and not wall.get("arrow_vega_lite_chart")


def test_reveal_split_second_vote_and_a_consensus_that_drives_the_score(running):
    db, lead, found, seats = running
    ws.show_indicator(db, lead, found.id, "D1.1")
    for secret, value in zip(seats, [0, 0, 4, 4, 4, 2], strict=True):
        ws.vote(db, secret, "D1.1", value)
    at = console(found.id)
    assert [b.label for b in at.button if b.key == "workshop_reveal"] == ["Visa resultat"]
    at.button(key="workshop_reveal").click().run()
    shown = texts(at)
    assert "6 röster. Median 3,0. Samstämmighet 0,17." in shown
    assert "Oenighet: rösterna går isär." in shown
    closed = phone(seats[5])
    assert "Röstningen om D1.1 är stängd." in texts(closed) and "Din röst: 2 " in texts(closed)
    # the wall: the split only for groups of three or more; af (1) and region (2) are pooled; never a name
    wall = projector(found.id)
    tables = [frame.value for frame in wall.dataframe]
    assert list(tables[0].columns) == ["Nivå", "Röster", "Kommun/komvux", "Övriga grupper"]
    assert not any(name in texts(wall) for name in NAMES)
    at.button(key="workshop_second").click().run()
    assert at.metric[0].value == "Andra röstningen: 0 av 6 har röstat"
    for secret in seats:
        ws.vote(db, secret, "D1.1", 2)
    at.run()
    at.button(key="workshop_reveal").click().run()
    at.radio[0].set_value(4)
    next(b for b in at.button if b.label == "Spara gemensamt värde").click().run()
    problems = "\n".join(str(e.value) for e in at.markdown) + "\n".join(str(e.value) for e in at.error)
    assert "skriv en motivering" in problems and "utanför rösternas spann 2–2" in problems
    at.radio[0].set_value(2)
    at.text_area[0].input("Samordning finns men saknar mandat och resurser.")
    at.text_area[1].input("Beslut RS 2026-03-14\nhttps://example.se/beslut")
    next(b for b in at.button if b.label == "Spara gemensamt värde").click().run()
    assert at.success[-1].value.startswith("Gemensamt värde 2 ")
    report = region_report(db, lead, "19", ROUND, lang="sv")
    assert report.indicator("D1.1")["value"] == 2.0 and report.indicator("D1.1")["status"] == "consensus"
    # Resultat says where the value came from
    results = app("sv", LEAD)
    results.query_params["round"], results.query_params["region"] = ROUND, "19"
    results.run()
    results.switch_page("app/views/results.py").run()
    assert not results.exception
    assert any("gemensamma värde som partnerskapet enades om" in i.value for i in results.info)


def test_a_question_for_another_group_and_a_closed_workshop_on_the_phone(running):
    db, lead, found, seats = running
    ws.show_indicator(db, lead, found.id, "D1.4")  # asked of the region only
    kommun = phone(seats[2])
    assert "Den här frågan ställs till Region (regionalt utvecklingsansvarig aktör)." in texts(kommun)
    assert not kommun.radio
    assert console(found.id).metric[0].value == "0 av 2 har röstat"
    ws.close_workshop(db, lead, found.id)
    kommun.run()
    assert "Du deltar inte i någon öppen workshop just nu." in texts(kommun)


def test_the_phone_speaks_english_in_english(running):
    db, lead, found, seats = running
    ws.show_indicator(db, lead, found.id, "D1.1")
    at = phone(seats[0], "en")
    assert at.radio[0].label == "Your vote on D1.1"
    assert "You take part as" in texts(at)
    assert not any(word in texts(at) for word in ("Din röst", "Du deltar", "Vänta"))


def test_strong_disagreement_becomes_a_proposed_clarifying_action_in_the_plan(running):
    db, lead, found, seats = running
    ws.show_indicator(db, lead, found.id, "D1.1")
    for secret, value in zip(seats, [0, 0, 4, 4, 4, 2], strict=True):
        ws.vote(db, secret, "D1.1", value)
    ws.reveal(db, lead, found.id)
    at = app("sv", LEAD)
    at.query_params["round"], at.query_params["region"] = ROUND, "19"
    at.run()
    at.switch_page("app/views/plan.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Förslag från workshoppar" in m.value for m in at.markdown)
    at.button(key="clarify_D1.1").click().run()
    assessment = store.get_assessment(db, lead, "19", ROUND)
    [item] = [i for i in store.plan_items(db, lead, assessment.id) if i.indicators == ("D1.1",)]
    assert item.action.startswith("Förtydliga vad D1.1 betyder för regionen") and item.dimension == "D1"
    assert any(m.value.endswith("(finns i planen)") and "D1.1" in m.value for m in at.markdown)
