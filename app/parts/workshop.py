"""The facilitator's console: plan a workshop, open it, move the room through the indicators, reveal, record.

Live parts are fragments that read the store (never another person's session state): the counter and the list
of who has voted redraw every second from two count queries; a move (show, reveal, second vote) reruns the page.
"""

from __future__ import annotations

import datetime as dt
import io
import os

import pandas as pd
import streamlit as st

import store
from app import widgets as ui
from app.i18n import lang, t
from app.widgets import literal
from questionnaires.model import NA, Questionnaire
from reports import formatting as fmt
from service import workshop as service
from store import workshops
from store.messages import WORKSHOP_STATUSES

LIVE_SECONDS = 1.0
CHOSEN_KEY = "chosen_workshop"
PENDING_KEY = "_workshop_planned"
NEW = "__new__"
# Streamlit draws captions (st.caption, an image's caption) at opacity 0.6: 3.96:1 on white, under WCAG AA's 4.5:1
# (axe: color-contrast). On the console and the projector they are the hint grey of the app's own pages, 10:1.
CAPTION_STYLE = ("<style>[data-testid='stCaptionContainer'],[data-testid='stCaptionContainer'] *"
                 "{color:#374151;opacity:1}</style>")


def problem_text(error: store.StoreError) -> str:
    if isinstance(error, store.Invalid):
        return "; ".join(p.render(lang()) for p in error.problems)
    return error.message(lang())


# -- choosing and planning -----------------------------------------------------------------------------------------

def choose(db: store.Database, who: store.Identity, assessment, q: Questionnaire, editable: bool):
    """The workshop to run (from the address or the picker), or None after drawing the planning form."""
    found = workshops.workshops_of(db, who, assessment.id)
    if PENDING_KEY in st.session_state:  # just planned: the picker shows it (set before the widget is drawn)
        st.session_state["workshop_picker"] = st.session_state.pop(PENDING_KEY)
    wanted = st.query_params.get("workshop")
    if wanted and CHOSEN_KEY not in st.session_state and any(str(w.id) == wanted for w in found):
        st.session_state[CHOSEN_KEY] = int(wanted)
    options = [w.id for w in found] + ([NEW] if editable else [])
    if not options:
        st.info(t("ws_none"))
        return None
    names = {w.id: f"{w.title} ({WORKSHOP_STATUSES[w.status][lang()]})" for w in found}
    default = st.session_state.get(CHOSEN_KEY)
    index = options.index(default) if default in options else (len(options) - 1 if not found else 0)
    choice = st.selectbox(t("ws_choose"), options, index=index, key="workshop_picker",
                          format_func=lambda key: t("ws_new") if key == NEW else names[key])
    if choice == NEW:
        plan(db, who, assessment, q)
        return None
    st.session_state[CHOSEN_KEY] = choice
    st.query_params["workshop"] = str(choice)
    return next(w for w in found if w.id == choice)


def plan(db: store.Database, who: store.Identity, assessment, q: Questionnaire) -> None:
    L = lang()
    with st.form("workshop_plan"):
        st.subheader(t("ws_new"))
        title = st.text_input(t("ws_title"), value=t("ws_title_default", date=dt.date.today().isoformat()),
                              max_chars=workshops.TITLE_LIMIT)
        dimensions = st.multiselect(t("ws_dimensions"), [d.id for d in q.dimensions],
                                    format_func=lambda d: f"{d} {q.dimension_by_id[d].title[L]}")
        groups = st.multiselect(t("ws_groups"), [r.id for r in q.roles], format_func=lambda r: q.role_by_id[r].name[L])
        second = st.checkbox(t("ws_second_vote"))
        if not st.form_submit_button(t("ws_create"), type="primary"):
            return
    indicators = [i.id for d in dimensions for i in q.dimension_by_id[d].indicators]
    try:
        made = workshops.create_workshop(db, who, assessment.id, title, indicators, groups, second)
    except store.Invalid as problems:
        ui.problem_list([p.render(L) for p in problems.problems])
        return
    st.session_state[PENDING_KEY] = made.id
    st.toast(t("ws_created"))
    st.rerun()


