"""Workshops: one region's partnership assessing together, run by the region's lead.

The lead plans a workshop (which indicators, which stakeholder groups, whether a second vote is used), opens
it, and then moves it along one indicator at a time: voting → revealed → (second vote →) a recorded consensus
value. Everything is in the database, so the facilitator can refresh, change device or continue another day.

Participants join with the room code and no account: each gets a seat (a respondent of the assessment whose
role is their stakeholder group) and a 256-bit session secret that only the phone holds (the database keeps
its SHA-256). A vote is written twice in one transaction: as the workshop's vote row (per vote round, so the
second vote never overwrites the first) and as the seat's ordinary answer with history, which method 2 reads.

What may be seen when: before the reveal nobody — not the facilitator either — reads anyone's vote, only
who has voted; after it, the votes of the current indicator are shown without names. Nothing here scores:
the counter is a count query, and the reveal's figures are computed by scoring.workshop from the rows.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select, update

from questionnaires import freetext
from questionnaires.answers import NA_CODE, decode
from questionnaires.answers import code as answer_code
from questionnaires.model import NA, Questionnaire
from questionnaires.text import Text
from store import access, audit, clock, lookup, respondents, tokens
from store.answers import Change, answer_problems, write
from store.assessments import require_editable
from store.database import Database
from store.errors import Invalid, NotEditable, NotFound, Problem, text_problems
from store.identity import Identity
from store.messages import FIELD_NAMES, WORKSHOP_STATUSES
from store.schema import (
    consensus,
    workshop_participants,
    workshop_sessions,
    workshop_votes,
    workshops,
)
from store.schema import (
    respondents as respondent_table,
)

# Room codes: no 0/O, 1/I/L, 2/Z, 5/S or 8/B, which people misread off a projector or mistype on a phone.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6  # 25⁶ ≈ 244 million codes, against a few open workshops and a join limit per client
# A whole room may share one address behind NAT: only seats taken count as joins, generously; a look-up of a
# right code (the QR code's page) costs nothing, and wrong codes are limited on their own.
JOINS_PER_CLIENT = (80, dt.timedelta(minutes=10))
WRONG_CODES_PER_CLIENT = (10, dt.timedelta(minutes=10))
TITLE_LIMIT, NAME_LIMIT, TEXT_LIMIT = 120, 60, 4000

CHANGES = {  # what a refused move would have done, for "workshopen är avslutad och kan inte …"
    "open": Text("öppnas", "be opened"),
    "close": Text("avslutas", "be closed"),
    "run": Text("ledas vidare", "be moved on"),
    "join": Text("ta emot deltagare", "take participants"),
    "vote": Text("ta emot röster", "take votes"),
}


@dataclass(frozen=True)
class Workshop:
    id: int
    assessment_id: int
    region: str
    round: str
    questionnaire_ref: str
    title: str
    indicators: tuple[str, ...]
    stakeholder_groups: tuple[str, ...]
    second_vote: bool
    status: str  # planned | open | closed
    code: str | None  # the room code while open
    current_indicator: str | None
    phase: str | None  # voting | revealed
    vote_round: int
    step: int  # bumped on every move of the facilitator: the phones redraw when it changes
    created_at: dt.datetime
    created_by: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None

    @property
    def position(self) -> int | None:
        """The current indicator's place in the workshop's list (0-based), or None before the first."""
        return self.indicators.index(self.current_indicator) if self.current_indicator in self.indicators else None


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    respondent_id: int
    number: int  # 1, 2, … in the order people joined: how the console names someone who gave no name
    stakeholder_group: str
    name: str | None
    joined_at: dt.datetime
    removed_at: dt.datetime | None


@dataclass(frozen=True)
class Seat:
    """What a participant's phone may know: the workshop as it is now, their own seat and their own vote."""

    workshop: Workshop
    participant: Participant
    my_vote: int | str | None  # for the current indicator and vote round: 0..4, "na", "dk", or None


@dataclass(frozen=True)
class Tally:
    """'17 av 23 har röstat' for the current indicator and vote round."""

    indicator: str | None
    vote_round: int
    voted: int
    eligible: int
    step: int
    phase: str | None


