"""mognad's web app: page config, sign-in and role-based navigation. Pages live in app/views/."""

import streamlit as st

from app import navigation
from app.i18n import language_switch, t

st.set_page_config(page_title="mognad", page_icon=":material/insights:", layout="wide")
sections = {
    t("section_about"): [
        st.Page("app/views/instrument.py", title=t("page_instrument"), url_path="instrument", default=True),
        st.Page("app/views/score_file.py", title=t("page_score_file"), url_path="rakna"),
    ],
}
navigation.run(sections)
language_switch()
