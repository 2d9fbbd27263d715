"""One-time links in the store: invitations a lead sends, password resets, 'Jag är klar', rate limits."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import store
from store import clock, invitations, passwords, schema, sessions
from tests.store.conftest import PASSWORD
from tests.store.test_sessions import _dump

PARTNER = "partner@kommun.se"


def _invite(db, w, email=PARTNER):
    return invitations.invite(db, w.lead, w.assessment, "Västerås stad", "kommun", email, organisation="Vuxenutbildningen")


def test_a_lead_invites_a_partner_and_the_link_is_stored_only_as_a_digest(world):
    db, w = world
    invitation, secret = _invite(db, w)
    assert invitation.status == "invited" and invitation.email == PARTNER and invitation.region == "19"
    assert invitation.expires_at - invitation.invited_at == dt.timedelta(days=30)
    assert secret not in _dump(db)
    sheet = store.get_respondent(db, w.lead, invitation.respondent_id)
    assert sheet.user_email == PARTNER and sheet.organisation == "Vuxenutbildningen"
    assert [i.respondent_id for i in store.list_invitations(db, w.lead, w.assessment)][-1] == invitation.respondent_id
    issued = [e for e in store.audit_log(db, w.lead, region="19") if e.action == "invitation.issue"]
    assert issued and issued[0].new["to"] == PARTNER


@pytest.mark.parametrize("who", ["lead_other", "viewer", "respondent", "analyst", "outsider"])
def test_only_the_regions_lead_or_the_admin_invites(world, who):
    db, w = world
    with pytest.raises(store.Forbidden):
        invitations.invite(db, getattr(w, who), w.assessment, "X", "kommun", "x@y.se")
    with pytest.raises(store.Forbidden):
        store.list_invitations(db, getattr(w, who), w.assessment)


def test_inviting_refuses_bad_input_and_the_same_address_twice(world):
    db, w = world
    with pytest.raises(store.Invalid):
        invitations.invite(db, w.lead, w.assessment, "X", "kommun", "")
    with pytest.raises(store.Invalid):
        invitations.invite(db, w.lead, w.assessment, "X", "kommun", "[a](http://x)@y.se")
    _invite(db, w)
    with pytest.raises(store.Invalid) as caught:
        _invite(db, w)
    assert caught.value.problems[0].code == "already_invited"


def test_the_landing_page_only_reads(world):
    """A mail scanner's GET: the preview changes no row anywhere, however often it is fetched."""
    db, w = world
    _, secret = _invite(db, w)
    before = _dump(db)
    for _ in range(3):
        view = invitations.preview(db, secret)
    assert view.usable and view.name == "Västerås stad" and view.invited_by == w.lead.email and view.round == "2025"
    assert _dump(db) == before
    assert not invitations.preview(db, "A" * 43).usable


def test_boerja_creates_the_partner_account_and_a_session_and_the_link_resumes(world):
    db, w = world
    invitation, secret = _invite(db, w)
    opened = invitations.accept(db, secret, user_agent="Chrome")
    assert opened.identity.email == PARTNER and invitation.respondent_id in opened.identity.respondent_ids
    assert opened.identity.role_in("19") == "respondent" and not opened.identity.is_national
    assert sessions.resume(db, opened.cookie).identity.email == PARTNER
    account = store.get_user(db, w.admin, PARTNER)
    assert not account.has_password
    assert store.list_invitations(db, w.lead, w.assessment)[-1].status == "started"
    again = invitations.accept(db, secret)  # no password chosen: the link brings the partner back
    assert again.identity.user_id == opened.identity.user_id
    uses = [e for e in store.audit_log(db, w.lead, region="19") if e.action == "invitation.use"]
    assert [e.new["first"] for e in uses] == [False, True]  # newest first


def test_choosing_a_password_spends_the_link(world):
    db, w = world
    _, secret = _invite(db, w)
    opened = invitations.accept(db, secret)
    passwords.set_first_password(db, opened.identity, "ett-eget-lösenord", keep_session=opened.session_id)
    assert store.authenticate(db, PARTNER, "ett-eget-lösenord").email == PARTNER
    assert not invitations.preview(db, secret).usable
    with pytest.raises(store.NotFound):
        invitations.accept(db, secret)
    with pytest.raises(store.Forbidden):
        passwords.set_first_password(db, opened.identity, "ett-annat-lösenord")  # only when there is none


