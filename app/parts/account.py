"""Mitt konto's sections: change or choose one's password, one's sign-ins ("Logga ut överallt"), and for the
national admin: end an account's sessions, or make a one-time link to set a new password (24 hours)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

import store
from app import mail, session
from app import widgets as ui
from app.i18n import lang, t
from store import passwords

LOCAL = ZoneInfo("Europe/Stockholm")
NOTICE = "_account_notice"
LINK = "_account_reset_link"


def local_time(moment: dt.datetime | None) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M") if moment else ""


def _notice() -> None:
    said = st.session_state.pop(NOTICE, None)
    if said:
        st.success(said)


def password_section(db, who) -> None:
    _notice()
    has_password = store.get_user(db, who, who.email).has_password
    st.subheader(t("change_password") if has_password else t("choose_password"))
    if not has_password:
        st.write(t("choose_password_intro"))
    with st.form("password", clear_on_submit=True):
        current = (st.text_input(t("current_password"), type="password", autocomplete="current-password",
                                 key="current_password") if has_password else None)
        new = st.text_input(t("new_password"), type="password", autocomplete="new-password", key="new_password",
                            help=t("password_rule"))
        repeat = st.text_input(t("repeat_password"), type="password", autocomplete="new-password", key="repeat_password")
        saved = st.form_submit_button(t("save_password"), type="primary")
    if not saved:
        return
    if new != repeat:
        st.error(t("passwords_differ"))
        return
    try:
        if has_password:
            store.change_password(db, who, current, new, keep_session=session.current_session())
        else:
            passwords.set_first_password(db, who, new, keep_session=session.current_session())
    except (store.AuthFailed, store.Invalid, store.Forbidden) as error:
        st.error(ui.literal(error.message(lang())))
    else:
        st.session_state[NOTICE] = t("password_saved")
        st.rerun()


def sessions_section(db, who) -> None:
    st.subheader(t("your_sessions"))
    found = store.list_sessions(db, who)
    mine = session.current_session()
    if found:
        st.table(pd.DataFrame([{
            t("session_started"): local_time(s.created_at), t("session_last_seen"): local_time(s.last_seen_at),
            t("session_browser"): _browser(s.user_agent), t("session_this"): t("yes") if s.id == mine else "",
        } for s in found]).set_index(t("session_started")))
    else:
        st.write(t("no_sessions"))
    st.write(t("sign_out_everywhere_help"))
    if st.button(t("sign_out_everywhere"), key="sign_out_everywhere"):
        session.sign_out(notice="signed_out_everywhere", everywhere=True)
        st.rerun()


def admin_section(db, who) -> None:
    st.divider()
    st.subheader(t("admin_accounts_heading"))
    accounts = store.list_users(db, who)
    if not accounts:
        return
    by_email = {user.email: user for user in accounts}
    email = st.selectbox(t("account"), list(by_email), key="account_admin_email",
                         format_func=ui.labels(list(by_email), lambda e: f"{by_email[e].name} ({e})"))
    user = by_email[email]
    live = store.list_sessions(db, who, email)
    st.write(t("admin_sessions_count", count=len(live)))
    left, right = st.columns(2)
    if left.button(t("admin_end_sessions"), key="admin_end_sessions", disabled=not live):
        ended = store.end_sessions(db, who, email)
        st.session_state[NOTICE] = t("admin_sessions_ended", count=ended, email=ui.literal(email))
        st.rerun()
    if right.button(t("admin_reset_link"), key="admin_reset_link", disabled=user.disabled):
        address, secret = store.issue_reset(db, who, email)
        link = f"{mail.public_url(session.seen_url())}/losenord/{secret}"
        sent = False
        if mail.configured():
            try:
                mail.send(address, t("mail_reset_subject"), t("mail_reset_body", link=link, hours=24))
                sent = True
            except OSError:
                sent = False
        st.session_state[LINK] = (address, link, sent)
        st.rerun()
    shown = st.session_state.get(LINK)
    if shown and shown[0] == email:
        address, link, sent = shown
        if sent:
            st.success(t("reset_link_sent", email=ui.literal(address)))
        st.write(t("reset_link_copy", email=ui.literal(address)))
        st.code(link, language=None)


def _browser(agent: str | None) -> str:
    if not agent:
        return "–"
    for name in ("Edg", "Firefox", "Chrome", "Safari"):
        if name in agent:
            return {"Edg": "Edge"}.get(name, name)
    return agent[:40]
