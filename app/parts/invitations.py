"""Fyll i, for the region's lead (or the national admin): invite a partner, and see each partner's state —
inbjuden · påbörjad · klar — with "Skicka om" and "Återkalla".

With `MOGNAD_SMTP_URL` the invitation is mailed; without it (or when sending fails) the page shows the link once,
to copy and send by hand, and says so. The store keeps only the link's digest: the link cannot be shown again,
only issued anew ("Skicka om", which also stops the old one).
"""

from __future__ import annotations

import smtplib
from zoneinfo import ZoneInfo

import streamlit as st

import store
from app import mail, session
from app import widgets as ui
from app.i18n import lang, t
from questionnaires.regions import region_by_code
from store import invitations

LOCAL = ZoneInfo("Europe/Stockholm")
SHOWN = "_invitation_link"  # (respondent id, address, link, mailed) — shown once after issuing
NOTICE = "_invitation_notice"


def section(db, who, q, assessment) -> None:
    if not store.may_manage(who, assessment.region):
        return
    _flash()
    with st.expander(t("invite_heading"), expanded=bool(st.session_state.get(SHOWN))):
        if not mail.configured():
            st.info(t("invite_no_mail"))
        if assessment.editable:
            _invite_form(db, who, q, assessment)
        else:
            st.write(t("invite_not_editable"))
    invited = store.list_invitations(db, who, assessment.id)
    if invited:
        _status_list(db, who, q, invited, assessment.editable)


def _invite_form(db, who, q, assessment) -> None:
    L = lang()
    roles = [r.id for r in q.roles]
    with st.form("invite_partner", clear_on_submit=True):
        st.write(t("invite_intro"))
        name = st.text_input(t("respondent_name"), max_chars=200, key="invite_name")
        organisation = st.text_input(t("organisation"), max_chars=200, key="invite_organisation")
        role = st.selectbox(t("role"), roles, key="invite_role",
                            format_func=ui.labels(roles, lambda r: q.role_by_id[r].name[L]))
        email = st.text_input(t("email"), max_chars=254, key="invite_email")
        sent = st.form_submit_button(t("invite_send"), type="primary")
    if not sent:
        return
    try:
        invitation, secret = invitations.invite(db, who, assessment.id, name.strip(), role, email.strip(),
                                                organisation.strip() or None)
    except store.StoreError as error:
        st.error(ui.literal(error.message(L)))
        return
    _deliver(db, who, invitation, secret)
    st.rerun()


def _deliver(db, who, invitation: store.Invitation, secret: str) -> None:
    """Mail the link when mail is configured; keep it to show once in any case it could not be mailed."""
    link = f"{mail.public_url(session.seen_url())}/inbjudan/{secret}"
    mailed = False
    if mail.configured():
        region = region_by_code().get(invitation.region)
        try:
            mail.send(invitation.email, t("mail_invite_subject", region=region.name if region else invitation.region),
                      t("mail_invite_body", name=invitation.name, inviter=who.name, email=who.email,
                        region=region.name if region else invitation.region, round=invitation.round, link=link,
                        date=invitation.expires_at.astimezone(LOCAL).strftime("%Y-%m-%d")))
            invitations.mark_sent(db, who, invitation.respondent_id)
            mailed = True
        except (OSError, smtplib.SMTPException):
            st.session_state[NOTICE] = ("error", t("invite_mail_failed"))
    st.session_state[SHOWN] = (invitation.respondent_id, invitation.email, None if mailed else link, mailed)


def _flash() -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        (st.error if notice[0] == "error" else st.success)(notice[1])
    shown = st.session_state.pop(SHOWN, None)
    if not shown:
        return
    _, address, link, mailed = shown
    if mailed:
        st.success(t("invite_mailed", email=ui.literal(address)))
    else:
        st.success(t("invite_copy", email=ui.literal(address)))
        st.code(link, language=None, wrap_lines=True)


STATUS_ICON = {"invited": ":material/mail:", "started": ":material/edit:", "done": ":material/check_circle:",
               "revoked": ":material/block:", "expired": ":material/schedule:", "not_invited": ":material/person:"}


def status_text(invitation: store.Invitation) -> str:
    when = invitation.done_at if invitation.status == "done" else None
    text = t(f"invitation_{invitation.status}")
    if when is not None:
        text += " " + when.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
    if invitation.status in ("started", "done"):
        text += " · " + t("answered_of", answered=invitation.answered, asked=invitation.asked)
    return text


def _status_list(db, who, q, invited: list[store.Invitation], editable: bool) -> None:
    L = lang()
    st.subheader(t("invited_heading"))
    for invitation in invited:
        left, middle, right = st.columns([5, 2, 2], vertical_alignment="center")
        role = q.role_by_id[invitation.role].name[L] if invitation.role in q.role_by_id else invitation.role
        organisation = f", {ui.literal(invitation.organisation)}" if invitation.organisation else ""
        left.markdown(f"{STATUS_ICON[invitation.status]} **{ui.literal(invitation.name)}**{organisation} · {role} · "
                      f"{ui.literal(invitation.email)}  \n{t('status')}: {status_text(invitation)}")
        if not editable:
            continue
        again = t("invite_again") if invitation.invited_at is not None else t("invite_send")
        if invitation.status != "done" and middle.button(again, key=f"invite_again_{invitation.respondent_id}"):
            try:
                renewed, secret = invitations.reissue(db, who, invitation.respondent_id)
            except store.StoreError as error:
                st.error(ui.literal(error.message(L)))
            else:
                _deliver(db, who, renewed, secret)
                st.rerun()
        if invitation.invited_at is not None and invitation.status in ("invited", "started", "expired") and right.button(
                t("invite_revoke"), key=f"invite_revoke_{invitation.respondent_id}"):
            invitations.revoke(db, who, invitation.respondent_id)
            st.session_state[NOTICE] = ("ok", t("invite_revoked", name=ui.literal(invitation.name)))
            st.rerun()

