"""Partial indexes for the sweep: overdue cases, and open cases with a referral deadline.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REFERRAL_OPEN = "referral_due IS NOT NULL AND state != 'closed'"


def upgrade() -> None:
    op.create_index("ix_case_overdue", "case", ["next_notice_due"],
                    sqlite_where=sa.text("overdue"), postgresql_where=sa.text("overdue"))
    op.create_index("ix_case_referral_due", "case", ["referral_due"],
                    sqlite_where=sa.text(REFERRAL_OPEN), postgresql_where=sa.text(REFERRAL_OPEN))


def downgrade() -> None:
    op.drop_index("ix_case_referral_due", table_name="case")
    op.drop_index("ix_case_overdue", table_name="case")