# -- the workshop's state: open, close, code, QR, projector ------------------------------------------------------

def status(db: store.Database, who: store.Identity, found: workshops.Workshop, q: Questionnaire) -> None:
    L = lang()
    st.html(CAPTION_STYLE)
    groups = ", ".join(q.role_by_id[g].name[L] for g in found.stakeholder_groups)
    st.write(t("ws_status", status=WORKSHOP_STATUSES[found.status][L], n=len(found.indicators), groups=groups))
    if found.status == "planned":
        st.caption(t("ws_open_help"))
        if st.button(t("ws_open"), type="primary", key="workshop_open"):
            _move(lambda: workshops.open_workshop(db, who, found.id))
    if found.status == "open":
        room(found)
        st.page_link("app/views/projector.py", label=t("ws_projector_link"), query_params={"workshop": found.id})
    if found.status in ("planned", "open"):
        with st.popover(t("ws_close")):
            done = len(workshops.consensus_of(db, who, found.assessment_id))
            st.write(t("ws_close_confirm", done=done, total=len(found.indicators)))
            if st.button(t("ws_close_yes"), key="workshop_close"):
                _move(lambda: workshops.close_workshop(db, who, found.id))
    if found.status == "closed":
        st.info(t("ws_closed"))


def join_address() -> str:
    """Where phones go: the public address when configured (behind a proxy), else this page's own origin."""
    public = os.environ.get("MOGNAD_PUBLIC_URL", "").strip().rstrip("/")
    if not public:
        try:
            from urllib.parse import urlsplit

            parts = urlsplit(st.context.url or "")
            public = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        except Exception:  # no browser behind this run
            public = ""
    return f"{public}/delta"


def room(found: workshops.Workshop, large: bool = False) -> None:
    """The code in groups of three (easier to read off a wall), the address and a QR code drawn here."""
    import segno

    shown = f"{found.code[:3]} {found.code[3:]}"
    address = join_address()
    left, right = st.columns([3, 1])
    if large:
        left.markdown(f"<p class='room-code'>{t('ws_code', room=shown)}</p>", unsafe_allow_html=True)
    else:
        left.subheader(t("ws_code", room=shown))
    left.write(t("ws_join_at", url=address))
    picture = io.BytesIO()
    segno.make(f"{address}?kod={found.code}", error="m").save(picture, kind="png", scale=8 if large else 5, border=2)
    alt = t("ws_qr_alt", room=shown)  # the picture's own alt text too (axe: image-alt), not only the caption
    right.image(picture.getvalue(), caption=alt, alt=alt)


def _move(action) -> None:
    try:
        action()
    except (store.Invalid, store.NotEditable, store.NotFound, store.Forbidden) as refused:
        st.error(t("ws_failed", problem=problem_text(refused)))
        return
    st.rerun()


# -- moving the room through the indicators -------------------------------------------------------------------------

def navigator(db: store.Database, who: store.Identity, found: workshops.Workshop, q: Questionnaire) -> None:
    L = lang()
    agreed = {r.indicator: r for r in workshops.consensus_of(db, who, found.assessment_id)}
    st.subheader(t("ws_indicators"))
    st.write(t("ws_progress", done=sum(i in agreed for i in found.indicators), total=len(found.indicators)))

    def describe(indicator: str) -> str:
        mark = f" – {t('ws_agreed_mark', value=ui.level_label(q, agreed[indicator].value))}" if indicator in agreed else ""
        return f"{indicator} {q.indicator_by_id[indicator].statement[L]}{mark}"

    position = found.position
    picked = st.selectbox(t("ws_indicator_pick"), found.indicators, index=position if position is not None else 0,
                          format_func=describe, key=f"workshop_pick_{found.step}")
    first, back, forward = st.columns(3)
    if first.button(t("ws_show"), type="primary", key="workshop_show", disabled=picked == found.current_indicator):
        _move(lambda: workshops.show_indicator(db, who, found.id, picked))
    if back.button(t("ws_previous"), key="workshop_back", disabled=not position):
        _move(lambda: workshops.show_indicator(db, who, found.id, found.indicators[position - 1]))
    last = len(found.indicators) - 1
    if forward.button(t("ws_next"), key="workshop_forward", disabled=position is not None and position >= last):
        nxt = 0 if position is None else position + 1
        _move(lambda: workshops.show_indicator(db, who, found.id, found.indicators[nxt]))


