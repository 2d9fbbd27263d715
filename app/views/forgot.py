"""Glömt lösenord (signed out): a link to choose a new password, by mail.

The page says the same thing whether or not the address has an account, and the mail goes out in the
background, so the answer takes as long either way. The store limits how often one address or one client may
ask (store/passwords.py). Without mail configured the page sends nothing and says whom to ask instead.
"""

import streamlit as st

import store
from app import mail, session
from app.context import KEY
from app.i18n import lang, t

L = lang()
st.title(t("page_forgot"))
if not mail.configured():
    st.info(t("forgot_no_mail"))
    st.stop()

st.write(t("forgot_intro"))
with st.form("forgot", enter_to_submit=True, clear_on_submit=True):
    email = st.text_input(t("email"), key="forgot_email", autocomplete="username")
    asked = st.form_submit_button(t("forgot_send"), type="primary")

if asked:
    db = st.session_state[KEY].db
    found = store.request_reset(db, email, client=session.client_address())
    if found is not None:
        address, secret = found
        link = f"{mail.public_url(session.seen_url())}/losenord/{secret}?lang={L}"
        mail.send_later(address, t("mail_reset_subject"), t("mail_reset_body", link=link, hours=1))
    st.success(t("forgot_sent"))
