"""A partial index on open cases' warning day, so the sweep's reminders can start on ``warn_on``
(the last working day on or before the due day) without scanning every open case.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OPEN = "state != 'closed'"


def upgrade() -> None:
    op.create_index("ix_case_open_warn", "case", ["warn_on"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index("ix_case_open_warn", table_name="case")