@st.fragment(run_every=LIVE_SECONDS)
def live(db: store.Database, who: store.Identity, workshop_id: int, step: int, q: Questionnaire) -> None:
    """'17 av 23 har röstat', who has voted, and the reveal; reruns the page when someone else moved it on
    (the facilitator's second device)."""
    counted = workshops.tally(db, who, workshop_id)
    if counted.step != step and counted.phase != "voting":
        st.rerun()
    if counted.indicator is None:
        return
    key = "ws_tally_round2" if counted.vote_round == 2 else "ws_tally"
    st.metric(t("ws_now", indicator=counted.indicator), t(key, voted=counted.voted, eligible=counted.eligible))
    if counted.phase == "voting":
        everyone = counted.eligible > 0 and counted.voted >= counted.eligible
        if st.button(t("ws_reveal") if everyone else t("ws_reveal_anyway"), type="primary" if everyone else "secondary",
                     key="workshop_reveal"):
            _move(lambda: workshops.reveal(db, who, workshop_id))
    people(db, who, workshop_id, counted.indicator, q)


def people(db: store.Database, who: store.Identity, workshop_id: int, indicator: str, q: Questionnaire) -> None:
    """Who has joined and whether they have voted on `indicator` (the counter's, read in the same second)."""
    L = lang()
    seated = workshops.participants(db, who, workshop_id)
    with st.expander(t("ws_participants", n=len(seated))):
        if not seated:
            st.write(t("ws_nobody"))
        spec = q.indicator_by_id[indicator]
        for person, voted in seated:
            name = person.name or t("ws_participant", number=person.number)
            if not spec.applies_to(person.stakeholder_group):
                state = t("ws_not_asked")
            else:
                state = t("ws_voted") if voted else t("ws_not_voted")
            left, right = st.columns([4, 1])
            left.write(f"{literal(name)} · {q.role_by_id[person.stakeholder_group].name[L]} · {state}")
            if right.button(t("ws_remove", who=name), key=f"workshop_remove_{person.id}"):
                workshops.remove_participant(db, who, person.id)
                st.toast(t("ws_removed", who=name))
                st.rerun()


# -- after the reveal: the result, the second vote, the consensus ----------------------------------------------

def result(db: store.Database, who: store.Identity, found: workshops.Workshop, q: Questionnaire) -> None:
    if found.phase != "revealed" or found.current_indicator is None:
        if found.current_indicator is not None:
            st.caption(t("ws_wait_reveal"))
        return
    shown = service.shown(db, who, found.id)
    reveal_view(shown, q, key="console")
    if found.second_vote and found.vote_round == 1 and st.button(t("ws_second"), key="workshop_second"):
        _move(lambda: workshops.start_second_vote(db, who, found.id))
    consensus_form(db, who, found, q, shown)


def reveal_view(shown: service.Shown, q: Questionnaire, key: str) -> None:
    """The distribution (chart and its table), the group split when it is safe, the figures and the flag."""
    st.subheader(t("ws_result", indicator=shown.indicator))
    rounds = [(t("ws_first_round"), shown.first)] + ([(t("ws_second_round"), shown.second)] if shown.second else [])
    for number, (title, figures) in enumerate(rounds):
        if len(rounds) > 1:
            st.markdown(f"**{title}**")
        if figures.voters == 0:
            st.write(t("ws_no_votes"))
            continue
        st.write(t("ws_figures", voters=figures.voters, median=fmt.decimal(figures.median, lang()),
                   agreement=fmt.decimal(figures.agreement, lang(), 2)))
        if figures.not_applicable or figures.dont_know:
            st.write(t("ws_na_dk", na=figures.not_applicable, dk=figures.dont_know))
        if figures.disagreement:
            st.warning(t("ws_disagreement"))
        table = distribution(figures, q)
        ui.chart(t("ws_votes_per_level", indicator=shown.indicator) + (f" – {title}" if len(rounds) > 1 else ""),
                 t("ws_chart_alt", indicator=shown.indicator), bars(table), table, key=f"{key}_{number}")
        if not figures.groups:
            st.caption(t("ws_no_split"))


