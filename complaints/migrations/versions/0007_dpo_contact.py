"""How the public reaches the organization's data protection officer, for the privacy notice on
both forms and guides (PDPA ss.23-24, rules.md R21).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organization") as batch_op:
        batch_op.add_column(sa.Column("dpo_contact", sa.String(300), nullable=True))


def downgrade() -> None:
    # Not rebuilt on SQLite: see 0006, a rebuild of a referenced table fails once there is data.
    with op.batch_alter_table("organization", recreate="never") as batch_op:
        batch_op.drop_column("dpo_contact")