@dataclass(frozen=True)
class Vote:
    stakeholder_group: str
    value: int | str  # 0..4, "na" or "dk"


@dataclass(frozen=True)
class ConsensusRecord:
    assessment_id: int
    indicator: str
    value: int | str  # 0..4 or "na"
    rationale: str
    evidence: str
    dissent: str
    outside_reason: str
    workshop_id: int | None
    decided_at: dt.datetime
    decided_by: str


# -- the facilitator ----------------------------------------------------------------------------------------------

def create_workshop(db: Database, actor: Identity, assessment_id: int, title: str, indicators: Sequence[str],
                    stakeholder_groups: Sequence[str], second_vote: bool = False) -> Workshop:
    with db.writing() as conn:
        who, found = _managed_assessment(conn, actor, assessment_id)
        require_editable(found)
        q = db.questionnaire(found.questionnaire_ref, conn)
        problems = workshop_problems(q, title, indicators, stakeholder_groups)
        if problems:
            raise Invalid(problems)
        now = clock.now()
        new_id = conn.execute(workshops.insert().values(
            assessment_id=found.id, title=title.strip(), indicators=json.dumps(list(indicators)),
            stakeholder_groups=json.dumps(list(stakeholder_groups)), second_vote=bool(second_vote),
            status="planned", vote_round=1, step=0, created_at=now, created_by=who.email)).inserted_primary_key[0]
        audit.record(conn, who, "workshop.create", f"workshop:{new_id}", region=found.region, at=now,
                     new={"title": title.strip(), "indicators": list(indicators),
                          "groups": list(stakeholder_groups), "second_vote": bool(second_vote)})
        return _fetch(conn, new_id)


def workshop_problems(q: Questionnaire, title: object, indicators: Sequence[str],
                      stakeholder_groups: Sequence[str]) -> list[Problem]:
    problems = text_problems(freetext.single_line_problems(title, FIELD_NAMES["workshop_title"], TITLE_LIMIT))
    if isinstance(title, str) and not title.strip():
        problems.append(Problem("required", {"field": FIELD_NAMES["workshop_title"]}))
    if not indicators:
        problems.append(Problem("workshop_no_indicators"))
    for indicator in indicators:
        if indicator not in q.indicator_by_id:
            problems.append(Problem("unknown_indicator", {"value": freetext.shown(indicator)}))
    roles = {role.id for role in q.roles}
    if not stakeholder_groups:
        problems.append(Problem("workshop_no_groups"))
    for group in stakeholder_groups:
        if group not in roles:
            problems.append(Problem("workshop_unknown_group", {"value": freetext.shown(group)}))
    return problems


def workshops_of(db: Database, actor: Identity, assessment_id: int) -> list[Workshop]:
    with db.reading() as conn:
        _managed_assessment(conn, actor, assessment_id)
        ids = conn.execute(select(workshops.c.id).where(workshops.c.assessment_id == assessment_id)
                           .order_by(workshops.c.id)).scalars().all()
        return [_fetch(conn, workshop_id) for workshop_id in ids]


def get_workshop(db: Database, actor: Identity, workshop_id: int) -> Workshop:
    with db.reading() as conn:
        return _managed(conn, actor, workshop_id)[1]


def open_workshop(db: Database, actor: Identity, workshop_id: int) -> Workshop:
    """planerad → öppen: the room code is drawn now, and people can join."""
    with db.writing() as conn:
        who, found = _managed(conn, actor, workshop_id)
        _require_status(found, ("planned",), "open")
        require_editable(lookup.assessment_by_id(conn, found.assessment_id))
        now = clock.now()
        for _ in range(20):
            room = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            taken = conn.execute(select(workshops.c.id).where(workshops.c.code == room)).first()
            if taken is None:
                break
        conn.execute(workshops.update().where(workshops.c.id == found.id)
                     .values(status="open", code=room, opened_at=now, step=workshops.c.step + 1))
        audit.record(conn, who, "workshop.open", f"workshop:{found.id}", region=found.region, at=now)
        return _fetch(conn, found.id)


