"""Administration (national admin): rounds, users and memberships, questionnaire versions, import of
answers files, backup and the audit log."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.parts import admin as av

ctx = require("admin")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_admin"))
notice = st.session_state.pop("_admin_notice", None)
if notice:
    st.success(notice)

# the tabs keep their state (a key and on_change): after an action the admin stays in the same part
rounds_tab, users_tab, versions_tab, import_tab, backup_tab, audit_tab = st.tabs(
    [t("admin_rounds"), t("admin_users"), t("admin_versions"), t("admin_import"), t("admin_backup"), t("admin_audit")],
    key=f"admin_tab_{L}", on_change="rerun")

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
    if entries:  # in words and in Swedish time: "Svar sparat: D1.1 2 → 3"
        st.dataframe(ui.audit_table(entries, region=True, seconds=True), hide_index=True, width="stretch")
    else:
        st.write(t("no_changes"))
