"""The action-plan page's parts: proposals, saving the editor, the Excel round trip, last round's plan."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from app import data
from app import plan_editor as pe
from app.i18n import lang, t
from questionnaires.actionplan import FIELDS, STATUSES
from reports import formatting as fmt


def proposals(db, who, q, region: str, round_: str) -> pd.DataFrame | None:
    result = data.region_scores(db, who, q, region, round_)
    if result is None:
        return None
    _, _, plan = result
    if (region, round_) not in plan.index.droplevel("dimension"):
        return None
    rows = plan.loc[(region, round_)]
    return rows[rows["gap"] > 0]


def proposal_list(db, who, q, assessment, rows: pd.DataFrame, items, version: int, may_edit: bool) -> None:
    L = lang()
    if rows.empty:
        st.write(t("insufficient_for_plan"))
        return
    in_plan = {item.source_action for item in items if item.source_action}
    for dim_id, row in rows.iterrows():
        dimension = q.dimension_by_id[dim_id]
        stage = next(s for s in q.stages if s.id == row["target_stage"])
        st.markdown(f"**{dimension.id} {dimension.title[L]}** – {t('target')}: {stage.name[L]} "
                    f"({fmt.decimal(row['target'], L)}), {t('gap')} {fmt.decimal(row['gap'], L, 2)}, "
                    f"{t('priority')} {fmt.decimal(row['priority'], L, 2)}")
        for action in row["actions"]:
            text = f"{action['indicator']} {action['from_level']}→{action['to_level']}: {action['text'][L]}"
            if action["id"] in in_plan:
                st.markdown(f"- {text} ({t('already_in_plan')})")
                continue
            left, right = st.columns([5, 1])
            left.markdown(f"- {text}")
            if may_edit and right.button(t("add_to_plan"), key=f"propose_{action['id']}"):
                _save(db, who, assessment, [pe.from_proposal(dim_id, action, L)], [], version)


def _save(db, who, assessment, items, deleted, version) -> bool:
    L = lang()
    try:
        new_version = store.save_plan(db, who, assessment.id, items, deleted_ids=deleted, base_version=version)
    except store.Conflict:
        st.error(t("plan_conflict"))
        return False
    except store.Invalid as error:
        st.error(t("plan_problems") + "\n\n" + "\n".join(f"- {p.render(L)}" for p in error.problems))
        return False
    except store.StoreError as error:
        st.error(error.message(L))
        return False
    st.session_state["_plan_notice"] = t("plan_saved", version=new_version)
    st.rerun()
    return True


def save(db, who, q, assessment, edited: pd.DataFrame, before: pd.DataFrame, version: int) -> None:
    _save(db, who, assessment, pe.frame_items(edited), pe.deleted_ids(before, edited), version)


def readable(items, q) -> pd.DataFrame:
    L = lang()
    return pd.DataFrame([{
        FIELDS["dimension"][L]: f"{i.dimension} {q.dimension_by_id[i.dimension].title[L]}"
        if i.dimension in q.dimension_by_id else i.dimension,
        FIELDS["indicators"][L]: ", ".join(i.indicators), FIELDS["action"][L]: i.action, FIELDS["owner"][L]: i.owner,
        FIELDS["start"][L]: fmt.iso_date(i.start) if i.start else "", FIELDS["due"][L]: fmt.iso_date(i.due) if i.due else "",
        FIELDS["resources"][L]: i.resources, FIELDS["success_indicator"][L]: i.success_indicator,
        FIELDS["status"][L]: STATUSES[i.status][L] if i.status in STATUSES else i.status,
    } for i in items], columns=[FIELDS[k][L] for k in FIELDS])


def excel_round_trip(db, who, q, assessment, items, version: int, may_edit: bool) -> None:
    from reports.planbook import read_plan_workbook
    from reports.problems import WorkbookError

    L = lang()
    st.subheader(t("excel_heading"))
    st.write(t("excel_help"))
    st.download_button(t("download_plan_xlsx"), data=lambda: data.plan_workbook_bytes(db, who, q, assessment, L),
                       file_name=f"handlingsplan-{assessment.region}-{assessment.round}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click="ignore", key="download_plan_xlsx")
    if not may_edit:
        return
    upload = st.file_uploader(t("upload_plan_xlsx"), type=["xlsx"], key=f"plan_upload_{version}", max_upload_size=10)
    if upload is None:
        return
    try:
        uploaded = read_plan_workbook(upload.getvalue(), q, L, region=assessment.region, round_=assessment.round,
                                      filename=upload.name)
    except WorkbookError as error:
        st.error(t("file_problems") + "\n\n" + "\n".join(f"- {p.render(L)}" for p in error.problems))
        return
    stored = {item.id: item for item in items}
    kept = {item.id for item in uploaded if item.id}
    changed = [item for item in uploaded if item.id in stored and item != stored[item.id]]
    new = [item for item in uploaded if not item.id]
    removed = [ident for ident in stored if ident not in kept]
    st.write(t("plan_upload_preview", count=len(uploaded), changed=len(changed), new=len(new), removed=len(removed)))
    if st.button(t("apply_upload"), type="primary", key="apply_upload"):
        _save(db, who, assessment, [*changed, *new], removed, version)


def previous_round(db, who, q, region: str, chosen, rounds) -> None:
    L = lang()
    earlier = [r for r in sorted(rounds, key=lambda r: (r.opened_at, r.id)) if r.opened_at < chosen.opened_at]
    st.subheader(t("previous_plan_heading"))
    for previous in reversed(earlier):
        try:
            found = store.get_assessment(db, who, region, previous.label)
            items = store.plan_items(db, who, found.id)
        except (store.NotFound, store.Forbidden):
            continue
        if not items:
            continue
        changes = data.dimension_changes(db, who, q, region, previous.label, chosen.label)
        rows = []
        for item in items:
            change = changes.get(item.dimension)
            rows.append({
                t("round"): previous.label,
                FIELDS["dimension"][L]: item.dimension, FIELDS["action"][L]: item.action,
                FIELDS["status"][L]: STATUSES[item.status][L] if item.status in STATUSES else item.status,
                t("change"): fmt.decimal(change, L, 2) if change is not None else "–",
            })
        st.table(pd.DataFrame(rows).set_index(t("round")))
        return
    st.write(t("no_previous_plan"))


def status_summary(items) -> None:
    if not items:
        return
    L = lang()
    counts = pd.Series([STATUSES[i.status][L] for i in items if i.status in STATUSES]).value_counts()
    st.subheader(t("status_summary"))
    st.table(counts.rename_axis(FIELDS["status"][L]).rename(t("count")).to_frame())
