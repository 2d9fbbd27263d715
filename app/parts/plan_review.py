"""Handlingsplan in a follow-up round: the review of last round's actions (status, outcome, continues) and
"Skapa ny plan", which stays disabled, saying why, until every action is reviewed. Rules: store/plan_review.py."""

from __future__ import annotations

import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from questionnaires.actionplan import STATUSES
from store.schema import REVIEW_STATUSES

NOTICE = "_plan_review_notice"
ERROR = "_plan_review_error"


def _status_label(code: str | None) -> str:
    return t(f"fu_status_{code}") if code else t("fu_status_none")


def _save(db, who, assessment_id: int, items) -> None:
    entries = []
    for item in items:
        status = st.session_state.get(f"review_status_{item.id}")
        if status is None:
            continue  # not reviewed yet: nothing to save for it
        entries.append(store.ReviewEntry(item.id, status, st.session_state.get(f"review_outcome_{item.id}", ""),
                                         bool(st.session_state.get(f"review_continues_{item.id}", False))))
    try:
        changed = store.save_reviews(db, who, assessment_id, entries)
    except store.Invalid as error:
        st.session_state[ERROR] = "\n".join(error.lines(lang()))
        return
    except store.StoreError as error:
        st.session_state[ERROR] = error.message(lang())
        return
    st.session_state[NOTICE] = t("fu_review_saved", count=changed)


def _new_plan(db, who, assessment_id: int) -> None:
    try:
        made = store.start_new_plan(db, who, assessment_id)
    except store.StoreError as error:
        st.session_state[ERROR] = error.message(lang())
        return
    st.session_state[NOTICE] = t("fu_new_plan_made", count=len(made))


def section(db, who, assessment, may_edit: bool) -> None:
    """Last round's plan, reviewed; nothing in a region's first round."""
    try:
        last = store.last_plan(db, who, assessment.id)
    except store.StoreError:
        return
    if last.previous_round is None or not last.items:
        return
    L = lang()
    st.subheader(t("fu_review_heading", round=ui.literal(last.previous_round)))
    st.write(t("fu_review_intro"))
    if may_edit:
        with st.form(f"plan_review_{assessment.id}"):
            for item in last.items:
                review = last.reviews.get(item.id)
                st.markdown(f"**{ui.literal(item.action)}** · {ui.literal(item.dimension)} · "
                            f"{t('fu_review_owner')}: {ui.literal(item.owner or '–')} · "
                            f"{ui.literal(STATUSES[item.status][L])}")
                left, middle, right = st.columns([2, 4, 1])
                left.selectbox(t("fu_review_status"), REVIEW_STATUSES, key=f"review_status_{item.id}",
                               index=REVIEW_STATUSES.index(review.status) if review else None,
                               format_func=ui.labels(list(REVIEW_STATUSES), _status_label))
                middle.text_input(t("fu_review_outcome"), value=review.outcome if review else "",
                                  key=f"review_outcome_{item.id}", max_chars=1000)
                right.checkbox(t("fu_review_continues"), value=review.continues if review else False,
                               key=f"review_continues_{item.id}")
            st.form_submit_button(t("fu_review_save"), on_click=_save, args=(db, who, assessment.id, last.items))
    else:
        rows = [{t("fu_review_action"): item.action, t("fu_review_owner"): item.owner,
                 t("fu_review_status"): _status_label(last.reviews[item.id].status if item.id in last.reviews else None),
                 t("fu_review_outcome"): last.reviews[item.id].outcome if item.id in last.reviews else "",
                 t("fu_review_continues"): bool(item.id in last.reviews and last.reviews[item.id].continues)}
                for item in last.items]
        st.dataframe(rows, hide_index=True, width="stretch")
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(ui.literal(error))
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)
    missing = len(last.missing)
    why = t("fu_review_missing", missing=missing, total=len(last.items)) if missing else None
    if why:
        st.info(why)
    else:
        st.caption(t("fu_review_done", total=len(last.items)))
    if may_edit:
        st.button(t("fu_new_plan"), key="followup_new_plan", disabled=bool(missing), help=why,
                  on_click=_new_plan, args=(db, who, assessment.id))
