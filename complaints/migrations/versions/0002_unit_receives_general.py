"""Unit.receives_general: which unit is the complaint centre of the general channel.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch_op:
        batch_op.add_column(sa.Column("receives_general", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    # In place, not rebuilt: see 0006.
    with op.batch_alter_table("unit", recreate="never") as batch_op:
        batch_op.drop_column("receives_general")
