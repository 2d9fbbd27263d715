"""The action-plan page's parts: proposals, the editor's table (between the stored PlanItems and the table
people edit in st.data_editor), saving it, the Excel round trip, last round's plan."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from questionnaires.actionplan import COLUMNS as PLAN_COLUMNS
from questionnaires.actionplan import DEFAULT_STATUS, FIELDS, STATUSES, PlanItem
from reports import formatting as fmt
from service.reports import plan_workbook_bytes


def proposals(report) -> list:
    """The method's proposals with a gap to close, from the region's report (read once by the page)."""
    if report is None:
        return []
    return [proposal for proposal in report.proposals if proposal.gap is not None and proposal.gap > 0]


def proposal_list(db, who, q, assessment, rows: list, items, version: int, may_edit: bool) -> None:
    """The method's proposals in words ("Målet är Etablerad; ni ligger 1,0 under."), each step with its own
    button, and the five most important steps at once."""
    L = lang()
    if not rows:
        st.write(t("insufficient_for_plan"))
        return
    in_plan = {item.source_action for item in items if item.source_action}
    texts = {action.id: action.text for action in q.actions}
    top = [(proposal.dimension, action) for proposal in rows for action in proposal.actions
           if action["id"] not in in_plan][:5]  # the proposals come in the method's order of priority
    if may_edit and top:
        st.caption(t("plan_top_help"))
        if st.button(t("plan_add_top", count=len(top)), key="add_top_five", icon=":material/playlist_add:"):
            _save(db, who, assessment, [from_proposal(dimension, {**action, "text": texts[action["id"]]}, L)
                                        for dimension, action in top], [], version)
    for proposal in rows:
        dimension = q.dimension_by_id[proposal.dimension]
        stage = next(s for s in q.stages if s.id == proposal.target_stage)
        st.markdown(f"**{dimension.id} {dimension.title[L]}** – "
                    + t("plan_goal_words", stage=stage.name[L], gap=fmt.decimal(proposal.gap, L, 1)))
        for action in proposal.actions:
            text = t("plan_step_words", indicator=action["indicator"], before=action["from_level"],
                     after=action["to_level"], text=texts[action["id"]][L])
            if action["id"] in in_plan:
                st.markdown(f"- {text} ({t('already_in_plan')})")
                continue
            left, right = st.columns([5, 1])
            left.markdown(f"- {text}")
            if may_edit and right.button(t("add_to_plan"), key=f"propose_{action['id']}"):
                item = from_proposal(proposal.dimension, {**action, "text": texts[action["id"]]}, L)
                _save(db, who, assessment, [item], [], version)


OPEN = "_plan_open"  # the id of the action whose form is open


def item_forms(db, who, q, assessment, items, version: int) -> None:
    """One action per row, with "Ändra" opening that action's form of labelled fields (saved at once with "Spara
    åtgärden"). Only the open action draws its form: the page stays as light as a list."""
    from dataclasses import replace

    L = lang()
    opened = st.session_state.get(OPEN)
    for item in items:
        status = STATUSES[item.status][L] if item.status in STATUSES else item.status
        facts = [status] + [f"{FIELDS[name][L]} {ui.literal(_shown(getattr(item, name), name, L))}"
                            for name in ("owner", "due") if getattr(item, name)]
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.markdown(f"**{item.dimension}** {ui.literal(item.action)}  \n" + " · ".join(facts))
        if item.id != opened:
            right.button(t("edit_action"), key=f"plan_open_{item.id}", on_click=st.session_state.__setitem__,
                         args=(OPEN, item.id))
            continue
        right.button(t("close_action"), key=f"plan_close_{item.id}", on_click=st.session_state.pop, args=(OPEN, None))
        key = f"plan_item_{item.id}"
        with st.form(key):
            action = st.text_area(FIELDS["action"][L], value=item.action, max_chars=2000, key=f"{key}_action")
            left, right = st.columns(2)
            owner = left.text_input(FIELDS["owner"][L], value=item.owner, max_chars=200, key=f"{key}_owner")
            statuses = list(STATUSES)
            chosen = right.selectbox(FIELDS["status"][L], statuses,
                                     index=statuses.index(item.status) if item.status in statuses else 0,
                                     format_func=ui.labels(statuses, lambda code: STATUSES[code][L]),
                                     key=f"{key}_status")
            start = left.date_input(FIELDS["start"][L], value=item.start, format="YYYY-MM-DD", key=f"{key}_start")
            due = right.date_input(FIELDS["due"][L], value=item.due, format="YYYY-MM-DD", key=f"{key}_due")
            resources = st.text_area(FIELDS["resources"][L], value=item.resources, max_chars=2000,
                                     key=f"{key}_resources")
            success = st.text_input(FIELDS["success_indicator"][L], value=item.success_indicator, max_chars=2000,
                                    key=f"{key}_success_indicator")
            if st.form_submit_button(t("save_action"), type="primary"):
                changed = replace(item, action=(action or "").strip(), owner=(owner or "").strip(),
                                  status=chosen, start=start or None, due=due or None,
                                  resources=(resources or "").strip(), success_indicator=(success or "").strip())
                st.session_state.pop(OPEN, None)
                _save(db, who, assessment, [changed], [], version)


def _save(db, who, assessment, items, deleted, version) -> bool:
    L = lang()
    try:
        new_version = store.save_plan(db, who, assessment.id, items, deleted_ids=deleted, base_version=version)
    except store.Conflict:
        st.error(t("plan_conflict"))
        return False
    except store.Invalid as error:
        ui.problem_list([p.render(L) for p in error.problems], "plan_problems")
        return False
    except store.StoreError as error:
        st.error(ui.literal(error.message(L)))
        return False
    st.session_state["_plan_notice"] = t("plan_saved", version=new_version)
    st.rerun()
    return True


