"""The participant's phone: one indicator at a time, a silent vote, and a page that follows the facilitator.

The page holds no state of anyone else: every run reads the seat from the store. A small fragment polls the
workshop's move counter (one indexed query) and reruns the page only when the facilitator has moved; the vote
itself is a fragment of its own, so a click writes one vote and redraws one control — nothing is scored.
"""

from __future__ import annotations

import streamlit as st

import store
from app.i18n import lang, t
from app.widgets import level_label, literal
from questionnaires.model import DK, NA
from store import workshops

SEAT_KEY = "workshop_seat"  # the seat's secret for this tab (AppTest sets it; a browser sends the cookie)
STEP_KEY = "_workshop_step"
DRAWN_KEY = "_workshop_drawn"  # the step this phone's page was last drawn to the end for
BALLOT_KEY = "_workshop_ballot"  # the widget key of the ballot on screen
SEAT_COOKIE = "mognad_deltagare"  # set by app/web.py after joining
POLL_SECONDS = 1.0
_STYLE = """<style>
div[role="radiogroup"] label{min-height:2.75rem;padding:.35rem 0;font-size:1.05rem;align-items:flex-start}
</style>"""


def secret() -> str | None:
    kept = st.session_state.get(SEAT_KEY)
    if isinstance(kept, str):
        return kept
    try:
        found = st.context.cookies.get(SEAT_COOKIE)
    except Exception:  # no browser behind this run
        return None
    return found if isinstance(found, str) else None


def page(db: store.Database) -> None:
    mine = secret()
    seat = workshops.seat(db, mine)
    if seat is None:
        st.title(t("page_vote"))
        st.info(t("vote_no_seat"))
        st.link_button(t("vote_go_join"), f"/delta?lang={lang()}")
        return
    st.session_state[STEP_KEY] = seat.workshop.step
    st.session_state.pop(DRAWN_KEY, None)
    st.session_state.pop(BALLOT_KEY, None)
    _draw(db, mine, seat)
    st.session_state[DRAWN_KEY] = seat.workshop.step  # reached only when the whole page was drawn
    follow(db, mine)


def _draw(db: store.Database, mine: str, seat: workshops.Seat) -> None:
    found, person = seat.workshop, seat.participant
    q = db.questionnaire(found.questionnaire_ref)
    group = q.role_by_id[person.stakeholder_group].name[lang()]
    st.title(literal(found.title))
    st.caption(t("vote_you_are_named", group=group, name=literal(person.name)) if person.name
               else t("vote_you_are", group=group))
    if found.current_indicator is None:
        st.info(t("vote_wait"))
        return
    spec = q.indicator_by_id[found.current_indicator]
    st.caption(t("vote_progress", n=found.position + 1, total=len(found.indicators)))
    st.subheader(f"{spec.id} {literal(spec.statement[lang()])}")
    if not spec.applies_to(person.stakeholder_group):
        roles = ", ".join(q.role_by_id[r].name[lang()] for r in spec.roles)
        st.info(t("vote_not_asked", roles=roles))
        return
    if found.phase == "revealed":
        st.info(t("vote_closed", indicator=spec.id))
        st.write(t("vote_closed_yours", value=level_label(q, seat.my_vote)) if seat.my_vote is not None
                 else t("vote_closed_none"))
        return
    if found.vote_round == 2:
        st.warning(t("vote_second"))
    with st.expander(t("vote_guidance")):
        st.write(spec.guidance[lang()])
    st.html(_STYLE)
    ballot(db, mine, found.current_indicator, found.vote_round, seat.my_vote)


@st.fragment(run_every=POLL_SECONDS)
def follow(db: store.Database, mine: str) -> None:
    """Rerun the page when the facilitator moves (another indicator, the reveal, the second vote, the end) —
    and when this phone's last run did not finish drawing (a busy server can drop a run) or a click on the
    ballot has not been saved yet: the person must never be left with a half page or an unconfirmed vote."""
    if workshops.step_for_seat(db, mine) != st.session_state.get(STEP_KEY):
        st.rerun()
    if st.session_state.get(DRAWN_KEY) != st.session_state.get(STEP_KEY):
        st.rerun()
    pending = st.session_state.get(BALLOT_KEY)
    chosen = st.session_state.get(pending) if pending else None
    if chosen is not None and chosen not in (st.session_state.get(f"{pending}_saved"),
                                             st.session_state.get(f"{pending}_refused")):
        st.rerun()


@st.fragment
def ballot(db: store.Database, mine: str, indicator: str, vote_round: int, stored) -> None:
    seat = workshops.seat(db, mine)
    if seat is None or seat.workshop.current_indicator != indicator:
        st.rerun()
    q = db.questionnaire(seat.workshop.questionnaire_ref)
    spec = q.indicator_by_id[indicator]
    options = [level.value for level in q.levels] + ([NA] if spec.na_allowed else []) + [DK]
    key = f"ballot_{seat.workshop.id}_{indicator}_{vote_round}"
    saved_key = f"{key}_saved"
    st.session_state[BALLOT_KEY] = key
    if key not in st.session_state and stored is not None:
        st.session_state[key] = stored
    st.session_state.setdefault(saved_key, stored)
    choice = st.radio(t("vote_label", indicator=indicator), options, index=None, key=key,
                      format_func=lambda value: _shown(value, spec, q))
    saved = st.session_state.get(saved_key)
    if choice is not None and choice != saved:
        try:
            saved = workshops.vote(db, mine, indicator, choice)
        except (store.Invalid, store.NotEditable) as refused:
            st.session_state[f"{key}_refused"] = choice  # said below; not tried again by `follow`
            problem = refused.problems[0].render(lang()) if isinstance(refused, store.Invalid) else refused.message(lang())
            st.error(t("vote_failed", problem=problem))
            return
        st.session_state[saved_key] = saved
    if saved is not None:
        st.success(t("vote_saved", value=level_label(q, saved)))


def _shown(value, spec, q) -> str:
    """'2 Påbörjad – En namngiven medarbetare …', or 'Vet ej – …': the words of Fyll i."""
    L = lang()
    if value in (NA, DK):
        special = next(s for s in q.special if s.value == value)
        return f"{special.name[L]} – {special.descriptor[L]}"
    return f"{value} {q.levels[value].name[L]} – {spec.levels[value][L]}"
