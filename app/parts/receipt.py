"""Fyll i, on a partner's own sheet: "Jag är klar" and the receipt ("Tack! Dina svar lämnades 16:22 …").

The region's lead sees it at once in the list of invited partners (app/parts/invitations.py). A sheet with
unanswered questions can be marked as done too, after a confirmation.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t

LOCAL = ZoneInfo("Europe/Stockholm")
MONTHS = {"sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                 "november", "december"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}


def when(moment) -> tuple[str, str]:
    """('16:22', '2 december 2026') in Swedish time, in the session's language."""
    local = moment.astimezone(LOCAL)
    return local.strftime("%H:%M"), f"{local.day} {MONTHS[lang()][local.month - 1]} {local.year}"


def done_section(db, who, q, assessment, sheet, records: dict) -> None:
    if sheet.id not in who.respondent_ids:
        return
    asked = [ind.id for ind in q.indicators if ind.applies_to(sheet.role)]
    answered = sum(1 for ind in asked if records.get(ind) is not None and records[ind].value is not None)
    receipt = store.receipt(db, who, sheet.id)
    st.divider()
    st.subheader(t("done_heading"))
    if receipt is not None:
        time, date = when(receipt.done_at)
        st.success(t("receipt_text", time=time, date=date, answered=receipt.answered, asked=receipt.asked))
        st.write(t("receipt_next"))
    if not assessment.editable:
        return
    confirmed = True
    if answered < len(asked):
        st.warning(t("done_missing", missing=len(asked) - answered, asked=len(asked)))
        confirmed = st.checkbox(t("done_anyway"), key=f"done_anyway_{sheet.id}")
    label = t("done_again") if receipt is not None else t("done_button")
    if st.button(label, type="primary" if receipt is None else "secondary", disabled=not confirmed,
                 key=f"sheet_done_{sheet.id}"):
        try:
            store.mark_done(db, who, sheet.id, incomplete_ok=answered < len(asked))
        except store.StoreError as error:
            st.error(ui.literal(error.message(lang())))
        else:
            st.rerun()
