"""Handlingsplan: indicators a workshop strongly disagreed on, proposed as 'förtydliga' actions.

A room that splits between the ends of the scale usually reads the indicator differently, or holds different
facts: the first action is to clarify what the region means by it and what evidence counts."""

from __future__ import annotations

import streamlit as st

import store
from app.i18n import lang, t
from app.parts import plan as plan_views
from questionnaires.actionplan import PlanItem
from reports import formatting as fmt
from service import workshop as service


def clarify(db: store.Database, who: store.Identity, assessment, q, items, version: int, may_edit: bool) -> None:
    found = service.clarifications(db, who, assessment.id)
    if not found:
        return
    L = lang()
    st.markdown(f"**{t('ws_clarify_heading')}**")
    in_plan = {item.source_action for item in items if item.source_action}
    for proposal in found:
        statement = q.indicator_by_id[proposal.indicator].statement[L]
        text = t("ws_clarify_action", indicator=proposal.indicator, statement=statement)
        why = t("ws_clarify_why", workshop=proposal.workshop, agreement=fmt.decimal(proposal.agreement, L, 2))
        source = service.CLARIFY_PREFIX + proposal.indicator
        if source in in_plan:
            st.markdown(f"- {text} ({t('already_in_plan')})")
            continue
        left, right = st.columns([5, 1])
        left.markdown(f"- {text}  \n  {why}")
        if may_edit and right.button(t("add_to_plan"), key=f"clarify_{proposal.indicator}"):
            item = PlanItem(id=None, dimension=proposal.dimension, action=text, indicators=(proposal.indicator,),
                            source_action=source)
            plan_views._save(db, who, assessment, [item], [], version)
