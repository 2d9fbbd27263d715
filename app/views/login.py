"""Logga in: local accounts (argon2 in the store) or the organisation's identity provider (OIDC).

A local sign-in starts a session in the store; the browser then holds it in an HttpOnly cookie (app/browser.py,
app/web.py), so a refresh or a second tab stays signed in. Afterwards the person lands on the page they came for.
"""

import streamlit as st

import store
from app import session
from app.context import KEY
from app.i18n import lang, t

L = lang()
st.title(t("page_login"))
st.write(t("login_intro"))
notice = st.session_state.pop(session.NOTICE_KEY, None)
if notice:
    st.info(t(f"notice_{notice}", minutes=int(session.TIMEOUT_MINUTES)))

if session.oidc_configured():
    st.button(t("login_oidc"), key="login_oidc", on_click=st.login, type="primary")
    st.markdown(t("login_or_local"))

with st.form("login", enter_to_submit=True):
    email = st.text_input(t("email"), key="login_email", autocomplete="username")
    password = st.text_input(t("password"), type="password", key="login_password", autocomplete="current-password")
    submitted = st.form_submit_button(t("sign_in"), type="primary")

if submitted:
    db = st.session_state[KEY].db
    try:
        found = store.authenticate(db, email, password)
    except store.AuthFailed as exc:
        st.error(exc.message(L))  # our own fixed text: it quotes nothing the person typed
    else:
        session.sign_in(db, found)
        st.rerun()

st.page_link("app/views/forgot.py", label=t("forgot_link"))