@pytest.mark.parametrize("account", ["viewer", "lead_other", "admin"])
def test_a_link_never_signs_in_an_account_that_is_more_than_a_new_partner(world, account):
    """The lead sees the link: it must not open a colleague's, the admin's or a password-protected account."""
    db, w = world
    email = getattr(w, account).email
    _, secret = invitations.invite(db, w.lead, w.assessment, "Någon", "kommun", email)
    assert invitations.preview(db, secret).reason == "has_account"
    with pytest.raises(store.Forbidden):
        invitations.accept(db, secret)
    refused = [e for e in store.audit_log(db, w.admin) if e.action == "link.refused"]
    assert refused and refused[0].new == {"purpose": "invitation", "reason": "has_account"}


def test_a_link_never_opens_a_partner_account_of_another_region(world):
    db, w = world
    _, there = invitations.invite(db, w.lead_other, w.other_assessment, "Uppsala kommun", "kommun", PARTNER)
    invitations.accept(db, there)  # a password-less partner account in 03
    _, here = _invite(db, w)
    assert invitations.preview(db, here).reason == "has_account"  # the lead of 19 cannot borrow it


def test_reissue_and_revoke(world):
    db, w = world
    invitation, first = _invite(db, w)
    opened = invitations.accept(db, first)
    _, second = invitations.reissue(db, w.lead, invitation.respondent_id)
    assert not invitations.preview(db, first).usable and invitations.preview(db, second).usable
    invitations.revoke(db, w.lead, invitation.respondent_id)
    assert invitations.preview(db, second).reason == "revoked"
    assert store.list_invitations(db, w.lead, w.assessment)[-1].status == "revoked"
    assert store.session_identity(db, opened.session_id).reason == "revoked"  # the link's session ends too
    actions = [e.action for e in store.audit_log(db, w.lead, region="19")]
    assert actions.count("invitation.revoke") == 2 and actions.count("invitation.issue") == 2


