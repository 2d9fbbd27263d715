"""The fill-in page's moving parts: widget state kept in step with the store, autosave callbacks,
conflict handling, the interim result and the submit check.

Widget keys are per respondent sheet and indicator. The revision each widget shows is remembered; when the
store holds a newer one (another tab, another person), the widget is refreshed before it is drawn, and a
save based on an outdated revision is refused by the store and shown as a conflict, never overwritten.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from questionnaires.model import DK, NA
from reports import formatting as fmt
from service.progress import Snapshot

SEEN = "_fill_seen"  # (sheet, indicator) → revision the widgets show
CONFLICTS = "_fill_conflicts"  # (sheet, indicator) → store.Conflict
ERRORS = "_fill_errors"  # (sheet, indicator) → message
SAVED = "_fill_saved"  # (sheet, indicator) → (saved at, by whom) of this session's newest save
ANSWERED = "_fill_answered"  # (sheet, indicator) → whether it has an answer (what the counters last showed)
WHOLE_PAGE = "_fill_whole_page"  # an answer was given or taken back: counters outside the block must follow
CONFIDENCE = ("low", "medium", "high")
LOCAL = ZoneInfo("Europe/Stockholm")


def _state(name: str) -> dict:
    return st.session_state.setdefault(name, {})


def value_key(sheet: int, indicator: str) -> str:
    return f"answer_{sheet}_{indicator}"


def comment_key(sheet: int, indicator: str) -> str:
    return f"comment_{sheet}_{indicator}"


def confidence_key(sheet: int, indicator: str) -> str:
    return f"confidence_{sheet}_{indicator}"


def sync_widgets(sheet: int, found: dict, q) -> None:
    """Before drawing: show the store's newest revision wherever the widget shows an older one."""
    seen = _state(SEEN)
    conflicts = _state(CONFLICTS)
    _state(SAVED).clear()  # the whole page ran: the records just read are the newest word
    answered = _state(ANSWERED)
    for indicator in q.indicators:
        key = (sheet, indicator.id)
        record = found.get(indicator.id)
        answered[key] = record is not None and record.value is not None
        revision = record.revision if record else 0
        if seen.get(key) == revision and value_key(*key) in st.session_state:
            continue
        if key in conflicts:
            continue  # the person decides first
        st.session_state[value_key(*key)] = record.value if record else None
        st.session_state[comment_key(*key)] = (record.comment or "") if record else ""
        st.session_state[confidence_key(*key)] = record.confidence if record else None
        seen[key] = revision


def _save(db, who, sheet: int, indicator: str, base: int | None = None) -> None:
    key = (sheet, indicator)
    seen = _state(SEEN)
    value = st.session_state.get(value_key(*key))
    comment = st.session_state.get(comment_key(*key), "")
    confidence = st.session_state.get(confidence_key(*key)) or ""
    had_value = _state(ANSWERED).get(key, False)
    try:
        seen[key] = store.save_answer(db, who, sheet, indicator, value, comment=comment, confidence=confidence,
                                      base_revision=seen.get(key, 0) if base is None else base)
        _state(CONFLICTS).pop(key, None)
        _state(ERRORS).pop(key, None)
        _state(SAVED)[key] = (dt.datetime.now(LOCAL), who.email)
        _state(ANSWERED)[key] = value is not None
        if had_value != (value is not None):  # the sheet's and the dimension's counters change
            st.session_state[WHOLE_PAGE] = True
    except store.Conflict as conflict:
        _state(CONFLICTS)[key] = conflict
    except store.StoreError as error:
        _state(ERRORS)[key] = error.message(lang())


def keep_stored(sheet: int, indicator: str) -> None:
    """Conflict resolved in favour of what is stored: the widgets will be refreshed from the store."""
    _state(CONFLICTS).pop((sheet, indicator), None)
    _state(SEEN).pop((sheet, indicator), None)


def save_mine(db, who, sheet: int, indicator: str) -> None:
    conflict = _state(CONFLICTS).get((sheet, indicator))
    if conflict is not None:
        _save(db, who, sheet, indicator, base=conflict.stored_revision)


