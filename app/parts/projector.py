"""The projector: one fragment that redraws every second from the store (the workshop's state, a count of the
votes and, once revealed, the votes without names). Nothing here can show a vote before the reveal: the store
refuses to hand one out."""

from __future__ import annotations

import streamlit as st

import store
from app.i18n import lang, t
from app.parts import workshop as pw
from app.widgets import literal
from service import workshop as service
from store import workshops

_STYLE = """<style>
.stMainBlockContainer h1{font-size:2.6rem}
.stMainBlockContainer h2, .stMainBlockContainer h3{font-size:2rem}
.stMainBlockContainer p, .stMainBlockContainer li{font-size:1.45rem}
.room-code{font-size:3.2rem;font-weight:700;letter-spacing:.12em;margin:0}
[data-testid="stMetricValue"]{font-size:3rem}
</style>"""


def page(db: store.Database, who: store.Identity) -> None:
    wanted = st.query_params.get("workshop")
    try:
        found = workshops.get_workshop(db, who, wanted) if wanted else None
    except (store.NotFound, store.Forbidden):
        found = None
    if found is None:
        st.title(t("page_projector"))
        st.info(t("pj_choose"))
        return
    st.html(_STYLE)
    st.html(pw.CAPTION_STYLE)
    wall(db, who, found.id)


@st.fragment(run_every=pw.LIVE_SECONDS)
def wall(db: store.Database, who: store.Identity, workshop_id: int) -> None:
    found = workshops.get_workshop(db, who, workshop_id)
    q = db.questionnaire(found.questionnaire_ref)
    L = lang()
    st.title(literal(found.title))
    if found.status == "closed":
        st.header(t("pj_closed"))
        return
    if found.status == "open" and (found.current_indicator is None or found.phase == "voting"):
        pw.room(found, large=True)
    if found.current_indicator is None:
        joined = len(workshops.participants(db, who, workshop_id))
        st.header(t("pj_waiting"))
        st.subheader(t("pj_joined", n=joined))
        return
    spec = q.indicator_by_id[found.current_indicator]
    st.header(f"{spec.id} {spec.statement[L]}")
    counted = workshops.tally(db, who, workshop_id)
    key = "ws_tally_round2" if counted.vote_round == 2 else "ws_tally"
    st.metric(t("ws_now", indicator=spec.id), t(key, voted=counted.voted, eligible=counted.eligible))
    if found.phase == "revealed":
        pw.reveal_view(service.shown(db, who, workshop_id), q, key=f"wall_{found.step}")