def close_workshop(db: Database, actor: Identity, workshop_id: int) -> Workshop:
    """öppen → avslutad: the code stops working and every phone's seat ends; votes and consensus stay."""
    with db.writing() as conn:
        who, found = _managed(conn, actor, workshop_id)
        _require_status(found, ("planned", "open"), "close")
        now = clock.now()
        conn.execute(workshops.update().where(workshops.c.id == found.id)
                     .values(status="closed", code=None, closed_at=now, phase=None, step=workshops.c.step + 1))
        seats = select(workshop_participants.c.id).where(workshop_participants.c.workshop_id == found.id)
        conn.execute(workshop_sessions.update().where(workshop_sessions.c.participant_id.in_(seats),
                                                      workshop_sessions.c.revoked_at.is_(None)).values(revoked_at=now))
        audit.record(conn, who, "workshop.close", f"workshop:{found.id}", region=found.region, at=now)
        return _fetch(conn, found.id)


def show_indicator(db: Database, actor: Identity, workshop_id: int, indicator: str) -> Workshop:
    """Put an indicator on everyone's screen, for voting. Going back to one keeps its votes: the room sees the
    vote round it was at, and the facilitator may reveal again at once."""
    with db.writing() as conn:
        who, found = _running(conn, actor, workshop_id)
        if indicator not in found.indicators:
            raise Invalid([Problem("workshop_not_in_list", {"indicator": freetext.shown(indicator)})])
        held = conn.execute(select(func.max(workshop_votes.c.vote_round)).where(
            workshop_votes.c.workshop_id == found.id, workshop_votes.c.indicator == indicator)).scalar()
        _move(conn, found, current_indicator=indicator, phase="voting", vote_round=held or 1)
        audit.record(conn, who, "workshop.show", f"workshop:{found.id}", region=found.region,
                     new={"indicator": indicator})
        return _fetch(conn, found.id)


def reveal(db: Database, actor: Identity, workshop_id: int) -> Workshop:
    """'Visa resultat' (or 'Visa ändå' before everyone has voted): voting on the indicator stops."""
    with db.writing() as conn:
        who, found = _running(conn, actor, workshop_id)
        if found.current_indicator is None or found.phase != "voting":
            raise NotEditable("workshop_not_voting", indicator=found.current_indicator or "–")
        _move(conn, found, phase="revealed")
        audit.record(conn, who, "workshop.reveal", f"workshop:{found.id}", region=found.region,
                     new={"indicator": found.current_indicator, "vote_round": found.vote_round})
        return _fetch(conn, found.id)


def start_second_vote(db: Database, actor: Identity, workshop_id: int) -> Workshop:
    """After the discussion: everyone votes again on the same indicator; the first votes are kept beside."""
    with db.writing() as conn:
        who, found = _running(conn, actor, workshop_id)
        if not found.second_vote or found.phase != "revealed" or found.vote_round != 1:
            raise NotEditable("workshop_no_second_vote")
        _move(conn, found, phase="voting", vote_round=2)
        audit.record(conn, who, "workshop.second_vote", f"workshop:{found.id}", region=found.region,
                     new={"indicator": found.current_indicator})
        return _fetch(conn, found.id)


def participants(db: Database, actor: Identity, workshop_id: int, include_removed: bool = False
                 ) -> list[tuple[Participant, bool]]:
    """Who has joined, each with whether they have voted on the current indicator in this vote round."""
    with db.reading() as conn:
        found = _managed(conn, actor, workshop_id)[1]
        voted = set()
        if found.current_indicator is not None:
            voted = set(conn.execute(select(workshop_votes.c.participant_id).where(
                workshop_votes.c.workshop_id == found.id, workshop_votes.c.indicator == found.current_indicator,
                workshop_votes.c.vote_round == found.vote_round)).scalars())
        people = _participants(conn, found.id)
        return [(person, person.id in voted) for person in people
                if include_removed or person.removed_at is None]