@st.fragment
def indicator_block(db, who, q, sheet, indicator, record, editable: bool) -> None:
    """One indicator, drawn as a fragment: an answer, a comment or a confidence reruns this block only —
    one row saved, one indicator redrawn, nothing scored. When an answer is given or taken back, the whole
    page runs once more so that its counters follow."""
    if st.session_state.pop(WHOLE_PAGE, False):
        st.rerun(scope="app")
    L = lang()
    key = (sheet.id, indicator.id)
    _state(ANSWERED).setdefault(key, record is not None and record.value is not None)
    st.markdown(f"#### {indicator.id} {indicator.statement[L]}")
    with st.expander(t("evidence")):
        st.write(indicator.guidance[L])
    options = [level.value for level in q.levels] + ([NA] if indicator.na_allowed else []) + [DK]  # method 2: na only where allowed

    def describe(value) -> str:
        if value in (NA, DK):
            special = next(s for s in q.special if s.value == value)
            return f"{special.name[L]} – {special.descriptor[L]}"
        return f"{value} {q.levels[value].name[L]} – {indicator.levels[value][L]}"

    st.radio(t("your_answer", indicator=indicator.id), options, key=value_key(*key),
             format_func=ui.labels(options, describe),
             on_change=_save, args=(db, who, *key), disabled=not editable)
    left, right = st.columns([3, 1])
    left.text_area(t("comment_evidence_for", indicator=indicator.id), key=comment_key(*key), max_chars=4000, height=80,
                   on_change=_save, args=(db, who, *key), disabled=not editable,
                   help=t("comment_help"))
    right.segmented_control(t("confidence_for", indicator=indicator.id), CONFIDENCE, key=confidence_key(*key),
                            format_func=ui.labels(CONFIDENCE, lambda c: t(f"confidence_{c}")), on_change=_save, args=(db, who, *key),
                            disabled=not editable)
    conflict = _state(CONFLICTS).get(key)
    error = _state(ERRORS).get(key)
    if conflict is not None:
        stored = conflict.stored
        st.warning(t("conflict", stored=ui.literal(_shown(q, getattr(stored, "value", None))),
                     who=ui.literal(getattr(stored, "saved_by", "?")),
                     mine=ui.literal(_shown(q, st.session_state.get(value_key(*key))))))
        a, b = st.columns(2)
        a.button(t("keep_stored"), key=f"keep_{key[0]}_{key[1]}", on_click=keep_stored, args=key)
        b.button(t("save_mine"), key=f"mine_{key[0]}_{key[1]}", on_click=save_mine, args=(db, who, *key))
    elif error:
        st.error(ui.literal(error))
    elif key in _state(SAVED) or record is not None:
        if key in _state(SAVED):  # saved in this session since the page last ran: the block knows it
            saved, by = _state(SAVED)[key]
        else:
            saved = record.saved_at.astimezone(LOCAL) if record.saved_at.tzinfo else record.saved_at
            by = record.saved_by
        st.markdown(f":material/check_circle: {t('saved_at', time=saved.strftime('%H:%M'), who=ui.literal(by))}")


def _shown(q, value) -> str:
    if value is None:
        return t("no_answer")
    if value in (NA, DK):
        return q.special_name(value)[lang()]
    return f"{value} {q.levels[int(value)].name[lang()]}"


def interim_result(snapshot: Snapshot, q, dimension: str) -> dict | None:
    if snapshot.dimensions is None:
        return None
    row = snapshot.dimensions.loc[dimension]
    value = row["score"]
    stage = next((s.name[lang()] for s in q.stages if s.id == row["stage"]), None)
    return {"score": None if pd.isna(value) else float(value), "stage": stage, "completeness": row["completeness"]}


TO_TOP = "_fill_to_top"  # a dimension was changed with the buttons: the page opens at its top


def go_to(dimension: str) -> None:
    st.session_state["chosen_dimension"] = dimension
    st.session_state["_fill_to_top_count"] = st.session_state.get("_fill_to_top_count", 0) + 1
    st.session_state[TO_TOP] = st.session_state["_fill_to_top_count"]  # a new script each time, so it runs
    for language in ("sv", "en"):  # the shown selectbox is set, not dropped: a dropped one would come back from
        # the browser with the old dimension at the next answer
        if language == lang():
            st.session_state[f"_w_chosen_dimension_{language}"] = dimension
        else:
            st.session_state.pop(f"_w_chosen_dimension_{language}", None)


def add_respondent_form(db, who, q, assessment) -> None:
    L = lang()
    with st.expander(t("add_respondent")), st.form("add_respondent", clear_on_submit=True):
        name = st.text_input(t("respondent_name"), max_chars=200)
        role = st.selectbox(t("role"), [r.id for r in q.roles], format_func=lambda r: q.role_by_id[r].name[L])
        organisation = st.text_input(t("organisation"), max_chars=200)
        email = st.text_input(t("respondent_email"), help=t("respondent_email_help"))
        if st.form_submit_button(t("add")):
            try:
                store.add_respondent(db, who, assessment.id, name.strip(), role, organisation.strip() or None,
                                     email.strip() or None)
            except store.StoreError as error:
                st.error(ui.literal(error.message(L)))
            else:
                st.success(t("respondent_added", name=ui.literal(name.strip())))


