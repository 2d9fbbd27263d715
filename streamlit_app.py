"""mognad's web app: page config, sign-in and role-based navigation. Pages live in app/views/."""

import streamlit as st

from app import navigation, session
from app.context import Context, publish
from app.i18n import language_switch

st.set_page_config(page_title="mognad", page_icon=":material/insights:", layout="wide")
db = session.database()
who = session.identity(db)
publish(Context(db, who))
session.demo_banner(db)
navigation.run(navigation.sections(who))
language_switch()
navigation.account(who)
