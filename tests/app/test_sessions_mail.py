"""Mail the app sends (invitations, password links), received by a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time

import pytest

import store
from store import invitations
from tests.app.conftest import ADMIN, LEAD, VIEWER
from tests.app.test_sessions import browser, sign_in, tab  # noqa: F401 — `browser` is a fixture

LINK = re.compile(r"https?://\S+/(inbjudan|losenord)/([A-Za-z0-9_-]{43})\S*")


class Sink:
    """An SMTP server's message handler that keeps what it receives."""

    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 10.0) -> list[email.message.Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp(monkeypatch):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("MOGNAD_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("MOGNAD_PUBLIC_URL", "https://mognad.region.example")
    monkeypatch.setenv("MOGNAD_MAIL_FROM", "mognad@region.example")
    yield sink
    controller.stop()


def body_of(message) -> str:
    return message.get_content()


def test_an_invitation_is_mailed_with_its_link(demo_db, smtp, browser):  # noqa: F811
    db, passwords = demo_db
    at = sign_in(tab().run(), LEAD, passwords[LEAD])
    at.switch_page("app/views/fill.py").run()
    at.selectbox(key="_w_chosen_region_sv").set_value("19").run()
    at.text_input(key="invite_name").input("Västerås stad")
    at.text_input(key="invite_email").input("partner@vasteras.se")
    at.button(key="FormSubmitter:invite_partner-Bjud in").click().run()
    assert not at.exception, [e.message for e in at.exception]
    [message] = smtp.wait()
    assert message["To"] == "partner@vasteras.se" and message["From"] == "mognad@region.example"
    assert "Västmanland" in message["Subject"]
    text = body_of(message)
    found = LINK.search(text)
    assert found and found.group(0).startswith("https://mognad.region.example/inbjudan/")
    assert "Demo Ledare" in text and "skicka inte vidare" in text
    assert invitations.preview(db, found.group(2)).usable
    assert "Inbjudan är skickad till partner" in " ".join(s.value for s in at.success)
    assert not at.code  # mailed: the link is not shown on the page
    listed = store.list_invitations(db, store.system_identity(), store.get_assessment(
        db, store.system_identity(), "19", "2026").id)
    assert listed[-1].sent_at is not None
    at.button(key=f"invite_again_{listed[-1].respondent_id}").click().run()  # "Skicka om": a new link, mailed
    second = smtp.wait(2)[1]
    again = LINK.search(body_of(second)).group(2)
    assert again != found.group(2) and not invitations.preview(db, found.group(2)).usable


def test_forgotten_password_mails_a_link_only_for_an_account_and_says_the_same_either_way(demo_db, smtp):
    db, _ = demo_db
    said = []
    for address in ("ingen.alls@demo.invalid", VIEWER):
        at = tab(page="forgot").run()
        at.text_input(key="forgot_email").input(address)
        at.button[0].click().run()
        assert not at.exception, [e.message for e in at.exception] + [e.stack_trace for e in at.exception]
        said.append([s.value for s in at.success])
    assert said[0] == said[1] and "Om adressen hör till ett konto" in said[0][0]
    [message] = smtp.wait()
    time.sleep(0.3)
    assert len(smtp.messages) == 1 and message["To"] == VIEWER
    found = LINK.search(body_of(message))
    assert found.group(1) == "losenord" and store.reset_address(db, found.group(2)) == VIEWER


def test_the_admins_reset_link_is_mailed(demo_db, smtp, browser):  # noqa: F811
    db, passwords = demo_db
    admin = sign_in(tab().run(), ADMIN, passwords[ADMIN])
    admin.switch_page("app/views/account.py").run()
    admin.selectbox(key="account_admin_email").set_value(VIEWER).run()
    admin.button(key="admin_reset_link").click().run()
    [message] = smtp.wait()
    assert message["To"] == VIEWER and "24 timmar" in body_of(message)
    assert "skickad till" in admin.success[0].value