def test_links_expire_with_time_and_with_the_round(world, monkeypatch):
    db, w = world
    invitation, secret = _invite(db, w)
    later = clock.now() + dt.timedelta(days=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert invitations.preview(db, secret).reason == "expired"
    assert store.list_invitations(db, w.lead, w.assessment)[-1].status == "expired"
    monkeypatch.undo()
    store.close_round(db, w.admin, "2025")
    assert invitations.preview(db, secret).reason == "round_closed"
    with pytest.raises(store.NotFound):
        invitations.accept(db, secret)


def test_jag_ar_klar_and_the_receipt_the_lead_sees(world):
    db, w = world
    invitation, secret = _invite(db, w)
    partner = invitations.accept(db, secret).identity
    with pytest.raises(store.Invalid) as caught:
        store.mark_done(db, partner, invitation.respondent_id)
    assert caught.value.problems[0].code == "sheet_incomplete"
    store.save_answer(db, partner, invitation.respondent_id, "D1.1", 2)
    receipt = store.mark_done(db, partner, invitation.respondent_id, incomplete_ok=True)
    assert receipt.answered == 1 and receipt.asked == invitation.asked and receipt.done_by == PARTNER
    seen = store.list_invitations(db, w.lead, w.assessment)[-1]
    assert seen.status == "done" and seen.done_at == receipt.done_at
    assert store.receipt(db, w.lead, invitation.respondent_id) == receipt
    with pytest.raises(store.Forbidden):
        store.mark_done(db, w.respondent, invitation.respondent_id)  # someone else's sheet
    with pytest.raises(store.Forbidden):
        store.receipt(db, w.lead_other, invitation.respondent_id)


def test_change_password_needs_the_current_one_and_ends_the_other_sessions(world):
    db, w = world
    lead = store.authenticate(db, w.lead.email, PASSWORD)
    here, _ = store.start_session(db, lead, cookie=True)
    there, _ = store.start_session(db, lead, cookie=True)
    with pytest.raises(store.AuthFailed) as caught:
        store.change_password(db, lead, "fel", "nytt-lösenord-1")
    assert caught.value.reason == "wrong_current"
    assert store.get_user(db, w.admin, w.lead.email).has_password
    with pytest.raises(store.Invalid):
        store.change_password(db, lead, PASSWORD, "kort")
    store.change_password(db, lead, PASSWORD, "nytt-lösenord-1", keep_session=here)
    assert store.authenticate(db, w.lead.email, "nytt-lösenord-1").email == w.lead.email
    assert store.session_identity(db, here).identity is not None
    assert store.session_identity(db, there).reason == "revoked"


def test_wrong_current_passwords_count_towards_the_lockout(world):
    db, w = world
    lead = store.authenticate(db, w.lead.email, PASSWORD)
    for _ in range(5):
        with pytest.raises(store.AuthFailed):
            store.change_password(db, lead, "fel", "nytt-lösenord-1")
    with pytest.raises(store.AuthFailed) as caught:
        store.authenticate(db, w.lead.email, PASSWORD)
    assert caught.value.reason == "locked"


def test_an_admin_reset_link_works_once_and_ends_every_session(world):
    db, w = world
    old = store.start_session(db, store.authenticate(db, w.lead.email, PASSWORD), cookie=True)[0]
    with pytest.raises(store.Forbidden):
        store.issue_reset(db, w.lead, w.viewer.email)
    address, secret = store.issue_reset(db, w.admin, w.lead.email)
    assert address == w.lead.email and secret not in _dump(db)
    assert store.reset_address(db, secret) == w.lead.email
    opened = passwords.use_reset(db, secret, "återställt-lösenord")
    assert opened.identity.email == w.lead.email and sessions.resume(db, opened.cookie).identity is not None
    assert store.session_identity(db, old).reason == "revoked"
    assert store.authenticate(db, w.lead.email, "återställt-lösenord")
    with pytest.raises(store.NotFound):
        passwords.use_reset(db, secret, "ett-tredje-lösenord")
    actions = [e.action for e in store.audit_log(db, w.admin)]
    assert {"password.reset_issue", "password.reset_use", "link.refused"} <= set(actions)


def test_an_admin_reset_link_expires_after_24_hours_and_a_new_one_revokes_the_old(world, monkeypatch):
    db, w = world
    _, first = store.issue_reset(db, w.admin, w.lead.email)
    _, second = store.issue_reset(db, w.admin, w.lead.email)
    assert store.reset_address(db, first) is None and store.reset_address(db, second) == w.lead.email
    later = clock.now() + dt.timedelta(hours=24, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert store.reset_address(db, second) is None
    with pytest.raises(store.NotFound):
        passwords.use_reset(db, second, "återställt-lösenord")


def test_forgotten_password_never_tells_whether_an_address_has_an_account_and_is_rate_limited(world):
    db, w = world
    assert store.request_reset(db, "ingen.alls@test.se", client="10.0.0.1") is None
    found = store.request_reset(db, w.lead.email.upper(), client="10.0.0.1")
    assert found is not None and found[0] == w.lead.email
    with db.reading() as conn:
        link = conn.execute(select(schema.link_tokens).where(schema.link_tokens.c.email == w.lead.email)).one()
    assert link.expires_at - link.created_at == passwords.SELF_RESET_TTL
    assert store.request_reset(db, w.lead.email, client="10.0.0.2") is not None
    assert store.request_reset(db, w.lead.email, client="10.0.0.3") is not None
    assert store.request_reset(db, w.lead.email, client="10.0.0.4") is None  # a fourth in the hour
    for n in range(10):
        store.request_reset(db, f"nr{n}@test.se", client="10.9.9.9")
    assert store.request_reset(db, w.viewer.email, client="10.9.9.9") is None  # the client's eleventh
    assert store.request_reset(db, w.viewer.email, client="10.9.9.8") is not None
    with db.reading() as conn:
        stored = " ".join(conn.execute(select(schema.rate_events.c.key_hash)).scalars())
    assert w.lead.email not in stored and "10.0.0.1" not in stored  # counted under digests only


def test_a_disabled_account_gets_no_reset_link(world):
    db, w = world
    store.disable_user(db, w.admin, w.viewer.email)
    assert store.request_reset(db, w.viewer.email) is None
