"""mognad's web app: page config, sign-in and role-based navigation. Pages live in app/views/."""

from pathlib import Path

import streamlit as st

from app import heap, navigation, session
from app.context import Context, publish
from app.i18n import language_switch
from questionnaires import bundled

# The icon is a file of our own: a Material or emoji icon would be fetched from another host on every view.
ICON = Path(__file__).resolve().parent / "app" / "assets" / "favicon.png"
st.set_page_config(page_title="mognad", page_icon=str(ICON), layout="wide")
db = session.database()
heap.settle(lambda: [db.questionnaire(ref) for ref in bundled()])  # once per process: see app/heap.py
who = session.identity(db)
publish(Context(db, who))
session.demo_banner(db)
navigation.run(navigation.sections(who))
language_switch()
navigation.account(who)
