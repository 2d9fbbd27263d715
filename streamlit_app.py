"""mognad's web app: page config, sign-in and role-based navigation. Pages live in app/views/."""

from pathlib import Path

import streamlit as st

from app import browser, heap, navigation, session, widgets
from app.context import Context, publish
from app.i18n import language_switch
from questionnaires import bundled

# The icon is a file of our own: a Material or emoji icon would be fetched from another host on every view.
ICON = Path(__file__).resolve().parent / "app" / "assets" / "favicon.png"
st.set_page_config(page_title="mognad", page_icon=str(ICON), layout="wide")
db = session.database()
heap.settle(lambda: [db.questionnaire(ref) for ref in bundled()])  # once per process: see app/heap.py
who = session.identity(db)  # the tab's session in the store, or the browser's cookie (a refresh, a second tab)
publish(Context(db, who))
session.restore_place()  # region, round, sheet, dimension from the address, once per tab
session.demo_banner(db)
page = navigation.menu(navigation.sections(who), navigation.elsewhere(who) + navigation.hidden(who))
navigation.go_on(who)  # just signed in: the page the person came for (a rerun there, before anything else)
language_switch()
navigation.account(who)
with st.sidebar:  # invisible: the cookie's handoff after a sign-in, and typed comments saved as they are typed
    browser.cookie_bridge()
    widgets.streamlit_words()  # Streamlit's own English words (uploader, aria-labels) in Swedish
    browser.typing_guard()
try:
    page.run()
finally:  # also after a page's st.stop(): the address keeps where the person is
    session.remember_place(who)
