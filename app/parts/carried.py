"""Fyll i in a follow-up round: the lead starts sheets from last round's answers; a carried answer is shown as a
proposal ("Från förra omgången: 3 – …") that the person confirms, changes with a reason, or clears; new and
changed questions say why they start empty. The rules live in store/carry.py."""

from __future__ import annotations

import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from app.parts import fill as fs
from questionnaires.model import DK, NA
from store import carry

NOTICE = "_carry_notice"
ERROR = "_carry_error"  # (sheet, indicator or "") → message
CHANGING = "_carry_changing"  # "sheet_indicator" keys whose change form is open


def sheet_state(db, who, sheet_id: int) -> store.SheetFollowup:
    """One read per page run: the sheet's pending proposals and the notes on new and changed questions."""
    try:
        return store.sheet_followup(db, who, sheet_id)
    except store.StoreError:
        return store.SheetFollowup(None)


def _answer_text(q, indicator, value) -> str:
    L = lang()
    if value in (NA, DK):
        special = next(s for s in q.special if s.value == value)
        return special.name[L]
    return f"{value} {q.levels[int(value)].name[L]} – {indicator.levels[int(value)][L]}"


# -- the lead: start from last round ------------------------------------------------------------------------

def _start(db, who, assessment_id: int, sheets: list[int] | None) -> None:
    try:
        added = store.carry_forward(db, who, assessment_id, sheets)
    except store.StoreError as error:
        st.session_state[ERROR] = {("start", ""): error.message(lang())}
        return
    made = {sheet: count for sheet, count in added.items() if count}
    st.session_state[NOTICE] = (t("fu_started", proposals=sum(made.values()), sheets=len(made)) if made
                                else t("fu_no_match"))


def start_section(db, who, assessment, sheet, state: store.SheetFollowup) -> None:
    """For the lead of an editable assessment in a follow-up round: start this sheet or every matched sheet."""
    if state.previous_round is None or not assessment.editable or not store.may_manage(who, assessment.region):
        return
    with st.expander(t("fu_start_heading", round=ui.literal(state.previous_round))):
        st.write(t("fu_start_intro"))
        left, right = st.columns(2)
        left.button(t("fu_start_sheet"), key=f"carry_sheet_{sheet.id}", on_click=_start,
                    args=(db, who, assessment.id, [sheet.id]), disabled=not sheet.user_email)
        right.button(t("fu_start_all"), key="carry_all", on_click=_start, args=(db, who, assessment.id, None))
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)
    error = st.session_state.get(ERROR, {}).pop(("start", ""), None)
    if error:
        st.error(ui.literal(error))


# -- the person: a dimension's proposals -----------------------------------------------------------------------

def _confirm_dimension(db, who, sheet_id: int, dimension: str) -> None:
    try:
        done = carry.confirm(db, who, sheet_id, dimension=dimension)
    except store.StoreError as error:
        st.session_state.setdefault(ERROR, {})[(sheet_id, dimension)] = error.message(lang())
        return
    st.session_state[NOTICE] = t("fu_confirmed", count=len(done))
    _refresh(sheet_id, done)


def _refresh(sheet_id: int, indicators) -> None:
    """The answer widgets show the store's newest revision on the next run (app/parts/fill.py)."""
    seen = st.session_state.get(fs.SEEN, {})
    for indicator in indicators:
        seen.pop((sheet_id, indicator), None)


def dimension_section(db, who, sheet, dimension, state: store.SheetFollowup, editable: bool) -> None:
    pending = [ind.id for ind in dimension.indicators if ind.id in state.proposals]
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)
    if not pending:
        return
    st.info(t("fu_pending_dimension", count=len(pending)), icon=":material/history:")
    st.button(t("fu_confirm_dimension", count=len(pending)), key=f"carry_confirm_{sheet.id}_{dimension.id}",
              type="primary", on_click=_confirm_dimension, args=(db, who, sheet.id, dimension.id), disabled=not editable)
    error = st.session_state.get(ERROR, {}).pop((sheet.id, dimension.id), None)
    if error:
        st.error(ui.literal(error))


