"""Initial schema: organization, units, categories, staff, cases, events, messages, stats.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('prefix_general', sa.String(length=10), nullable=False),
    sa.Column('prefix_corruption', sa.String(length=10), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('progress_days', sa.Integer(), nullable=False),
    sa.Column('working_days', sa.Boolean(), nullable=False),
    sa.Column('thai_digits', sa.Boolean(), nullable=False),
    sa.Column('satisfaction_target', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('municipality', 'sao', 'other')", name=op.f('ck_organization_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('slug', name=op.f('uq_organization_slug'))
    )
    op.create_table('case_counter',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_case_counter_org_id_organization')),
    sa.PrimaryKeyConstraint('org_id', 'channel', 'fiscal_year', name=op.f('pk_case_counter'))
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("channel IN ('general', 'corruption')", name=op.f('ck_category_channel')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_category_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('org_id', 'channel', 'code', name=op.f('uq_category_org_id_channel_code'))
    )
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.CheckConstraint("kind IN ('day_off', 'working_day')", name=op.f('ck_holiday_kind')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_holiday_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('org_id', 'day', name=op.f('uq_holiday_org_id_day'))
    )
    op.create_table('published_stats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('general', 'corruption')", name=op.f('ck_published_stats_channel')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_published_stats_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_stats')),
    sa.UniqueConstraint('org_id', 'channel', 'year', 'month', name=op.f('uq_published_stats_org_id_channel_year_month'))
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('handles_corruption', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_unit_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('org_id', 'code', name=op.f('uq_unit_org_id_code'))
    )
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('totp_secret_ct', sa.LargeBinary(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_staff_user_org_id_organization')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_staff_user_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('org_id', 'username', name=op.f('uq_staff_user_org_id_username'))
    )
    op.create_table('case',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('tracking_index', sa.LargeBinary(length=32), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('first_notice_due', sa.Date(), nullable=False),
    sa.Column('next_notice_due', sa.Date(), nullable=True),
    sa.Column('warn_on', sa.Date(), nullable=True),
    sa.Column('last_notice_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('names_executive', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('story_ct', sa.LargeBinary(), nullable=False),
    sa.Column('story_dek', sa.LargeBinary(), nullable=False),
    sa.Column('story_kek_id', sa.String(length=40), nullable=False),
    sa.Column('identity_ct', sa.LargeBinary(), nullable=True),
    sa.Column('identity_dek', sa.LargeBinary(), nullable=True),
    sa.Column('identity_kek_id', sa.String(length=40), nullable=True),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('audit_head', sa.LargeBinary(length=32), nullable=True),
    sa.CheckConstraint("channel IN ('general', 'corruption')", name=op.f('ck_case_channel')),
    sa.CheckConstraint("kind IN ('complaint', 'grievance', 'tip')", name=op.f('ck_case_kind')),
    sa.CheckConstraint("source IN ('web', 'walk_in', 'phone', 'letter', 'po_box', 'social_media', 'mobile_unit', 'referral')", name=op.f('ck_case_source')),
    sa.CheckConstraint("state IN ('received', 'needs_info', 'in_progress', 'fact_finding', 'disciplinary', 'forwarded', 'not_accepted', 'resolved', 'closed')", name=op.f('ck_case_state')),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff_user.id'], name=op.f('fk_case_assignee_id_staff_user')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_case_category_id_category')),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_case_org_id_organization')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_case_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('org_id', 'channel', 'fiscal_year', 'number', name=op.f('uq_case_org_id_channel_fiscal_year_number')),
    sa.UniqueConstraint('tracking_index', name=op.f('uq_case_tracking_index'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_open_due', ['next_notice_due'], unique=False, sqlite_where=sa.text("state != 'closed'"), postgresql_where=sa.text("state != 'closed'"))
        batch_op.create_index('ix_case_queue', ['org_id', 'channel', 'state', 'next_notice_due'], unique=False)
        batch_op.create_index('ix_case_stats', ['org_id', 'channel', 'received_at'], unique=False)

    op.create_table('staff_role',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('intake', 'legal', 'unit', 'supervisor', 'admin')", name=op.f('ck_staff_role_role')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_staff_role_staff_id_staff_user')),
    sa.PrimaryKeyConstraint('staff_id', 'role', name=op.f('pk_staff_role'))
    )
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.CheckConstraint("action IN ('read', 'identity', 'export', 'attachment')", name=op.f('ck_access_log_action')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_access_log_case_id_case')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_access_log_staff_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_staff_id'), ['staff_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_kind', sa.String(length=12), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('note_ct', sa.LargeBinary(), nullable=True),
    sa.Column('prev_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('hash', sa.LargeBinary(length=32), nullable=False),
    sa.CheckConstraint("actor_kind IN ('system', 'staff', 'complainant')", name=op.f('ck_case_event_actor_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_case_event_actor_id_staff_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_event_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_case_event_case_id_seq'))
    )
    op.create_table('message',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('author_kind', sa.String(length=12), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body_ct', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("author_kind IN ('system', 'staff', 'complainant')", name=op.f('ck_message_author_kind')),
    sa.CheckConstraint("kind IN ('receipt', 'progress', 'result', 'forwarded', 'not_accepted', 'question', 'reply')", name=op.f('ck_message_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'], name=op.f('fk_message_author_id_staff_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_message_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_case', ['case_id', 'created_at'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('name_ct', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("uploaded_by IN ('system', 'staff', 'complainant')", name=op.f('ck_attachment_uploaded_by')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_attachment_case_id_case')),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_attachment_message_id_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_case')

    op.drop_table('message')
    op.drop_table('case_event')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_staff_id'))
        batch_op.drop_index(batch_op.f('ix_access_log_case_id'))

    op.drop_table('access_log')
    op.drop_table('staff_role')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_stats')
        batch_op.drop_index('ix_case_queue')
        batch_op.drop_index('ix_case_open_due', sqlite_where=sa.text("state != 'closed'"), postgresql_where=sa.text("state != 'closed'"))

    op.drop_table('case')
    op.drop_table('staff_user')
    op.drop_table('unit')
    op.drop_table('published_stats')
    op.drop_table('holiday')
    op.drop_table('category')
    op.drop_table('case_counter')
    op.drop_table('organization')
