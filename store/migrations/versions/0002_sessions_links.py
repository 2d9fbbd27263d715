"""Sign-in sessions behind a cookie, one-time links (invitations, password resets), "Jag är klar" receipts and
rate-limit events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("handoff_hash", sa.String(64), nullable=True),
        sa.Column("handoff_expires_at", sa.DateTime(), nullable=True),
        sa.Column("via", sa.String(12), nullable=False),
        sa.Column("user_agent", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(254), nullable=True),
        sa.Column("revoked_reason", sa.String(20), nullable=True),
        sa.CheckConstraint("via IN ('password', 'invitation', 'reset', 'oidc')", name=op.f("ck_sessions_via")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sessions_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
        sa.UniqueConstraint("handoff_hash", name="uq_sessions_handoff_hash"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "link_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(12), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("spent_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(254), nullable=True),
        sa.CheckConstraint("purpose IN ('invitation', 'reset')", name=op.f("ck_link_tokens_purpose")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_link_tokens_user_id_users"),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_link_tokens_respondent_id_respondents"),
        sa.PrimaryKeyConstraint("id", name="pk_link_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_link_tokens_token_hash"),
    )
    op.create_index("ix_link_tokens_respondent_id", "link_tokens", ["respondent_id"])
    op.create_table(
        "sheet_receipts",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.Column("done_by", sa.String(254), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_sheet_receipts_respondent_id_respondents"),
        sa.PrimaryKeyConstraint("respondent_id", name="pk_sheet_receipts"),
    )
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rate_events"),
    )
    op.create_index("ix_rate_events_bucket_key_hash_at", "rate_events", ["bucket", "key_hash", "at"])


def downgrade() -> None:
    for table in ("rate_events", "sheet_receipts", "link_tokens", "sessions"):
        op.drop_table(table)