def missing_overview(snapshot: Snapshot, q, respondents) -> list[str]:
    """Plain-language lines on what is not yet answered, per respondent sheet and per dimension."""
    L = lang()
    lines = []
    answered = {(r.respondent_id, r.indicator) for r in snapshot.answers if r.value is not None}
    for person in respondents:
        open_ = [ind.id for ind in q.indicators if ind.applies_to(person.role) and (person.id, ind.id) not in answered]
        if open_:
            shown = ", ".join(open_[:8]) + (" …" if len(open_) > 8 else "")
            lines.append(t("missing_sheet", name=person.name, count=len(open_), ids=shown))
    dims = snapshot.dimensions
    if dims is not None:
        for dim in q.dimensions:
            if not dims.loc[dim.id, "sufficient"]:
                lines.append(t("missing_dimension", dimension=f"{dim.id} {dim.title[L]}",
                               completeness=fmt.share(dims.loc[dim.id, "completeness"], L)))
    return lines


def submit_section(db, who, q, assessment, respondents, snapshot: Snapshot) -> None:
    st.divider()
    st.subheader(t("submit_heading"))
    missing = missing_overview(snapshot, q, respondents)
    if missing:
        st.warning(t("missing_intro") + "\n\n" + "\n".join(f"- {ui.literal(line)}" for line in missing))
        confirmed = st.checkbox(t("submit_anyway"), key="submit_anyway")
    else:  # complete: still two steps, the consequence read and confirmed before "Lämna in"
        st.success(t("nothing_missing"))
        confirmed = st.checkbox(t("submit_confirm"), key="submit_confirm")
    st.caption(t("submit_consequence"))  # what submitting does, said before the button
    if st.button(t("submit"), type="primary", disabled=not confirmed, key="submit_assessment"):
        try:
            store.submit_assessment(db, who, assessment.id)
        except store.StoreError as error:
            st.error(ui.literal(error.message(lang())))
        else:
            st.session_state[SUBMITTED] = (assessment.id, dt.datetime.now(dt.UTC), who.name or who.email)
            st.rerun()


SUBMITTED = "_submitted_notice"  # (assessment id, when, by whom) of a submit in this session


def submitted_receipt(assessment, region: str) -> None:
    """At the top of the page, where the person looks after "Lämna in": when, by whom, what happens next and a
    link to Resultat. Shown until the page is left."""
    found = st.session_state.get(SUBMITTED)
    if not found or found[0] != assessment.id or assessment.editable:
        return
    _, when, by = found
    stamp = ui.local_time(when)
    st.success(t("submitted_receipt", region=ui.region_name(region), date=stamp[:10], time=stamp[11:],
                 who=ui.literal(by)), icon=":material/task_alt:")
    st.write(t("submitted_next"))
    st.page_link("app/views/results.py", label=t("see_results"), icon=":material/insights:")


def remove_sheet_section(db, who, sheet, records: dict) -> None:
    """The lead removes a sheet added by mistake, in two steps: the button, then the consequence and a yes."""
    asking = f"_remove_sheet_{sheet.id}"
    if not st.session_state.get(asking):
        st.button(t("remove_sheet"), key=f"remove_sheet_{sheet.id}", icon=":material/delete:",
                  on_click=st.session_state.__setitem__, args=(asking, True))
        return
    answers = sum(1 for record in records.values() if record is not None and record.value is not None)
    with st.container(border=True):
        st.warning(t("remove_sheet_confirm", name=ui.literal(sheet.name), answers=answers))
        yes, no = st.columns(2)
        if no.button(t("cancel"), key=f"remove_sheet_no_{sheet.id}"):
            st.session_state.pop(asking, None)
            st.rerun()
        if yes.button(t("remove_sheet_yes"), type="primary", key=f"remove_sheet_yes_{sheet.id}"):
            st.session_state.pop(asking, None)
            try:
                store.remove_respondent(db, who, sheet.id)
            except store.StoreError as error:
                st.error(ui.literal(error.message(lang())))
            else:
                st.session_state.pop("chosen_sheet", None)
                st.session_state["_sheet_removed"] = sheet.name
                st.rerun()