def note(state: store.SheetFollowup, indicator_id: str) -> None:
    why = state.notes.get(indicator_id)
    if why:
        st.caption(f":material/fiber_new: {t('fu_note_' + why)}")


# -- the person: one proposal ------------------------------------------------------------------------------

def _confirm_one(db, who, sheet_id: int, indicator: str) -> None:
    try:
        carry.confirm(db, who, sheet_id, [indicator])
    except store.StoreError as error:
        st.session_state.setdefault(ERROR, {})[(sheet_id, indicator)] = error.message(lang())
        return
    _refresh(sheet_id, [indicator])


def _dismiss(db, who, sheet_id: int, indicator: str) -> None:
    try:
        carry.dismiss(db, who, sheet_id, indicator)
    except store.StoreError as error:
        st.session_state.setdefault(ERROR, {})[(sheet_id, indicator)] = error.message(lang())
        return
    _refresh(sheet_id, [indicator])


def _change(db, who, sheet_id: int, indicator: str) -> None:
    value = st.session_state.get(f"carry_value_{sheet_id}_{indicator}")
    reason = st.session_state.get(f"carry_reason_{sheet_id}_{indicator}", "")
    try:
        carry.change(db, who, sheet_id, indicator, value, reason)
    except store.Invalid as error:
        st.session_state.setdefault(ERROR, {})[(sheet_id, indicator)] = "\n".join(error.lines(lang()))
        return
    except store.StoreError as error:
        st.session_state.setdefault(ERROR, {})[(sheet_id, indicator)] = error.message(lang())
        return
    st.session_state.get(CHANGING, set()).discard(f"{sheet_id}_{indicator}")
    _refresh(sheet_id, [indicator])


def _open_change(key: str) -> None:
    st.session_state.setdefault(CHANGING, set()).add(key)


def proposal_block(db, who, q, sheet, indicator, proposal: store.Carried, editable: bool) -> None:
    """A carried answer, visibly a proposal: last round's answer and comment, Bekräfta / Börja tomt, and a
    change that asks "Vad har ändrats?"."""
    L = lang()
    key = f"{sheet.id}_{indicator.id}"
    st.markdown(f"#### {indicator.id} {ui.literal(indicator.statement[L])}")
    with st.container(border=True):
        st.markdown(f":material/history: **{ui.literal(t('fu_from_last', round=proposal.from_round, answer=_answer_text(q, indicator, proposal.value)))}**")
        if proposal.comment:
            st.markdown(ui.literal(t("fu_last_comment", comment=proposal.comment)))
        st.caption(t("fu_not_counted"))
        left, middle, right = st.columns(3)
        left.button(t("fu_confirm"), key=f"carry_ok_{key}", on_click=_confirm_one, args=(db, who, sheet.id, indicator.id),
                    disabled=not editable)
        middle.button(t("fu_change_heading"), key=f"carry_edit_{key}", on_click=_open_change, args=(key,),
                      disabled=not editable)
        right.button(t("fu_dismiss"), key=f"carry_empty_{key}", on_click=_dismiss, args=(db, who, sheet.id, indicator.id),
                     disabled=not editable)
        if editable and key in st.session_state.get(CHANGING, set()):  # drawn only when asked for: a light page
            options = [level.value for level in q.levels] + ([NA] if indicator.na_allowed else []) + [DK]
            options = [value for value in options if value != proposal.value]
            with st.form(f"carry_form_{key}", border=False):
                st.radio(t("fu_new_answer", indicator=indicator.id), options, index=None, key=f"carry_value_{key}",
                         format_func=ui.labels(options, lambda v: _answer_text(q, indicator, v)))
                st.text_input(t("fu_reason"), key=f"carry_reason_{key}", max_chars=carry.MAX_REASON,
                              help=t("fu_reason_help"))
                st.form_submit_button(t("fu_save_change"), on_click=_change, args=(db, who, sheet.id, indicator.id))
        error = st.session_state.get(ERROR, {}).pop((sheet.id, indicator.id), None)
        if error:
            st.error(ui.literal(error))
