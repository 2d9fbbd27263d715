"""Mitt konto: one's password and sign-ins; for the national admin also other accounts' sessions and reset links."""

import streamlit as st

from app.context import require
from app.i18n import t
from app.parts import account as parts

ctx = require("account")
db, who = ctx.db, ctx.who
st.title(t("page_account"))
parts.password_section(db, who)
parts.sessions_section(db, who)
if who.is_admin:
    parts.admin_section(db, who)
