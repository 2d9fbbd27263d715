"""The tables. Only store/ knows them; everything else sees dataclasses and DataFrames.

Conventions:
- every time is UTC (`UtcDateTime` keeps them timezone-aware in Python and plain in the database, so both
  backends store the same thing);
- answers are stored as the answer sheet's codes (0..4, 253 = na, 254 = dk; NULL = cleared), so the
  national comparison frame is a straight copy;
- `answer_revisions` and `audit` are append-only (enforced by triggers created in the migration);
- `answers` holds the newest revision of each answer and is derived from `answer_revisions`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

EMAIL = 254
LABEL = 40
NAME = 200
REF = 100
INDICATOR = 40


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (the same bytes on SQLite and PostgreSQL)."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:  # a programming error: a local time would be stored as if it were UTC
            raise ValueError("naive datetime given to the store")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.UTC)


meta = Table(
    "meta", metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

regions = Table(
    "regions", metadata,
    Column("code", String(2), primary_key=True),
    Column("name", String(NAME), nullable=False),
)

questionnaires = Table(
    "questionnaires", metadata,
    Column("ref", String(REF), primary_key=True),
    Column("title_sv", String(300), nullable=False),
    Column("title_en", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("definition", Text, nullable=False),  # the YAML as registered: the database can always rebuild it
    Column("registered_at", UtcDateTime, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(EMAIL), nullable=False, unique=True),  # always lower case
    Column("name", String(NAME), nullable=False),
    Column("password_hash", String(255)),  # NULL: signs in through OIDC only
    Column("national_role", String(10)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_login_at", UtcDateTime),
    CheckConstraint("national_role IN ('admin', 'analyst')", name="national_role"),
)

memberships = Table(
    "memberships", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("region_code", String(2), ForeignKey("regions.code"), primary_key=True),
    Column("role", String(12), nullable=False),
    CheckConstraint("role IN ('lead', 'respondent', 'viewer')", name="role"),
)

rounds = Table(
    "rounds", metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(LABEL), nullable=False, unique=True),
    Column("questionnaire_ref", String(REF), ForeignKey("questionnaires.ref"), nullable=False),
    Column("status", String(8), nullable=False),
    Column("published", Boolean, nullable=False, default=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("opened_by", String(EMAIL), nullable=False),
    Column("closed_at", UtcDateTime),
    Column("published_at", UtcDateTime),
    CheckConstraint("status IN ('open', 'closed')", name="status"),
)

assessments = Table(
    "assessments", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False),
    Column("region_code", String(2), ForeignKey("regions.code"), nullable=False),
    Column("questionnaire_ref", String(REF), ForeignKey("questionnaires.ref"), nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(EMAIL), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("submitted_at", UtcDateTime),
    Column("submitted_by", String(EMAIL)),
    Column("locked_at", UtcDateTime),
    UniqueConstraint("round_id", "region_code"),
    CheckConstraint("status IN ('draft', 'submitted', 'reopened', 'locked')", name="status"),
)

respondents = Table(
    "respondents", metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False),
    Column("key", String(LABEL), nullable=False),  # the id in answers files and in the answer sheet ("r1")
    Column("name", String(NAME), nullable=False),
    Column("role", String(20), nullable=False),
    Column("organisation", String(NAME)),
    Column("user_email", String(EMAIL), index=True),  # the account that answers this sheet, if any
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(EMAIL), nullable=False),
    Column("removed_at", UtcDateTime),
    Column("removed_by", String(EMAIL)),
    UniqueConstraint("assessment_id", "key"),
)

_ANSWER_VALUE = "value IS NULL OR value BETWEEN 0 AND 10 OR value IN (253, 254)"

answer_revisions = Table(
    "answer_revisions", metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id"), primary_key=True),
    Column("indicator", String(INDICATOR), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("value", SmallInteger),
    Column("comment", Text),
    Column("confidence", String(6)),
    Column("saved_by", String(EMAIL), nullable=False),
    Column("saved_at", UtcDateTime, nullable=False),
    CheckConstraint(_ANSWER_VALUE, name="value"),
    CheckConstraint("revision >= 1", name="revision"),
)

answers = Table(
    "answers", metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id"), primary_key=True),
    Column("indicator", String(INDICATOR), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("value", SmallInteger),
    Column("comment", Text),
    Column("confidence", String(6)),
    Column("saved_by", String(EMAIL), nullable=False),
    Column("saved_at", UtcDateTime, nullable=False),
    CheckConstraint(_ANSWER_VALUE, name="value"),
)

plans = Table(
    "plans", metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(EMAIL), nullable=False),
)

plan_actions = Table(
    "plan_actions", metadata,
    Column("id", String(32), primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("dimension", String(INDICATOR), nullable=False),
    Column("indicators", Text, nullable=False),  # JSON list of indicator ids
    Column("action", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("start", Date),
    Column("due", Date),
    Column("resources", Text, nullable=False),
    Column("success_indicator", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("source_action", String(REF)),
    Column("extra", Text, nullable=False),  # JSON object: fields another tool added, kept as they came
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(EMAIL), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(EMAIL), nullable=False),
    CheckConstraint("status IN ('not_started', 'ongoing', 'done', 'paused', 'dropped')", name="status"),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(EMAIL), nullable=False),
    Column("action", String(40), nullable=False),
    Column("region_code", String(2)),  # no foreign key: the log outlives anything it mentions
    Column("target", String(REF), nullable=False),
    Column("old", Text),  # JSON
    Column("new", Text),  # JSON
    Index("ix_audit_region_code_id", "region_code", "id"),
)

# -- sign-in sessions, one-time links, "Jag är klar" (migration 0002) -------------------------------------------
#
# Secrets (session cookies, handoffs, invitation and reset links) are 256-bit random strings held by the browser
# or the mailbox; the database keeps only their SHA-256 (hex), so a copy of the database opens no door.
DIGEST = 64

sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(DIGEST), unique=True),  # the cookie's digest; NULL until the browser claims it
    Column("handoff_hash", String(DIGEST), unique=True),  # a one-time secret the tab trades for the cookie
    Column("handoff_expires_at", UtcDateTime),
    Column("via", String(12), nullable=False),  # password | invitation | reset | oidc
    Column("user_agent", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),  # absolute end, whatever the activity
    Column("revoked_at", UtcDateTime),
    Column("revoked_by", String(EMAIL)),
    Column("revoked_reason", String(20)),
    CheckConstraint("via IN ('password', 'invitation', 'reset', 'oidc')", name="via"),
)

link_tokens = Table(
    "link_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("purpose", String(12), nullable=False),  # invitation | reset
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("email", String(EMAIL), nullable=False),  # whom the link is for (lower case)
    Column("user_id", Integer, ForeignKey("users.id")),  # reset: the account; invitation: the account it opened
    Column("respondent_id", Integer, ForeignKey("respondents.id"), index=True),  # invitation: the sheet
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(EMAIL), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),  # mailed by the app (NULL: the link was copied by hand)
    Column("used_at", UtcDateTime),  # first use ("Börja", or the new password)
    Column("spent_at", UtcDateTime),  # no longer opens anything (a password was chosen; a reset was used)
    Column("revoked_at", UtcDateTime),
    Column("revoked_by", String(EMAIL)),
    CheckConstraint("purpose IN ('invitation', 'reset')", name="purpose"),
)

sheet_receipts = Table(
    "sheet_receipts", metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id"), primary_key=True),
    Column("done_at", UtcDateTime, nullable=False),
    Column("done_by", String(EMAIL), nullable=False),
    Column("answered", Integer, nullable=False),
    Column("asked", Integer, nullable=False),
)

rate_events = Table(
    "rate_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("bucket", String(20), nullable=False),  # e.g. forgot_email, forgot_client, link_client
    Column("key_hash", String(DIGEST), nullable=False),  # SHA-256 of the address or client: no plain addresses
    Column("at", UtcDateTime, nullable=False),
    Index("ix_rate_events_bucket_key_hash_at", "bucket", "key_hash", "at"),
)

# -- workshops and consensus values (migration 0003) -------------------------------------------------------------
#
# A workshop is one region's partnership assessing together: participants join with a short code (no account),
# vote silently per indicator, the facilitator reveals the spread and records the group's consensus value.
# Each participant is a respondent of the assessment, so a vote is also an ordinary answer with history.
WORKSHOP_CODE = 8

workshops = Table(
    "workshops", metadata,
    Column("id", Integer, primary_key=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id"), nullable=False, index=True),
    Column("title", String(NAME), nullable=False),
    Column("indicators", Text, nullable=False),  # JSON list of indicator ids, in the order they are taken
    Column("stakeholder_groups", Text, nullable=False),  # JSON list of the questionnaire's role ids present
    Column("second_vote", Boolean, nullable=False, default=False),
    Column("status", String(8), nullable=False),  # planned | open | closed
    # The room code is shown on the projector for everyone in the room to type; it opens only a seat in this
    # workshop while it is open (rate-limited, removable), never an account, so it is kept readable for the
    # facilitator's next device. The participants' own session secrets are hashed (workshop_sessions).
    Column("code", String(WORKSHOP_CODE), unique=True),
    Column("current_indicator", String(INDICATOR)),
    Column("phase", String(8)),  # voting | revealed (of the current indicator)
    Column("vote_round", SmallInteger, nullable=False, default=1),  # 1, or 2 for the second vote
    Column("step", Integer, nullable=False, default=0),  # bumped on every facilitator move: the phones' cue
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(EMAIL), nullable=False),
    Column("opened_at", UtcDateTime),
    Column("closed_at", UtcDateTime),
    CheckConstraint("status IN ('planned', 'open', 'closed')", name="status"),
    CheckConstraint("phase IS NULL OR phase IN ('voting', 'revealed')", name="phase"),
    CheckConstraint("vote_round IN (1, 2)", name="vote_round"),
)

workshop_participants = Table(
    "workshop_participants", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id"), nullable=False, index=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id"), nullable=False, unique=True),
    Column("stakeholder_group", String(20), nullable=False),  # a role id of the questionnaire
    Column("name", String(NAME)),  # as the participant typed it, or NULL
    Column("joined_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime),
    Column("removed_by", String(EMAIL)),
)

workshop_sessions = Table(
    "workshop_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("participant_id", Integer, ForeignKey("workshop_participants.id"), nullable=False, index=True),
    Column("token_hash", String(DIGEST), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

workshop_votes = Table(
    "workshop_votes", metadata,
    Column("participant_id", Integer, ForeignKey("workshop_participants.id"), primary_key=True),
    Column("indicator", String(INDICATOR), primary_key=True),
    Column("vote_round", SmallInteger, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id"), nullable=False),
    Column("value", SmallInteger, nullable=False),
    Column("voted_at", UtcDateTime, nullable=False),
    CheckConstraint("value BETWEEN 0 AND 10 OR value IN (253, 254)", name="value"),
    Index("ix_workshop_votes_workshop_id_indicator_vote_round", "workshop_id", "indicator", "vote_round"),
)

consensus = Table(
    "consensus", metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id"), primary_key=True),
    Column("indicator", String(INDICATOR), primary_key=True),
    Column("value", SmallInteger, nullable=False),  # 0..top, or 253 (Ej relevant)
    Column("rationale", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("dissent", Text, nullable=False),
    Column("outside_reason", Text, nullable=False),  # why the value lies outside the votes' range ("" if inside)
    Column("workshop_id", Integer, ForeignKey("workshops.id")),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("decided_by", String(EMAIL), nullable=False),
    CheckConstraint("value BETWEEN 0 AND 10 OR value = 253", name="value"),
)

# -- the follow-up round (migration 0004) -----------------------------------------------------------------------
#
# A carried answer is last round's answer proposed on the same person's sheet in the new round: a proposal, not an
# answer (never scored) until the person confirms it or changes it. A reason says what changed when a carried
# answer was changed; it is keyed by the answer revision it explains (answer_revisions stays untouched and
# append-only). A plan review is the lead's verdict on one action of last round's plan before the new plan.
CARRY_STATUSES = ("pending", "confirmed", "changed", "dismissed")
REVIEW_STATUSES = ("done", "ongoing", "not_started", "dropped")

carried_answers = Table(
    "carried_answers", metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id"), primary_key=True),
    Column("indicator", String(INDICATOR), primary_key=True),  # the new version's indicator
    Column("value", SmallInteger),  # last round's answer code (0..top, 253, 254)
    Column("comment", Text),
    Column("from_respondent_id", Integer, ForeignKey("respondents.id"), nullable=False),
    Column("from_indicator", String(INDICATOR), nullable=False),  # last round's indicator (crosswalk)
    Column("from_round_id", Integer, ForeignKey("rounds.id"), nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(EMAIL), nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolved_by", String(EMAIL)),
    CheckConstraint("value IS NULL OR value BETWEEN 0 AND 10 OR value IN (253, 254)", name="value"),
    CheckConstraint("status IN ('pending', 'confirmed', 'changed', 'dismissed')", name="status"),
)

answer_reasons = Table(
    "answer_reasons", metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id"), primary_key=True),
    Column("indicator", String(INDICATOR), primary_key=True),
    Column("revision", Integer, primary_key=True),  # the answer revision the reason explains
    Column("reason", Text, nullable=False),
    Column("previous_value", SmallInteger),  # the carried value it replaced
    Column("given_by", String(EMAIL), nullable=False),
    Column("given_at", UtcDateTime, nullable=False),
)

plan_reviews = Table(
    "plan_reviews", metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id"), primary_key=True),  # the new round's
    Column("action_id", String(32), primary_key=True),  # last round's action (no foreign key: a review outlives it)
    Column("from_assessment_id", Integer, ForeignKey("assessments.id"), nullable=False),
    Column("status", String(12), nullable=False),
    Column("outcome", Text, nullable=False),
    Column("continues", Boolean, nullable=False, default=False),
    Column("carried_to", String(32)),  # the new plan's copy of a continuing action, once made
    Column("reviewed_at", UtcDateTime, nullable=False),
    Column("reviewed_by", String(EMAIL), nullable=False),
    CheckConstraint("status IN ('done', 'ongoing', 'not_started', 'dropped')", name="status"),
)

# Tables whose rows are never updated or deleted (triggers in the migration say so to the database too).
APPEND_ONLY = ("answer_revisions", "audit")
# Derived tables, rebuilt rather than backed up.
DERIVED = ("answers",)
# Short-lived tables a backup leaves out on purpose: a restored database must not bring old sign-ins back to
# life, and rate-limit events mean nothing after the hour they count in. A restore signs everyone out.
EPHEMERAL = ("sessions", "rate_events", "workshop_sessions")