def remove_participant(db: Database, actor: Identity, participant_id: int) -> None:
    """Someone joined by mistake (or twice): their seat ends, their sheet is removed and their votes stop
    counting. The rows stay, as every removal in the store does, and the audit log says who removed them."""
    with db.writing() as conn:
        row = conn.execute(select(workshop_participants).where(
            workshop_participants.c.id == _whole(participant_id))).first()
        if row is None:
            raise NotFound("no_workshop", id=participant_id)
        who, found = _managed(conn, actor, row.workshop_id)
        if row.removed_at is not None:
            return
        now = clock.now()
        conn.execute(workshop_participants.update().where(workshop_participants.c.id == row.id)
                     .values(removed_at=now, removed_by=who.email))
        conn.execute(workshop_sessions.update().where(workshop_sessions.c.participant_id == row.id,
                                                      workshop_sessions.c.revoked_at.is_(None)).values(revoked_at=now))
        conn.execute(respondent_table.update().where(respondent_table.c.id == row.respondent_id,
                                                     respondent_table.c.removed_at.is_(None))
                     .values(removed_at=now, removed_by=who.email))
        conn.execute(workshops.update().where(workshops.c.id == found.id).values(step=workshops.c.step + 1))
        audit.record(conn, who, "workshop.remove_participant", f"respondent:{row.respondent_id}",
                     region=found.region, at=now, old={"group": row.stakeholder_group, "name": row.name})


def tally(db: Database, actor: Identity, workshop_id: int) -> Tally:
    """The live counter for the console and the wall: two small count queries (`tally_for_seat` is the phone's)."""
    with db.reading() as conn:
        found = _managed(conn, actor, workshop_id)[1]
        return _tally(conn, db, found)


def revealed_votes(db: Database, actor: Identity, workshop_id: int) -> tuple[list[Vote], list[Vote]]:
    """The current indicator's votes without names, (first round, second round), once revealed."""
    with db.reading() as conn:
        found = _managed(conn, actor, workshop_id)[1]
        if found.current_indicator is None or found.phase != "revealed":
            raise NotEditable("workshop_not_revealed", indicator=found.current_indicator or "–")
        return _votes(conn, found.id, found.current_indicator, 1), _votes(conn, found.id, found.current_indicator, 2)


def all_votes(db: Database, actor: Identity, workshop_id: int) -> dict[str, tuple[list[Vote], list[Vote]]]:
    """Every indicator's votes without names, for the workshop report. Only indicators whose votes the room has
    already seen: the current one only after its reveal (a closed workshop has no current one)."""
    with db.reading() as conn:
        found = _managed(conn, actor, workshop_id)[1]
        shown = {}
        for indicator in found.indicators:
            if indicator == found.current_indicator and found.phase != "revealed" and found.status == "open":
                continue
            shown[indicator] = (_votes(conn, found.id, indicator, 1), _votes(conn, found.id, indicator, 2))
        return shown


def record_consensus(db: Database, actor: Identity, workshop_id: int, indicator: str, value: int | str,
                     rationale: str, evidence: str = "", dissent: str = "", outside_reason: str = "") -> ConsensusRecord:
    """The group's value for an indicator, with its rationale and evidence: method 2's official value.

    A value outside the range of the votes needs a reason (the room agreed on something nobody voted for).
    Recording again replaces the value; the audit log keeps each one.
    """
    with db.writing() as conn:
        who, found = _managed(conn, actor, workshop_id)
        if found.status == "closed":
            raise NotEditable("workshop_state", status=WORKSHOP_STATUSES[found.status], change=CHANGES["run"])
        assessment = lookup.assessment_by_id(conn, found.assessment_id)
        require_editable(assessment)
        if indicator not in found.indicators:
            raise Invalid([Problem("workshop_not_in_list", {"indicator": freetext.shown(indicator)})])
        q = db.questionnaire(found.questionnaire_ref, conn)
        spec = q.indicator_by_id[indicator]
        texts = {"rationale": rationale, "evidence": evidence, "dissent": dissent, "outside_reason": outside_reason}
        problems = []
        for name, text in texts.items():
            problems += text_problems(freetext.multiline_problems(text, FIELD_NAMES[name], TEXT_LIMIT))
        if not (value == NA and spec.na_allowed) and not (isinstance(value, int) and not isinstance(value, bool)
                                                          and 0 <= value <= q.scale_max):
            problems.append(Problem("consensus_bad_value", {"top": q.scale_max}))
        if isinstance(rationale, str) and not rationale.strip():
            problems.append(Problem("consensus_rationale"))
        levels = [vote.value for vote in _votes(conn, found.id, indicator, 2) or _votes(conn, found.id, indicator, 1)
                  if isinstance(vote.value, int)]
        if (levels and isinstance(value, int) and not min(levels) <= value <= max(levels)
                and isinstance(outside_reason, str) and not outside_reason.strip()):
            problems.append(Problem("consensus_outside", {"value": value, "low": min(levels), "high": max(levels)}))
        if problems:
            raise Invalid([Problem(p.code, p.params, (indicator,)) for p in problems])
        now = clock.now()
        row = {"value": answer_code(value), "rationale": freetext.multiline(rationale).strip(),
               "evidence": freetext.multiline(evidence).strip(), "dissent": freetext.multiline(dissent).strip(),
               "outside_reason": freetext.multiline(outside_reason).strip(), "workshop_id": found.id,
               "decided_at": now, "decided_by": who.email}
        key = and_(consensus.c.assessment_id == found.assessment_id, consensus.c.indicator == indicator)
        old = conn.execute(select(consensus).where(key)).first()
        if old is None:
            conn.execute(consensus.insert().values(assessment_id=found.assessment_id, indicator=indicator, **row))
        else:
            conn.execute(consensus.update().where(key).values(**row))
        audit.record(conn, who, "consensus.record", f"consensus:{found.assessment_id}:{indicator}",
                     region=found.region, at=now, old=None if old is None else _consensus(old).__dict__,
                     new={**row, "value": value})
        conn.execute(workshops.update().where(workshops.c.id == found.id).values(step=workshops.c.step + 1))
        return _consensus(conn.execute(select(consensus).where(key)).first())


