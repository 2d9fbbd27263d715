"""Fyll i: one dimension at a time. The respondent picks the level description that fits; every change is
saved at once as a new revision in the store, so nothing is lost on refresh, reconnect or page switch."""

import streamlit as st

import store
from app import widgets as ui
from app.context import require
from app.i18n import lang, t
from app.parts import carried, invitations, receipt
from app.parts import fill as fs
from reports import formatting as fmt

ctx = require("fill")
db, who, L = ctx.db, ctx.who, lang()
st.title(t("page_fill"))

chosen = ui.round_or_stop([r for r in store.list_rounds(db, who) if r.open], empty="no_open_round")
region = ui.region_or_stop(store.regions_to_fill(who), empty="nothing_to_fill")
assessment = ui.assessment_or_stop(db, who, region, chosen.label, may_start=store.may_manage(who, region))

q = db.questionnaire(assessment.questionnaire)
manages = store.may_manage(who, region)
fs.submitted_receipt(assessment, region)  # right after "Lämna in": the receipt, at the top
removed = st.session_state.pop("_sheet_removed", None)
if removed:
    st.success(t("sheet_removed", name=ui.literal(removed)))
if not assessment.editable:
    st.info(t("read_only_assessment", status=ui.status_label(assessment.status)))
    may_reopen = chosen.open and ((manages and assessment.status == "submitted") or who.is_admin)
    if may_reopen and st.button(t("reopen"), key="reopen_assessment"):
        try:
            store.reopen_assessment(db, who, assessment.id)
        except store.StoreError as error:
            st.error(ui.literal(error.message(L)))
        else:
            st.rerun()
if manages and assessment.editable:
    fs.add_respondent_form(db, who, q, assessment)
invitations.section(db, who, q, assessment)  # the lead's invitations: inbjuden · påbörjad · klar

respondents = store.list_respondents(db, who, assessment.id)
if not respondents:
    st.info(t("no_respondents_yet") if manages else t("no_sheet_for_you"))
    st.stop()
by_id = {r.id: r for r in respondents}
sheet_id = ui.choose(t("respondent_sheet"), list(by_id), "chosen_sheet",
                     lambda rid: f"{by_id[rid].name} ({q.role_by_id[by_id[rid].role].name[L]})")
sheet = by_id[sheet_id]
snapshot = fs.Snapshot(db, who, q, assessment)
records = snapshot.records(sheet.id)
fs.sync_widgets(sheet.id, records, q)
followup = carried.sheet_state(db, who, sheet.id)

asked = [ind for ind in q.indicators if ind.applies_to(sheet.role)]
done = sum(1 for ind in asked if records.get(ind.id) is not None and records[ind.id].value is not None)
st.progress(done / len(asked) if asked else 1.0, text=t("sheet_progress", done=done, total=len(asked)))

dimensions = [d for d in q.dimensions if any(ind.applies_to(sheet.role) for ind in d.indicators)]


def dimension_label(dim_id: str) -> str:
    dim = q.dimension_by_id[dim_id]
    own = [ind for ind in dim.indicators if ind.applies_to(sheet.role)]
    answered = sum(1 for ind in own if records.get(ind.id) is not None and records[ind.id].value is not None)
    return f"{dim.id} {dim.title[L]} ({answered}/{len(own)})"


dim_id = ui.choose(t("dimension"), [d.id for d in dimensions], "chosen_dimension", dimension_label)
dimension = q.dimension_by_id[dim_id]
st.header(f"{dimension.id} {dimension.title[L]}")
if fs.TO_TOP in st.session_state:  # "Nästa dimension": to the top of the new dimension, its heading focused
    ui.scroll_to_top(st.session_state.pop(fs.TO_TOP))
st.write(dimension.description[L])
editable = assessment.editable and store.may_answer(who, region, sheet.id)
carried.dimension_section(db, who, sheet, dimension, followup, editable)  # "Bekräfta alla oförändrade svar …"

for indicator in dimension.indicators:
    if not indicator.applies_to(sheet.role):
        continue
    if indicator.id in followup.proposals:  # a proposal, not an answer: confirmed, changed with a reason, or cleared
        carried.proposal_block(db, who, q, sheet, indicator, followup.proposals[indicator.id], editable)
        continue
    carried.note(followup, indicator.id)  # "Frågan är ny i den här versionen" / "… har ändrats …"
    fs.indicator_block(db, who, q, sheet, indicator, records.get(indicator.id), editable)

# The running result is scored only when asked for: an answer that reruns the page (the first answer to an
# indicator) then saves and redraws without scoring the region (issue 15: no scoring on the save path).
if st.toggle(t("show_interim"), key="show_interim"):
    interim = fs.interim_result(snapshot, q, dimension.id)
    if interim is None:
        st.write(t("interim_none"))
    else:
        score_text = fmt.decimal(interim["score"], L, 2) if interim["score"] is not None else t("insufficient")
        stage = interim["stage"] or ""
        st.info(t("interim_result", score=score_text, stage=stage, completeness=fmt.share(interim["completeness"], L)))

position = [d.id for d in dimensions].index(dim_id)
left, right = st.columns(2)
if position > 0:
    left.button(t("previous_dimension"), key="previous_dimension", on_click=fs.go_to, args=(dimensions[position - 1].id,))
if position < len(dimensions) - 1:
    right.button(t("next_dimension"), key="next_dimension", type="primary", on_click=fs.go_to,
                 args=(dimensions[position + 1].id,))

receipt.done_section(db, who, q, assessment, sheet, records)  # a partner's own sheet: "Jag är klar"
# The lead's tools for the sheet, below the answers (above them they pushed the dimension picker out of view):
carried.start_section(db, who, assessment, sheet, followup)  # "Starta från förra omgångens svar"
if manages and assessment.editable:
    fs.remove_sheet_section(db, who, sheet, records)  # a sheet added by mistake, after a confirmation
if manages and assessment.editable:
    fs.submit_section(db, who, q, assessment, respondents, snapshot)
