"""Administration (national admin): rounds, users and memberships, questionnaire versions, import of
answers files, backup and the audit log."""

import pandas as pd
import streamlit as st

import store
from app.context import require
from app.i18n import lang, t
from app.parts import admin as av

ctx = require("admin")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_admin"))
notice = st.session_state.pop("_admin_notice", None)
if notice:
    st.success(notice)

rounds_tab, users_tab, versions_tab, import_tab, backup_tab, audit_tab = st.tabs(
    [t("admin_rounds"), t("admin_users"), t("admin_versions"), t("admin_import"), t("admin_backup"), t("admin_audit")])

with rounds_tab:
    av.rounds_section(db, who)
with users_tab:
    av.users_section(db, who)
with versions_tab:
    av.versions_section(db, who)
with import_tab:
    av.import_section(db, who)
with backup_tab:
    av.backup_section(db, who)
with audit_tab:
    entries = store.audit_log(db, who, limit=200)
    if entries:
        st.dataframe(pd.DataFrame([{t("when"): e.at.strftime("%Y-%m-%d %H:%M:%S"), t("who"): e.actor,
                                    t("what"): e.action, t("section_region"): e.region or "", t("target_col"): e.target,
                                    t("old_value"): "" if e.old is None else str(e.old)[:200],
                                    t("new_value"): "" if e.new is None else str(e.new)[:200]} for e in entries]),
                     hide_index=True, width="stretch")
    else:
        st.write(t("no_changes"))
