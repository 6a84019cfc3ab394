"""A category's examples, in Thai and English: what a citizen would file under it, listed on the
form beside the category names.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("category") as batch_op:
        batch_op.add_column(sa.Column("examples_th", sa.String(300), nullable=True))
        batch_op.add_column(sa.Column("examples_en", sa.String(300), nullable=True))


def downgrade() -> None:
    # Not rebuilt on SQLite: cases refer to categories, and a rebuild of a referenced table fails
    # once there is data (see 0006).
    with op.batch_alter_table("category", recreate="never") as batch_op:
        batch_op.drop_column("examples_en")
        batch_op.drop_column("examples_th")
