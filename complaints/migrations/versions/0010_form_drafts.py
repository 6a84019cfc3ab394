"""Refused public forms' words, sealed under a key kept in the browser's cookie, between the
refusal's redirect and the form shown again (post/redirect/get), so no POST body stays in the
browser's history.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_draft",
        sa.Column("digest", sa.LargeBinary(length=32), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_form_draft")),
    )
    op.create_index(op.f("ix_form_draft_expires_at"), "form_draft", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_form_draft_expires_at"), table_name="form_draft")
    op.drop_table("form_draft")
