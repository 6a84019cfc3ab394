"""Spent form tokens: a filed public form cannot be filed again, whatever cookie comes with it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spent_form_token",
        sa.Column("digest", sa.LargeBinary(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_spent_form_token")),
    )
    op.create_index(op.f("ix_spent_form_token_expires_at"), "spent_form_token", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_spent_form_token_expires_at"), table_name="spent_form_token")
    op.drop_table("spent_form_token")
