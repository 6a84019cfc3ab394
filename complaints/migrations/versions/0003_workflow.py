"""Workflow: resume state, result notice, no-contact flag, referral clock, sweep alerts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case") as batch_op:
        batch_op.add_column(sa.Column("resume_state", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("result_notice_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("no_contact", sa.Boolean(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("referral_agency", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("referral_ref", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("referral_due", sa.Date(), nullable=True))
    op.create_table(
        "case_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('reminder', 'escalation', 'referral_reminder', 'referral_escalation')",
            name=op.f("ck_case_alert_kind"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_alert_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_alert")),
        sa.UniqueConstraint("case_id", "kind", "due", name=op.f("uq_case_alert_case_id_kind_due")),
    )


def downgrade() -> None:
    op.drop_table("case_alert")
    # In place, not rebuilt (SQLite drops a column since 3.35): rebuilding "case" breaks the
    # foreign keys of the events, messages and files that refer to its rows.
    with op.batch_alter_table("case", recreate="never") as batch_op:
        for column in ("referral_due", "referral_ref", "referral_agency", "no_contact", "result_notice_at",
                       "resume_state"):
            batch_op.drop_column(column)
