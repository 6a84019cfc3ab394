"""The organization's political office holders by name, so a corruption report naming one is
flagged even without the title (DESIGN.md §4).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_holder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name_th", sa.String(length=200), nullable=False),
        sa.Column("position_th", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_office_holder_org_id_organization")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_holder")),
        sa.UniqueConstraint("org_id", "name_th", name=op.f("uq_office_holder_org_id_name_th")),
    )


def downgrade() -> None:
    op.drop_table("office_holder")