def consensus_of(db: Database, actor: Identity, assessment_id: int) -> list[ConsensusRecord]:
    """The assessment's consensus values, for whoever may see its results."""
    with db.reading() as conn:
        who = access.current(conn, actor)
        found = access.concealed(who, "see_assessment", lambda: lookup.assessment_by_id(conn, assessment_id),
                                 access.reads_regions(who))
        access.require_concealed(access.may_see_results(who, found.region, found.status, found.round.published),
                                 "see_assessment")
        rows = conn.execute(select(consensus).where(consensus.c.assessment_id == found.id)
                            .order_by(consensus.c.indicator)).all()
        return [_consensus(row) for row in rows]


# -- the participant's phone (no account: the seat's secret) ------------------------------------------------------

def join(db: Database, code: str, stakeholder_group: str, name: str | None = None, *,
         client: str | None = None) -> tuple[str, Seat]:
    """A seat in the open workshop with this code, and the secret the phone keeps (shown once, never stored).

    Limits per client address: joins and wrong codes, so the code cannot be guessed by trying.
    """
    typed = normalised_code(code)
    name = name.strip() if isinstance(name, str) else None
    with db.writing() as conn:  # a refusal is returned, not raised, so that the counted attempt is committed
        now = clock.now()
        workshop_id, refusal = _room(conn, typed, client or "-", now, joining=True)
        if refusal is None:
            return _seated(conn, db, workshop_id, stakeholder_group, name, now)
    raise refusal


@dataclass(frozen=True)
class Room:
    """What the join page may show for a code: the workshop's name, region and stakeholder groups."""

    code: str
    title: str
    region: str
    questionnaire_ref: str
    stakeholder_groups: tuple[str, ...]


def room(db: Database, code: str, *, client: str | None = None) -> Room:
    """The open workshop a typed or scanned code opens, or `Invalid` — counted like a join, so that asking is
    no cheaper a way to guess a code than joining."""
    typed = normalised_code(code)
    with db.writing() as conn:
        workshop_id, refusal = _room(conn, typed, client or "-", clock.now())
        if refusal is None:
            found = _fetch(conn, workshop_id)
            return Room(found.code, found.title, found.region, found.questionnaire_ref, found.stakeholder_groups)
    raise refusal


def normalised_code(code: object) -> str:
    """'acd-efg ' → 'ACDEFG': people type codes in any case, with the space or dash the projector shows."""
    return code.strip().upper().replace(" ", "").replace("-", "") if isinstance(code, str) else ""


