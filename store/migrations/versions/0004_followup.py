"""The follow-up round: answers carried from last round as proposals, reasons for changed answers, and the
review of last round's action plan.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "carried_answers",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("from_respondent_id", sa.Integer(), nullable=False),
        sa.Column("from_indicator", sa.String(40), nullable=False),
        sa.Column("from_round_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(254), nullable=True),
        sa.CheckConstraint("value IS NULL OR value BETWEEN 0 AND 10 OR value IN (253, 254)",
                           name=op.f("ck_carried_answers_value")),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'changed', 'dismissed')",
                           name=op.f("ck_carried_answers_status")),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_carried_answers_respondent_id_respondents"),
        sa.ForeignKeyConstraint(["from_respondent_id"], ["respondents.id"],
                                name="fk_carried_answers_from_respondent_id_respondents"),
        sa.ForeignKeyConstraint(["from_round_id"], ["rounds.id"], name="fk_carried_answers_from_round_id_rounds"),
        sa.PrimaryKeyConstraint("respondent_id", "indicator", name="pk_carried_answers"),
    )
    op.create_table(
        "answer_reasons",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("previous_value", sa.SmallInteger(), nullable=True),
        sa.Column("given_by", sa.String(254), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_answer_reasons_respondent_id_respondents"),
        sa.PrimaryKeyConstraint("respondent_id", "indicator", "revision", name="pk_answer_reasons"),
    )
    op.create_table(
        "plan_reviews",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.String(32), nullable=False),
        sa.Column("from_assessment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("continues", sa.Boolean(), nullable=False),
        sa.Column("carried_to", sa.String(32), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(254), nullable=False),
        sa.CheckConstraint("status IN ('done', 'ongoing', 'not_started', 'dropped')", name=op.f("ck_plan_reviews_status")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_plan_reviews_assessment_id_assessments"),
        sa.ForeignKeyConstraint(["from_assessment_id"], ["assessments.id"],
                                name="fk_plan_reviews_from_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("assessment_id", "action_id", name="pk_plan_reviews"),
    )


def downgrade() -> None:
    for table in ("plan_reviews", "answer_reasons", "carried_answers"):
        op.drop_table(table)