def distribution(figures, q: Questionnaire) -> pd.DataFrame:
    """Levels down, 'Alla' and each shown group across: the data behind the chart."""
    L = lang()
    columns = {t("ws_level"): [f"{level.value} {level.name[L]}" for level in q.levels],
               t("ws_votes"): list(figures.counts)}
    for split in figures.groups:
        name = q.role_by_id[split.group].name[L] if split.group else t("ws_other_groups")
        columns[name] = list(split.counts)
    return pd.DataFrame(columns)


def bars(table: pd.DataFrame):
    import altair as alt

    level, votes = table.columns[0], table.columns[1]
    return (alt.Chart(table).mark_bar(color="#1f5f8b")
            .encode(x=alt.X(f"{level}:N", sort=None, title=level), y=alt.Y(f"{votes}:Q", title=votes,
                                                                              axis=alt.Axis(tickMinStep=1)))
            .properties(height=260))


def consensus_form(db: store.Database, who: store.Identity, found: workshops.Workshop, q: Questionnaire,
                   shown: service.Shown) -> None:
    L = lang()
    indicator = found.current_indicator
    spec = q.indicator_by_id[indicator]
    stored = next((r for r in workshops.consensus_of(db, who, found.assessment_id) if r.indicator == indicator), None)
    st.subheader(t("ws_consensus", indicator=indicator))
    if stored is not None:
        st.info(t("ws_consensus_existing", value=ui.level_label(q, stored.value), time=ui.local_time(stored.decided_at),
                  by=stored.decided_by))
    options = [level.value for level in q.levels] + ([NA] if spec.na_allowed else [])
    median = shown.last.median
    default = stored.value if stored is not None else (int(round(median)) if median is not None else None)
    with st.form(f"consensus_{found.id}_{indicator}"):
        value = st.radio(t("ws_consensus_value", indicator=indicator), options,
                         index=options.index(default) if default in options else None,
                         format_func=lambda v: ui.level_label(q, v), horizontal=True)
        rationale = st.text_area(t("ws_rationale"), value=stored.rationale if stored else "",
                                 max_chars=workshops.TEXT_LIMIT)
        evidence = st.text_area(t("ws_evidence"), value=stored.evidence if stored else "",
                                max_chars=workshops.TEXT_LIMIT)
        dissent = st.text_area(t("ws_dissent"), value=stored.dissent if stored else "", max_chars=workshops.TEXT_LIMIT)
        outside = st.text_area(t("ws_outside_reason"), value=stored.outside_reason if stored else "",
                               max_chars=workshops.TEXT_LIMIT)
        if not st.form_submit_button(t("ws_save_consensus"), type="primary"):
            return
    try:
        record = workshops.record_consensus(db, who, found.id, indicator, value, rationale, evidence, dissent, outside)
    except (store.Invalid, store.NotEditable) as refused:
        if isinstance(refused, store.Invalid):
            ui.problem_list([p.render(L) for p in refused.problems])
        else:
            st.error(t("ws_failed", problem=problem_text(refused)))
        return
    st.success(t("ws_consensus_saved", value=ui.level_label(q, record.value), indicator=indicator,
                 time=ui.local_time(record.decided_at)))


def report_downloads(db: store.Database, who: store.Identity, found: workshops.Workshop) -> None:
    L = lang()
    st.subheader(t("ws_report"))
    name = f"workshop-{found.region}-{found.round}-{found.id}".replace(" ", "_")
    st.download_button(t("ws_report_html"), key="workshop_report_html", on_click="ignore", mime="text/html",
                       file_name=f"{name}.html",
                       data=lambda: service.report_html(db, who, found.id, L).encode("utf-8"))
    from reports import pdf

    if pdf.available():  # made when clicked, not on every run
        st.download_button(t("ws_report_pdf"), key="workshop_report_pdf", on_click="ignore", mime="application/pdf",
                           file_name=f"{name}.pdf", data=lambda: service.report_pdf(db, who, found.id, L))
    else:
        st.write(t("pdf_unavailable"))
