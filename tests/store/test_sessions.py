"""Sign-in sessions in the store: the cookie's secret never stored, expiry, revocation, audit rows."""

from __future__ import annotations

import datetime as dt
import hmac

import pytest
from sqlalchemy import select, text

import store
from store import clock, schema, sessions, tokens
from tests.store.conftest import PASSWORD


def _dump(db) -> str:
    """Every row of every table as text: where a raw secret would show if it were stored anywhere."""
    out = []
    with db.reading() as conn:
        for table in schema.metadata.sorted_tables:
            out += [repr(tuple(row)) for row in conn.execute(select(table))]
    return "\n".join(out)


def _signed_in(db, email):
    return store.authenticate(db, email, PASSWORD)


def _later(monkeypatch, **delta):
    moment = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_a_handoff_is_traded_once_for_a_cookie_and_neither_secret_is_stored(world):
    db, w = world
    who = _signed_in(db, w.lead.email)
    session_id, handoff = store.start_session(db, who, user_agent="Testwebbläsare/1.0")
    assert len(handoff) == 43 and tokens.well_formed(handoff)  # 256 bits, URL-safe
    cookie = sessions.claim_cookie(db, handoff)
    assert cookie is not None and cookie != handoff
    assert sessions.claim_cookie(db, handoff) is None  # once
    dump = _dump(db)
    assert handoff not in dump and cookie not in dump
    assert tokens.digest(cookie) in dump  # the digest is what is kept
    check = sessions.resume(db, cookie)
    assert check.identity is not None and check.identity.email == w.lead.email and check.session_id == session_id
    assert check.identity.leads("19")


def test_a_handoff_expires_after_two_minutes(world, monkeypatch):
    db, w = world
    _, handoff = store.start_session(db, _signed_in(db, w.lead.email))
    _later(monkeypatch, minutes=3)
    assert sessions.claim_cookie(db, handoff) is None


@pytest.mark.parametrize("forged", ["", "x", "A" * 43, "A" * 42 + "!", "<script>", "ä" * 43, None])
def test_forged_cookies_resolve_to_nobody(world, forged):
    db, w = world
    store.start_session(db, _signed_in(db, w.lead.email), cookie=True)
    check = sessions.resume(db, forged)
    assert check.identity is None and check.reason == "unknown"


def test_the_digest_is_compared_in_constant_time(world, monkeypatch):
    db, w = world
    _, cookie = store.start_session(db, _signed_in(db, w.lead.email), cookie=True)
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(tokens.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert sessions.resume(db, cookie).identity is not None
    assert calls and calls[0][0] == calls[0][1]


def test_idle_and_absolute_expiry(world, monkeypatch):
    db, w = world
    session_id, cookie = store.start_session(db, _signed_in(db, w.lead.email), cookie=True)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=50))
    assert sessions.resume(db, cookie, idle=dt.timedelta(minutes=60)).identity is not None  # touches last_seen
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=100))
    assert store.session_identity(db, session_id, idle=dt.timedelta(minutes=60)).identity is not None
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=161))
    idle = store.session_identity(db, session_id, idle=dt.timedelta(minutes=60))
    assert idle.identity is None and idle.reason == "idle"
    monkeypatch.setattr(clock, "now", lambda: start + sessions.MAX_AGE + dt.timedelta(seconds=1))
    assert store.session_identity(db, session_id, idle=dt.timedelta(days=9)).reason == "expired"


def test_sign_out_ends_the_session_for_every_tab(world):
    db, w = world
    session_id, cookie = store.start_session(db, _signed_in(db, w.lead.email), cookie=True)
    store.end_session(db, session_id)
    assert sessions.resume(db, cookie).reason == "revoked"
    assert store.session_identity(db, session_id).identity is None
    store.end_session(db, session_id)  # twice is harmless


def test_sign_out_everywhere_and_the_admin_ending_sessions(world):
    db, w = world
    lead = _signed_in(db, w.lead.email)
    own = [store.start_session(db, lead, cookie=True)[0] for _ in range(3)]
    viewer = [store.start_session(db, _signed_in(db, w.viewer.email), cookie=True)[0] for _ in range(2)]
    assert len(store.list_sessions(db, lead)) == 3
    with pytest.raises(store.Forbidden):
        store.end_sessions(db, lead, w.viewer.email)  # a lead ends only their own
    with pytest.raises(store.Forbidden):
        store.list_sessions(db, lead, w.viewer.email)
    assert store.end_sessions(db, lead, keep=own[0]) == 2
    assert [s.id for s in store.list_sessions(db, lead)] == [own[0]]
    assert store.end_sessions(db, w.admin, w.viewer.email) == 2
    assert all(store.session_identity(db, sid).reason == "revoked" for sid in viewer)
    assert store.end_sessions(db, w.admin, "ingen.alls@test.se") == 0
    entries = [e for e in store.audit_log(db, w.admin) if e.action == "session.revoke"]
    assert {(e.actor, e.target, e.new["reason"]) for e in entries} == {
        (w.lead.email, f"user:{w.lead.email}", "sign_out_all"), (w.admin.email, f"user:{w.viewer.email}", "admin")}


def test_a_disabled_account_loses_every_session_at_once(world):
    db, w = world
    ids = [store.start_session(db, _signed_in(db, w.viewer.email), cookie=True)[0] for _ in range(2)]
    store.disable_user(db, w.admin, w.viewer.email)
    assert {store.session_identity(db, sid).reason for sid in ids} == {"revoked"}
    with db.reading() as conn:
        live = conn.execute(select(schema.sessions).where(schema.sessions.c.revoked_at.is_(None))).all()
    assert live == []


def test_a_withdrawn_role_shows_in_the_next_check(world):
    db, w = world
    session_id, _ = store.start_session(db, _signed_in(db, w.viewer.email), cookie=True)
    store.remove_membership(db, w.admin, w.viewer.email, "19")
    assert "19" not in store.session_identity(db, session_id).identity.regions


def test_audit_rows_for_start_and_end(world):
    db, w = world
    session_id, _ = store.start_session(db, _signed_in(db, w.lead.email), via="password")
    store.end_session(db, session_id)
    found = [(e.action, e.new) for e in store.audit_log(db, w.admin, limit=20) if e.action.startswith("session.")]
    assert ("session.start", {"session": session_id, "via": "password"}) in found
    assert ("session.end", {"session": session_id, "reason": "sign_out"}) in found


def test_sessions_are_left_out_of_backups_and_a_restore_signs_everyone_out(world, tmp_path):
    db, w = world
    store.start_session(db, _signed_in(db, w.lead.email), cookie=True)
    target = tmp_path / "backup.json"
    summary = store.backup(db, target)
    assert "sessions" not in summary.rows and "rate_events" not in summary.rows
    assert {"link_tokens", "sheet_receipts"} <= set(summary.rows)
    store.restore(db, target, force=True)
    with db.reading() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM sessions")).scalar() == 0
    again = tmp_path / "again.json"
    store.backup(db, again)
    assert again.read_bytes() == target.read_bytes()
