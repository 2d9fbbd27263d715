"""The administration page's sections. Every change goes through the store, which checks the actor again."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from questionnaires import bundled, load
from reports import formatting as fmt
from service.answers import read_answers


def _done(message: str) -> None:
    st.session_state["_admin_notice"] = message
    st.rerun()


def _failed(error: store.StoreError) -> None:
    st.error(ui.literal(error.message(lang())))


def newest_first(refs) -> list[str]:
    """Questionnaire refs (`id@version`), the newest version first (numerically: 10 after 9): a new round
    gets the current instrument unless the administrator picks an older one on purpose."""
    def key(ref: str) -> tuple[int, str, str]:
        ident, _, version = ref.partition("@")
        return (int(version) if version.isdigit() else -1, version, ident)

    return sorted(refs, key=key, reverse=True)


def rounds_section(db, who) -> None:
    rounds = store.list_rounds(db, who)
    if rounds:
        st.table(pd.DataFrame([{
            t("round"): r.label, t("instrument_version"): r.questionnaire,
            t("status"): t("round_open") if r.open else t("round_closed"),
            t("round_published"): t("yes") if r.published else t("no"),
            t("opened_at"): ui.local_date(r.opened_at), t("closed_at"): ui.local_date(r.closed_at) or fmt.DASH,
        } for r in rounds]).set_index(t("round")))
    with st.form("open_round", clear_on_submit=True):
        st.markdown(f"**{t('open_round')}**")
        label = st.text_input(t("round_label"), help=t("round_label_help"), max_chars=40)
        version = st.selectbox(t("instrument_version"), newest_first(bundled()))
        if st.form_submit_button(t("open_round")):
            try:
                store.open_round(db, who, label.strip(), version)
            except store.StoreError as error:
                _failed(error)
            else:
                _done(t("round_opened", label=label.strip()))
    if not rounds:
        return
    label = st.selectbox(t("round"), [r.label for r in reversed(rounds)], key="admin_round")
    chosen = next(r for r in rounds if r.label == label)
    left, middle, right = st.columns(3)
    if chosen.open and left.button(t("close_round"), key="close_round"):
        st.session_state[CONFIRM] = ("close", label)
    if not chosen.published:
        middle.button(t("publish_round"), key="publish_round", disabled=chosen.open,
                      help=t("publish_not_open", label=label) if chosen.open else t("publish_help"),
                      on_click=_ask, args=("publish", label))
        if chosen.open:  # the reason, visible and not only in a tooltip (body text: a caption fails contrast here)
            middle.markdown(t("publish_not_open", label=ui.literal(label)))
    confirm_round(db, who, chosen)
    if chosen.published and right.button(t("unpublish_round"), key="unpublish_round"):
        try:
            store.publish_round(db, who, label, published=False)
        except store.StoreError as error:
            _failed(error)
        else:
            _done(t("round_unpublished_done", label=label))
    if chosen.published:
        publication_section(db, who, label)


CONFIRM = "_admin_confirm"  # (what, round label) awaiting the admin's yes


def _ask(what: str, label: str) -> None:
    st.session_state[CONFIRM] = (what, label)


def not_submitted(db, who, label: str) -> tuple[list[str], int]:
    """The regions without a submitted (or locked) analysis in the round, and how many regions there are."""
    from questionnaires import load_regions

    done = {a.region for a in store.list_assessments(db, who, round=label) if a.status in ("submitted", "locked")}
    regions = load_regions()
    return [r.name for r in regions if r.code not in done], len(regions)


def confirm_round(db, who, chosen) -> None:
    """The second step of closing or publishing: the consequence in words, then yes or cancel."""
    what, label = st.session_state.get(CONFIRM, (None, None))
    if label != chosen.label or what not in ("close", "publish"):
        return
    if what == "close" and not chosen.open or what == "publish" and (chosen.open or chosen.published):
        st.session_state.pop(CONFIRM, None)
        return
    missing, total = not_submitted(db, who, label)
    with st.container(border=True):
        st.warning(t(f"{what}_confirm", label=ui.literal(label), missing=len(missing), total=total))
        if missing:
            st.caption(t("missing_regions", names=", ".join(missing)))
        yes, no = st.columns(2)
        if no.button(t("cancel"), key="cancel_round_action"):
            st.session_state.pop(CONFIRM, None)
            st.rerun()
        if yes.button(t(f"{what}_confirm_yes"), type="primary", key=f"confirm_{what}_round"):
            st.session_state.pop(CONFIRM, None)
            try:
                if what == "close":
                    store.close_round(db, who, label)
                else:
                    store.publish_round(db, who, label)
            except store.StoreError as error:
                _failed(error)
            else:
                _done(t("round_closed_done" if what == "close" else "round_published_done", label=label))


def publication_section(db, who, label: str) -> None:
    """A published round's open data for dataportal.se: the data package and the DCAT-AP-SE catalogue, one zip
    (service.publication; the same files as `mognad publish`)."""
    from service.publication import PublicationRefused, archive_name, publication, publication_zip
    from service.reports import NoResults

    st.markdown(f"**{t('publication_heading')}**")
    st.caption(t("publication_help", label=label))
    key = f"_publication:{label}"
    if st.button(t("publication_make"), key="publication_make"):
        try:
            st.session_state[key] = publication_zip(publication(db, who, label))
        except PublicationRefused as refused:
            for line in refused.lines(lang()):
                st.error(ui.literal(line))
        except NoResults:
            st.error(t("publication_nothing", label=label))
        except store.StoreError as error:
            _failed(error)
    data = st.session_state.get(key)
    if data:
        st.download_button(t("publication_download"), data=data, file_name=f"{archive_name(label)}.zip",
                           mime="application/zip", key="download_publication", on_click="ignore")


def users_section(db, who) -> None:
    L = lang()
    users = store.list_users(db, who)
    st.dataframe(pd.DataFrame([{
        t("email"): u.email, t("col_name"): u.name,
        t("national_role"): store.ROLES[u.national_role][L] if u.national_role else "",
        t("memberships"): ", ".join(f"{ui.region_name(code)}: {store.ROLES[role][L]}" for code, role in u.regions.items()),
        t("status"): t("disabled") if u.disabled else t("active"),
        t("last_login"): ui.local_time(u.last_login_at) or fmt.DASH,  # Swedish time, as every page
    } for u in users]), hide_index=True, width="stretch")

    from questionnaires import load_regions

    regions = [r.code for r in load_regions()]
    with st.form("create_user", clear_on_submit=True):
        st.markdown(f"**{t('create_user')}**")
        email = st.text_input(t("email"))
        name = st.text_input(t("col_name"))
        password = st.text_input(t("password"), type="password", help=t("password_help"))
        national_options = ["", *store.NATIONAL_ROLES]
        national = st.selectbox(t("national_role"), national_options,
                                format_func=ui.labels(national_options, lambda r: store.ROLES[r][L] if r else t("none")))
        region_options = ["", *regions]
        region = st.selectbox(t("section_region"), region_options,
                              format_func=ui.labels(region_options, lambda c: ui.region_name(c) if c else t("none")))
        roles = list(store.REGIONAL_ROLES)  # the least powerful role first chosen: a slip gives too little, not too much
        role = st.selectbox(t("regional_role"), roles, index=roles.index("viewer"),
                            format_func=ui.labels(roles, lambda r: store.ROLES[r][L]))
        if st.form_submit_button(t("create_user")):
            try:
                store.create_user(db, who, email.strip(), name.strip(), password or None, national or None,
                                  {region: role} if region else None)
            except store.StoreError as error:
                _failed(error)
            else:
                _done(t("user_created", email=email.strip()))

    if not users:
        return
    st.markdown(f"**{t('change_user')}**")
    email = st.selectbox(t("email"), [u.email for u in users], key="admin_user")
    chosen = next(u for u in users if u.email == email)
    region = st.selectbox(t("section_region"), regions, format_func=ui.region_name, key="admin_member_region")
    roles = list(store.REGIONAL_ROLES)
    role = st.selectbox(t("regional_role"), roles, index=roles.index("viewer"),
                        format_func=ui.labels(roles, lambda r: store.ROLES[r][L]), key="admin_member_role")
    a, b, c = st.columns(3)
    actions = []
    if a.button(t("set_membership"), key="set_membership"):
        actions.append(lambda: store.set_membership(db, who, email, region, role))
    if region in chosen.regions and b.button(t("remove_membership"), key="remove_membership"):
        actions.append(lambda: store.remove_membership(db, who, email, region))
    if chosen.disabled:
        if c.button(t("enable_user"), key="enable_user"):
            actions.append(lambda: store.enable_user(db, who, email))
    elif c.button(t("disable_user"), key="disable_user"):
        actions.append(lambda: store.disable_user(db, who, email))
    for action in actions:
        try:
            action()
        except store.StoreError as error:
            _failed(error)
        else:
            _done(t("user_changed", email=email))


def versions_section(db, who) -> None:
    L = lang()
    rows = []
    rounds = store.list_rounds(db, who)
    for ref, path in sorted(bundled().items()):
        q = load(path)
        rows.append({t("instrument_version"): ref, t("col_name"): q.title[L], t("dimension"): len(q.dimensions),
                     t("indicator"): len(q.indicators), t("published"): q.published or "",
                     t("used_in_rounds"): ", ".join(r.label for r in rounds if r.questionnaire == ref)})
    st.table(pd.DataFrame(rows).set_index(t("instrument_version")))
    st.write(t("versions_help"))


def import_section(db, who) -> None:
    st.write(t("import_help"))
    upload = st.file_uploader(t("answers_file"), type=["json", "xlsx"], key="admin_import", max_upload_size=10)
    if upload is None:
        return
    parsed = read_answers(upload.name, upload.getvalue(), lang=lang(), resolve=_registered(db))
    if isinstance(parsed, list):
        ui.problem_list(parsed)
        return
    answers, q = parsed
    st.write(t("import_preview", region=ui.region_name(answers.region), round=ui.literal(answers.round),
               respondents=len(answers.respondents), questionnaire=q.ref))
    if st.button(t("import_now"), type="primary", key="import_now"):
        try:
            result = store.import_answers(db, who, answers)
        except store.StoreError as error:
            _failed(error)
        else:
            _done(t("imported", answers=result.answers_written, created=result.respondents_created,
                    matched=result.respondents_matched))


def _registered(db):
    """Questionnaire references resolved among the database's registered versions (KeyError if unknown)."""
    def resolve(ref: str):
        try:
            return db.questionnaire(ref)
        except store.NotFound:
            raise KeyError(ref) from None
    return resolve


def backup_name(moment=None) -> str:
    """mognad-backup-2026-12-01-2107.json: the date and Swedish time it was made, so copies never overwrite."""
    import datetime as dt

    stamp = ui.local_time(moment or dt.datetime.now(dt.UTC))
    return f"mognad-backup-{stamp[:10]}-{stamp[11:13]}{stamp[14:16]}.json"


def backup_section(db, who) -> None:
    st.write(t("backup_help"))
    st.warning(t("backup_secret"), icon=":material/lock:")
    if st.button(t("make_backup"), key="make_backup"):
        try:
            data = store.backup_bytes(db, who)
        except store.StoreError as error:
            _failed(error)
        else:
            st.session_state["_backup"] = data
            st.session_state["_backup_name"] = backup_name()
    data = st.session_state.get("_backup")
    if data:
        st.download_button(t("download_backup"), data=data,
                           file_name=st.session_state.get("_backup_name") or backup_name(),
                           mime="application/json", key="download_backup", on_click="ignore")
