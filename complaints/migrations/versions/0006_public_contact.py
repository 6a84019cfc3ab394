"""Where the public reaches the organization and who is responsible, for the published guides:
the office's address, phone, hours and PO box, and each unit's responsible position and phone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ORGANIZATION = (("address_th", sa.Text()), ("phone", sa.String(60)), ("office_hours_th", sa.String(200)),
                ("office_hours_en", sa.String(200)), ("po_box_th", sa.String(200)))
UNIT = (("responsible_th", sa.String(200)), ("responsible_en", sa.String(200)), ("phone", sa.String(60)))


def upgrade() -> None:
    for table, columns in (("organization", ORGANIZATION), ("unit", UNIT)):
        with op.batch_alter_table(table) as batch_op:
            for name, kind in columns:
                batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, columns in (("organization", ORGANIZATION), ("unit", UNIT)):
        # Not rebuilt on SQLite (which drops a column in place since 3.35): a rebuild of a table
        # that others reference fails its foreign keys once there is data.
        with op.batch_alter_table(table, recreate="never") as batch_op:
            for name, _kind in columns:
                batch_op.drop_column(name)