def _room(conn: Connection, room: str, client: str, now: dt.datetime,
          joining: bool = False) -> tuple[int | None, Invalid | None]:
    """The open workshop with this code, or the refusal: too many wrong codes (or, `joining`, seats) from the
    client."""
    if joining and tokens.over_limit(conn, "workshop_join", client, *JOINS_PER_CLIENT, now):
        return None, Invalid([Problem("rate_limited")])
    found = None
    if len(room) == CODE_LENGTH and set(room) <= set(ALPHABET):
        found = conn.execute(select(workshops.c.id).where(workshops.c.code == room,
                                                          workshops.c.status == "open")).scalar()
    if found is None:
        limited = tokens.over_limit(conn, "workshop_code", client, *WRONG_CODES_PER_CLIENT, now)
        return None, Invalid([Problem("rate_limited" if limited else "workshop_bad_code")])
    return found, None


def _seated(conn: Connection, db: Database, workshop_id: int, stakeholder_group: str, name: str | None,
            now: dt.datetime) -> tuple[str, Seat]:
    found = _fetch(conn, workshop_id)
    assessment = lookup.assessment_by_id(conn, found.assessment_id)
    require_editable(assessment)
    problems = []
    if stakeholder_group not in found.stakeholder_groups:
        problems.append(Problem("workshop_pick_group"))
    if name:
        problems += text_problems(freetext.single_line_problems(name, FIELD_NAMES["participant_name"], NAME_LIMIT))
    if problems:
        raise Invalid(problems)
    number = 1 + conn.execute(select(func.count()).select_from(workshop_participants)
                              .where(workshop_participants.c.workshop_id == found.id)).scalar_one()
    host = _host(found)
    sheet = respondents.insert(conn, host, found.assessment_id, found.region, name or f"W{found.id}-{number}",
                               stakeholder_group, None, None, None, at=now)
    participant_id = conn.execute(workshop_participants.insert().values(
        workshop_id=found.id, respondent_id=sheet, stakeholder_group=stakeholder_group, name=name or None,
        joined_at=now)).inserted_primary_key[0]
    secret = tokens.new_secret()
    conn.execute(workshop_sessions.insert().values(participant_id=participant_id,
                                                   token_hash=tokens.digest(secret), created_at=now))
    conn.execute(workshops.update().where(workshops.c.id == found.id).values(step=workshops.c.step + 1))
    return secret, _seat(conn, participant_id)


def seat(db: Database, secret: object) -> Seat | None:
    """The seat a phone's secret opens, or None (unknown, removed, or the workshop is no longer open)."""
    if not tokens.well_formed(secret):
        return None
    with db.reading() as conn:
        participant_id = _seat_id(conn, secret)
        return None if participant_id is None else _seat(conn, participant_id)


def step_for_seat(db: Database, secret: object) -> int | None:
    """The workshop's move counter as the phone's seat sees it (one indexed query; None when the seat ended).
    The phone polls this and redraws only when it changes."""
    if not tokens.well_formed(secret):
        return None
    with db.reading() as conn:
        return conn.execute(
            select(workshops.c.step)
            .join(workshop_participants, workshop_participants.c.workshop_id == workshops.c.id)
            .join(workshop_sessions, workshop_sessions.c.participant_id == workshop_participants.c.id)
            .where(workshop_sessions.c.token_hash == tokens.digest(secret), workshop_sessions.c.revoked_at.is_(None),
                   workshop_participants.c.removed_at.is_(None), workshops.c.status == "open")).scalar()


