"""Välkommen's sections: the introduction for each sheet the person answers, an optional password, and "Börja"."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

import store
from app import session
from app import widgets as ui
from app.i18n import lang, t
from questionnaires.regions import region_by_code
from store import passwords

LOCAL = ZoneInfo("Europe/Stockholm")
SECONDS_PER_QUESTION = 30  # reading the five descriptions and choosing, from the usability test (15–25 min for 43)


def minutes(asked: int) -> int:
    return max(5, round(asked * SECONDS_PER_QUESTION / 60 / 5) * 5)


def introduction(db, who, sheet: store.Invitation) -> None:
    region = region_by_code().get(sheet.region)
    region_name = region.name if region else sheet.region
    st.subheader(t("welcome_hello", name=ui.literal(sheet.name)))
    if sheet.invited_by:
        st.write(t("welcome_invited_by", inviter=ui.literal(sheet.invited_by_name or sheet.invited_by),
                   email=ui.literal(sheet.invited_by), region=region_name, round=ui.literal(sheet.round)))
    else:
        st.write(t("welcome_sheet", region=region_name, round=ui.literal(sheet.round)))
    st.markdown("\n".join([
        f"- {t('welcome_purpose')}",
        f"- {t('welcome_time', minutes=minutes(sheet.asked), asked=sheet.asked)}",
        *([f"- {t('welcome_deadline', date=sheet.expires_at.astimezone(LOCAL).strftime('%Y-%m-%d'))}"]
          if sheet.expires_at else []),
        f"- {t('welcome_saves')}",
        f"- {t('welcome_done')}",
        f"- {t('welcome_help', who=ui.literal(sheet.invited_by_name or sheet.invited_by))}" if sheet.invited_by
        else f"- {t('welcome_help_lead')}",
    ]))


def password_choice(db, who, sheets: list[store.Invitation]) -> None:
    if store.get_user(db, who, who.email).has_password:
        return
    st.subheader(t("welcome_password_heading"))
    until = next((s.expires_at for s in sheets if s.expires_at), None)
    st.write(t("welcome_password_intro", date=until.astimezone(LOCAL).strftime("%Y-%m-%d") if until else "–"))
    with st.form("welcome_password", clear_on_submit=True):
        new = st.text_input(t("new_password"), type="password", autocomplete="new-password", key="welcome_new",
                            help=t("password_rule"))
        repeat = st.text_input(t("repeat_password"), type="password", autocomplete="new-password",
                               key="welcome_repeat")
        chosen = st.form_submit_button(t("save_password"))
    if not chosen:
        return
    if new != repeat:
        st.error(t("passwords_differ"))
        return
    try:
        passwords.set_first_password(db, who, new, keep_session=session.current_session())
    except store.StoreError as error:
        st.error(ui.literal(error.message(lang())))
    else:
        st.success(t("password_saved_signin", email=ui.literal(who.email)))


def start_button(sheet: store.Invitation) -> None:
    if st.button(t("welcome_start"), type="primary", key="welcome_start"):
        st.session_state["chosen_round"] = sheet.round
        st.session_state["chosen_region"] = sheet.region
        st.session_state["chosen_sheet"] = sheet.respondent_id
        for language in ("sv", "en"):  # the pickers' widgets start from the choices above
            for memory in ("chosen_round", "chosen_region", "chosen_sheet"):
                st.session_state.pop(f"_w_{memory}_{language}", None)
        st.switch_page("app/views/fill.py")
