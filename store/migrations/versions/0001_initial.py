"""The first schema: regions, questionnaires, accounts, rounds, assessments, respondents, answers with
their revisions, action plans and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("answer_revisions", "audit")
ANSWER_VALUE = "value IS NULL OR value BETWEEN 0 AND 10 OR value IN (253, 254)"


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "regions",
        sa.Column("code", sa.String(2), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_regions"),
    )
    op.create_table(
        "questionnaires",
        sa.Column("ref", sa.String(100), nullable=False),
        sa.Column("title_sv", sa.String(300), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ref", name="pk_questionnaires"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("national_role", sa.String(10), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("national_role IN ('admin', 'analyst')", name=op.f("ck_users_national_role")),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'respondent', 'viewer')", name=op.f("ck_memberships_role")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_memberships_user_id_users"),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name="fk_memberships_region_code_regions"),
        sa.PrimaryKeyConstraint("user_id", "region_code", name="pk_memberships"),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("questionnaire_ref", sa.String(100), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.String(254), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_rounds_status")),
        sa.ForeignKeyConstraint(["questionnaire_ref"], ["questionnaires.ref"], name="fk_rounds_questionnaire_ref_questionnaires"),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.UniqueConstraint("label", name="uq_rounds_label"),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=False),
        sa.Column("questionnaire_ref", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(254), nullable=True),
        sa.Column("locked_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'reopened', 'locked')", name=op.f("ck_assessments_status")),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_assessments_round_id_rounds"),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name="fk_assessments_region_code_regions"),
        sa.ForeignKeyConstraint(["questionnaire_ref"], ["questionnaires.ref"],
                                name="fk_assessments_questionnaire_ref_questionnaires"),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.UniqueConstraint("round_id", "region_code", name="uq_assessments_round_id"),
    )
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=True),
        sa.Column("user_email", sa.String(254), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by", sa.String(254), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_respondents_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_respondents"),
        sa.UniqueConstraint("assessment_id", "key", name="uq_respondents_assessment_id"),
    )
    op.create_index("ix_respondents_user_email", "respondents", ["user_email"])
    for table in ("answer_revisions", "answers"):
        revision_column = [sa.Column("revision", sa.Integer(), nullable=False)]
        keys = ["respondent_id", "indicator", "revision"] if table == "answer_revisions" else ["respondent_id", "indicator"]
        checks = [sa.CheckConstraint("revision >= 1", name=op.f("ck_answer_revisions_revision"))] if table == "answer_revisions" else []
        op.create_table(
            table,
            sa.Column("respondent_id", sa.Integer(), nullable=False),
            sa.Column("indicator", sa.String(40), nullable=False),
            *revision_column,
            sa.Column("value", sa.SmallInteger(), nullable=True),
            sa.Column("comment", sa.Text(), nullable=True),
            sa.Column("confidence", sa.String(6), nullable=True),
            sa.Column("saved_by", sa.String(254), nullable=False),
            sa.Column("saved_at", sa.DateTime(), nullable=False),
            sa.CheckConstraint(ANSWER_VALUE, name=op.f(f"ck_{table}_value")),
            *checks,
            sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name=f"fk_{table}_respondent_id_respondents"),
            sa.PrimaryKeyConstraint(*keys, name=f"pk_{table}"),
        )
    op.create_table(
        "plans",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_plans_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("assessment_id", name="pk_plans"),
    )
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(40), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("resources", sa.Text(), nullable=False),
        sa.Column("success_indicator", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("source_action", sa.String(100), nullable=True),
        sa.Column("extra", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
        sa.CheckConstraint("status IN ('not_started', 'ongoing', 'done', 'paused', 'dropped')",
                           name=op.f("ck_plan_actions_status")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_plan_actions_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_actions"),
    )
    op.create_index("ix_plan_actions_assessment_id", "plan_actions", ["assessment_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=True),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_region_code_id", "audit", ["region_code", "id"])
    _append_only(op.get_bind().dialect.name)


def _append_only(dialect: str) -> None:
    """History and audit rows are never changed or removed; the database refuses it, whoever asks."""
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION mognad_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the table % is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION mognad_append_only()")
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_append_only_{event.lower()} BEFORE {event} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, 'the table {table} is append-only'); END")


def downgrade() -> None:
    for table in ("audit", "plan_actions", "plans", "answers", "answer_revisions", "respondents", "assessments",
                  "rounds", "memberships", "users", "questionnaires", "regions", "meta"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION mognad_append_only()")