def vote(db: Database, secret: object, indicator: str, value: int | str) -> int | str:
    """The participant's vote on the indicator on screen: one vote row and one answer revision, nothing scored."""
    if not tokens.well_formed(secret):
        raise Invalid([Problem("workshop_seat_ended")])
    with db.writing() as conn:
        participant_id = _seat_id(conn, secret)
        if participant_id is None:
            raise Invalid([Problem("workshop_seat_ended")])
        person = conn.execute(select(workshop_participants).where(workshop_participants.c.id == participant_id)).first()
        found = _fetch(conn, person.workshop_id)
        if found.current_indicator != indicator or found.phase != "voting":
            raise NotEditable("workshop_not_voting", indicator=freetext.shown(indicator))
        require_editable(lookup.assessment_by_id(conn, found.assessment_id))
        q = db.questionnaire(found.questionnaire_ref, conn)
        problems = answer_problems(q, person.stakeholder_group, indicator, value, None, None)
        if value is None:
            problems.append(Problem("bad_value", {"value": "–", "top": q.scale_max}))
        if problems:
            raise Invalid([Problem(p.code, p.params, (indicator,)) for p in problems])
        stored = answer_code(value)
        now = clock.now()
        key = and_(workshop_votes.c.participant_id == participant_id, workshop_votes.c.indicator == indicator,
                   workshop_votes.c.vote_round == found.vote_round)
        if conn.execute(update(workshop_votes).where(key).values(value=stored, voted_at=now)).rowcount == 0:
            conn.execute(workshop_votes.insert().values(participant_id=participant_id, indicator=indicator,
                                                        vote_round=found.vote_round, workshop_id=found.id,
                                                        value=stored, voted_at=now))
        voter = Identity(user_id=None, email=f"workshop:{found.id}:{person.id}", name=person.name or "")
        write(conn, voter, Change(person.respondent_id, indicator, stored), None, q, at=now)
        return decode(stored)


def tally_for_seat(db: Database, secret: object) -> Tally | None:
    """The counter as a phone or the projector sees it (no names, no values)."""
    if not tokens.well_formed(secret):
        return None
    with db.reading() as conn:
        participant_id = _seat_id(conn, secret)
        if participant_id is None:
            return None
        workshop_id = conn.execute(select(workshop_participants.c.workshop_id)
                                   .where(workshop_participants.c.id == participant_id)).scalar_one()
        return _tally(conn, db, _fetch(conn, workshop_id))


# -- inside ---------------------------------------------------------------------------------------------------------

def _managed_assessment(conn: Connection, actor: Identity, assessment_id: int):
    who = access.current(conn, actor)
    found = access.concealed(who, "run_workshop", lambda: lookup.assessment_by_id(conn, assessment_id),
                             access.manages_regions(who))
    access.require_concealed(access.may_manage(who, found.region), "run_workshop")
    return who, found


def _managed(conn: Connection, actor: Identity, workshop_id: int) -> tuple[Identity, Workshop]:
    who = access.current(conn, actor)
    found = access.concealed(who, "run_workshop", lambda: _fetch(conn, workshop_id), access.manages_regions(who))
    access.require_concealed(access.may_manage(who, found.region), "run_workshop")
    return who, found


def _running(conn: Connection, actor: Identity, workshop_id: int) -> tuple[Identity, Workshop]:
    who, found = _managed(conn, actor, workshop_id)
    _require_status(found, ("open",), "run")
    require_editable(lookup.assessment_by_id(conn, found.assessment_id))
    return who, found


def _require_status(found: Workshop, allowed: Iterable[str], change: str) -> None:
    if found.status not in allowed:
        raise NotEditable("workshop_state", status=WORKSHOP_STATUSES[found.status], change=CHANGES[change])


def _move(conn: Connection, found: Workshop, **values) -> None:
    conn.execute(workshops.update().where(workshops.c.id == found.id).values(step=workshops.c.step + 1, **values))


def _fetch(conn: Connection, workshop_id: int) -> Workshop:
    row = conn.execute(select(workshops).where(workshops.c.id == _whole(workshop_id))).first()
    if row is None:
        raise NotFound("no_workshop", id=workshop_id)
    found = lookup.assessment_by_id(conn, row.assessment_id)
    return Workshop(row.id, row.assessment_id, found.region, found.round.label, found.questionnaire_ref, row.title,
                    tuple(json.loads(row.indicators)), tuple(json.loads(row.stakeholder_groups)), bool(row.second_vote),
                    row.status, row.code, row.current_indicator, row.phase, row.vote_round, row.step,
                    row.created_at, row.created_by, row.opened_at, row.closed_at)


def _participants(conn: Connection, workshop_id: int) -> list[Participant]:
    rows = conn.execute(select(workshop_participants).where(workshop_participants.c.workshop_id == workshop_id)
                        .order_by(workshop_participants.c.id)).all()
    return [Participant(row.id, row.workshop_id, row.respondent_id, number, row.stakeholder_group, row.name,
                        row.joined_at, row.removed_at) for number, row in enumerate(rows, start=1)]