def save(db, who, q, assessment, edited: pd.DataFrame, before: pd.DataFrame, version: int) -> None:
    _save(db, who, assessment, frame_items(edited), deleted_ids(before, edited), version)


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


def excel_round_trip(db, who, q, assessment, items, version: int, may_edit: bool, report) -> None:
    """The workbook is built on click from the report the page has already read: no second read."""
    from reports.planbook_reader import read_plan_workbook
    from reports.problems import WorkbookError

    L = lang()
    st.subheader(t("excel_heading"))
    st.write(t("excel_help"))
    if report is None:
        st.write(t("insufficient_for_plan"))
    else:
        st.download_button(t("download_plan_xlsx"),
                           data=lambda: plan_workbook_bytes(db, who, assessment.region, assessment.round, lang=L,
                                                            report=report),
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
        ui.problem_list([p.render(L) for p in error.problems])
        return
    stored = {item.id: item for item in items}
    kept = {item.id for item in uploaded if item.id}
    changed = [item for item in uploaded if item.id in stored and item != stored[item.id]]
    new = [item for item in uploaded if not item.id]
    removed = [ident for ident in stored if ident not in kept]
    lines = [t("plan_upload_preview", count=len(uploaded), changed=len(changed), new=len(new), removed=len(removed))]
    for item in changed:  # which actions and which fields: what the person is about to save
        fields = "; ".join(f"{FIELDS[name][L]}: {_shown(getattr(stored[item.id], name), name, L)} → "
                           f"{_shown(getattr(item, name), name, L)}"
                           for name in FIELDS if getattr(stored[item.id], name) != getattr(item, name))
        lines.append(f"- {t('plan_upload_changes', action=ui.literal(item.action), fields=ui.literal(fields))}")
    lines += [f"- {t('plan_upload_new', action=ui.literal(item.action))}" for item in new]
    lines += [f"- {t('plan_upload_removed', action=ui.literal(stored[ident].action))}" for ident in removed]
    st.markdown("\n".join(lines))
    if st.button(t("apply_upload"), type="primary", key="apply_upload"):
        _save(db, who, assessment, [*changed, *new], removed, version)


def _shown(value, name: str, L: str) -> str:
    """A plan field as people read it (dates ISO, statuses by name, none as –)."""
    if value is None or value == "" or value == ():
        return fmt.DASH
    if name == "status":
        return STATUSES[value][L] if value in STATUSES else str(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, dt.date):
        return fmt.iso_date(value)
    return str(value)


def previous_round(db, who, q, region: str, chosen, rounds, report) -> None:
    """The newest earlier round's plan beside each dimension's score change since then (from the report's
    history, so nothing is read or scored again)."""
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
        changes = _changes_since(report, previous.label, chosen.label)
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


def _changes_since(report, before: str, after: str) -> dict[str, float]:
    """Score change per dimension between two rounds (only where both have a score)."""
    if report is None or report.history.empty:
        return {}
    history = report.history
    old = history[history["round"] == before].set_index("dimension")["score"]
    new = history[history["round"] == after].set_index("dimension")["score"]
    both = (new - old).dropna()
    return {dim: float(value) for dim, value in both.items()}


def status_summary(items) -> None:
    if not items:
        return
    L = lang()
    counts = pd.Series([STATUSES[i.status][L] for i in items if i.status in STATUSES]).value_counts()
    st.subheader(t("status_summary"))
    st.table(counts.rename_axis(FIELDS["status"][L]).rename(t("count")).to_frame())


# -- the editor's table ------------------------------------------------------------------------------------

COLUMNS = list(PLAN_COLUMNS)  # the one column order, beside PlanItem


def items_frame(items: list[PlanItem]) -> pd.DataFrame:
    rows = [{
        "id": item.id, "dimension": item.dimension, "indicators": list(item.indicators), "action": item.action,
        "owner": item.owner, "start": item.start, "due": item.due, "resources": item.resources,
        "success_indicator": item.success_indicator, "status": item.status, "source_action": item.source_action,
    } for item in items]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("start", "due"):
        frame[column] = pd.Series([r[column] for r in rows], dtype=object)
    return frame


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _date(value) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    return dt.date.fromisoformat(text[:10]) if text else None


def _indicators(value) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
    return tuple(str(v) for v in value)


def frame_items(frame: pd.DataFrame) -> list[PlanItem]:
    """Rows of the edited table → PlanItems (new rows have id None). Blank rows are dropped."""
    items = []
    for row in frame.to_dict("records"):
        if not any(_text(row.get(c)) for c in ("action", "owner", "resources", "success_indicator")) \
                and not row.get("dimension"):
            continue
        ident = _text(row.get("id")) or None
        items.append(PlanItem(
            id=ident, dimension=_text(row.get("dimension")), action=_text(row.get("action")),
            indicators=_indicators(row.get("indicators")), owner=_text(row.get("owner")),
            start=_date(row.get("start")), due=_date(row.get("due")), resources=_text(row.get("resources")),
            success_indicator=_text(row.get("success_indicator")),
            status=_text(row.get("status")) or DEFAULT_STATUS, source_action=_text(row.get("source_action")) or None,
        ))
    return items


def deleted_ids(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    kept = {_text(i) for i in after["id"]} if "id" in after else set()
    return [ident for ident in (_text(i) for i in before["id"]) if ident and ident not in kept]


def from_proposal(dimension: str, action: dict, lang: str) -> PlanItem:
    """A plan item from one of scoring.plan's proposed steps (its text is bilingual)."""
    return PlanItem(id=None, dimension=dimension, action=action["text"][lang], indicators=(action["indicator"],),
                    source_action=action["id"])
