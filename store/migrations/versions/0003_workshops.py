"""Workshops (join by code, silent votes, reveal) and the consensus values they record.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("stakeholder_groups", sa.Text(), nullable=False),
        sa.Column("second_vote", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("code", sa.String(8), nullable=True),
        sa.Column("current_indicator", sa.String(40), nullable=True),
        sa.Column("phase", sa.String(8), nullable=True),
        sa.Column("vote_round", sa.SmallInteger(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('planned', 'open', 'closed')", name=op.f("ck_workshops_status")),
        sa.CheckConstraint("phase IS NULL OR phase IN ('voting', 'revealed')", name=op.f("ck_workshops_phase")),
        sa.CheckConstraint("vote_round IN (1, 2)", name=op.f("ck_workshops_vote_round")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_workshops_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
        sa.UniqueConstraint("code", name="uq_workshops_code"),
    )
    op.create_index("ix_workshops_assessment_id", "workshops", ["assessment_id"])
    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by", sa.String(254), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name="fk_workshop_participants_workshop_id_workshops"),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"],
                                name="fk_workshop_participants_respondent_id_respondents"),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_participants"),
        sa.UniqueConstraint("respondent_id", name="uq_workshop_participants_respondent_id"),
    )
    op.create_index("ix_workshop_participants_workshop_id", "workshop_participants", ["workshop_id"])
    op.create_table(
        "workshop_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["participant_id"], ["workshop_participants.id"],
                                name="fk_workshop_sessions_participant_id_workshop_participants"),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_workshop_sessions_token_hash"),
    )
    op.create_index("ix_workshop_sessions_participant_id", "workshop_sessions", ["participant_id"])
    op.create_table(
        "workshop_votes",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("vote_round", sa.SmallInteger(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("voted_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("value BETWEEN 0 AND 10 OR value IN (253, 254)", name=op.f("ck_workshop_votes_value")),
        sa.ForeignKeyConstraint(["participant_id"], ["workshop_participants.id"],
                                name="fk_workshop_votes_participant_id_workshop_participants"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name="fk_workshop_votes_workshop_id_workshops"),
        sa.PrimaryKeyConstraint("participant_id", "indicator", "vote_round", name="pk_workshop_votes"),
    )
    op.create_index("ix_workshop_votes_workshop_id_indicator_vote_round", "workshop_votes",
                    ["workshop_id", "indicator", "vote_round"])
    op.create_table(
        "consensus",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("dissent", sa.Text(), nullable=False),
        sa.Column("outside_reason", sa.Text(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(254), nullable=False),
        sa.CheckConstraint("value BETWEEN 0 AND 10 OR value = 253", name=op.f("ck_consensus_value")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_consensus_assessment_id_assessments"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name="fk_consensus_workshop_id_workshops"),
        sa.PrimaryKeyConstraint("assessment_id", "indicator", name="pk_consensus"),
    )


def downgrade() -> None:
    for table in ("consensus", "workshop_votes", "workshop_sessions", "workshop_participants", "workshops"):
        op.drop_table(table)
