"""Välkommen: a partner's start page — who invited them, what the analysis is for, about how long it takes, by
when, that answers save themselves, whom to ask — and, optionally, a password of their own."""

import streamlit as st

from app.context import require
from app.i18n import t
from app.parts import welcome as parts
from store import invitations

ctx = require("welcome")
db, who = ctx.db, ctx.who
st.title(t("page_welcome"))
sheets = invitations.my_invitations(db, who)
for sheet in sheets:
    parts.introduction(db, who, sheet)
parts.password_choice(db, who, sheets)
if sheets:
    parts.start_button(sheets[0])
else:
    st.write(t("welcome_no_sheet"))