def _seat_id(conn: Connection, secret: str) -> int | None:
    row = conn.execute(
        select(workshop_sessions.c.participant_id, workshop_sessions.c.token_hash)
        .join(workshop_participants, workshop_participants.c.id == workshop_sessions.c.participant_id)
        .join(workshops, workshops.c.id == workshop_participants.c.workshop_id)
        .where(workshop_sessions.c.token_hash == tokens.digest(secret), workshop_sessions.c.revoked_at.is_(None),
               workshop_participants.c.removed_at.is_(None), workshops.c.status == "open")).first()
    if row is None or not tokens.matches(row.token_hash, secret):
        return None
    return row.participant_id


def _seat(conn: Connection, participant_id: int) -> Seat:
    person = conn.execute(select(workshop_participants).where(workshop_participants.c.id == participant_id)).first()
    found = _fetch(conn, person.workshop_id)
    number = conn.execute(select(func.count()).select_from(workshop_participants).where(
        workshop_participants.c.workshop_id == found.id, workshop_participants.c.id <= person.id)).scalar_one()
    mine = None
    if found.current_indicator is not None:
        mine = conn.execute(select(workshop_votes.c.value).where(
            workshop_votes.c.participant_id == participant_id, workshop_votes.c.indicator == found.current_indicator,
            workshop_votes.c.vote_round == found.vote_round)).scalar()
    participant = Participant(person.id, person.workshop_id, person.respondent_id, number, person.stakeholder_group,
                              person.name, person.joined_at, person.removed_at)
    return Seat(found, participant, None if mine is None else decode(mine))


def _tally(conn: Connection, db: Database, found: Workshop) -> Tally:
    if found.current_indicator is None:
        return Tally(None, found.vote_round, 0, 0, found.step, found.phase)
    spec = db.questionnaire(found.questionnaire_ref, conn).indicator_by_id[found.current_indicator]
    present = [group for group in found.stakeholder_groups if spec.applies_to(group)]
    active = and_(workshop_participants.c.workshop_id == found.id, workshop_participants.c.removed_at.is_(None),
                  workshop_participants.c.stakeholder_group.in_(present))
    eligible = conn.execute(select(func.count()).select_from(workshop_participants).where(active)).scalar_one()
    voted = conn.execute(
        select(func.count()).select_from(workshop_votes)
        .join(workshop_participants, workshop_participants.c.id == workshop_votes.c.participant_id)
        .where(active, workshop_votes.c.workshop_id == found.id, workshop_votes.c.indicator == found.current_indicator,
               workshop_votes.c.vote_round == found.vote_round)).scalar_one()
    return Tally(found.current_indicator, found.vote_round, voted, eligible, found.step, found.phase)


def _votes(conn: Connection, workshop_id: int, indicator: str, vote_round: int) -> list[Vote]:
    rows = conn.execute(
        select(workshop_participants.c.stakeholder_group, workshop_votes.c.value)
        .join(workshop_participants, workshop_participants.c.id == workshop_votes.c.participant_id)
        .where(workshop_votes.c.workshop_id == workshop_id, workshop_votes.c.indicator == indicator,
               workshop_votes.c.vote_round == vote_round, workshop_participants.c.removed_at.is_(None))
        .order_by(workshop_participants.c.stakeholder_group, workshop_votes.c.value)).all()
    return [Vote(group, decode(value)) for group, value in rows]


def _consensus(row) -> ConsensusRecord:
    return ConsensusRecord(row.assessment_id, row.indicator, "na" if row.value == NA_CODE else row.value,
                           row.rationale, row.evidence, row.dissent, row.outside_reason, row.workshop_id,
                           row.decided_at, row.decided_by)


def _host(found: Workshop) -> Identity:
    """Who the audit log names for a seat the room code opened: the workshop, not a person."""
    return Identity(user_id=None, email=f"workshop:{found.id}", name=found.title)


def _whole(value: object) -> int:
    """Ids come from widgets and addresses: anything that is not a whole number is simply not found."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value))
        except ValueError:
            raise NotFound("no_workshop", id=freetext.shown(value)) from None
    return value
