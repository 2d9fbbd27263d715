"""Joining a workshop at /delta: the code (typed or from the QR code), the group, a seat in a cookie only the
phone holds — and everything that must be refused."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import store
from app import web
from store import workshops as ws
from tests.app.conftest import LEAD

ORIGIN = {"origin": "http://testserver"}


@pytest.fixture
def room(demo_db, monkeypatch):
    db, _ = demo_db
    monkeypatch.setattr(web, "_db", None)  # the routes' store follows this test's database
    lead = store.identity_for_email(db, LEAD)
    assessment = store.get_assessment(db, lead, "19", "2026")
    found = ws.open_workshop(db, lead, ws.create_workshop(db, lead, assessment.id, "Workshop <i>Västerås</i>",
                                                         ["D1.1"], ["region", "kommun"]).id)
    return db, lead, found, TestClient(Starlette(routes=web.routes()), follow_redirects=False)


def test_the_code_page_then_the_group_page_then_a_seat_in_a_cookie(room):
    db, lead, found, client = room
    first = client.get("/delta")
    assert first.status_code == 200 and 'name="kod"' in first.text and "Delta i en workshop" in first.text
    spaced = f"{found.code[:3].lower()} {found.code[3:]}"
    second = client.get("/delta", params={"kod": spaced})
    assert second.status_code == 200
    assert "Workshop &lt;i&gt;Västerås&lt;/i&gt;" in second.text  # typed text stays text
    assert re.findall(r'name="grupp" value="(\w+)"', second.text) == ["region", "kommun"]
    assert "Kommun/komvux" in second.text and 'name="form_token"' in second.text
    token = re.search(r'name="form_token" value="([^"]+)"', second.text).group(1)
    joined = client.post("/delta?lang=sv", headers=ORIGIN,
                         data={"form_token": token, "kod": found.code, "grupp": "kommun", "namn": "Kim"})
    assert joined.status_code == 303 and joined.headers["location"] == "/rosta?lang=sv"
    cookie = joined.headers["set-cookie"]
    assert cookie.startswith(f"{web.SEAT_COOKIE}=") and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    secret = cookie.split(";")[0].split("=", 1)[1]
    seat = ws.seat(db, secret)
    assert (seat.participant.stakeholder_group, seat.participant.name) == ("kommun", "Kim")


def test_refusals_are_plain_messages_and_change_nothing(room):
    db, lead, found, client = room
    wrong = client.get("/delta", params={"kod": "QQQQQQ", "lang": "en"})
    assert wrong.status_code == 400 and "the code does not belong to an open workshop" in wrong.text
    page = client.get("/delta", params={"kod": found.code})
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    forged = client.post("/delta", headers={"origin": "https://elsewhere.example"},
                         data={"form_token": token, "kod": found.code, "grupp": "region"})
    assert forged.status_code == 403
    no_group = client.post("/delta", headers=ORIGIN, data={"form_token": token, "kod": found.code, "grupp": "af"})
    assert no_group.status_code == 400 and "välj den intressentgrupp du representerar" in no_group.text
    assert ws.participants(db, lead, found.id) == []
    ws.close_workshop(db, lead, found.id)
    closed = client.get("/delta", params={"kod": found.code})
    assert closed.status_code == 400 and "koden hör inte till någon öppen workshop" in closed.text
