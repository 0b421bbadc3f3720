"""Tables for channels as data and channel intake (issue 12).

Revision ID: w2_intake
Revises: w2_aftersales
Create Date: 2026-12-01 16:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w2_intake'
down_revision = 'w2_aftersales'
branch_labels = None
depends_on = None


BUILTIN = (("web", "网站"), ("shop", "网店"), ("miniprogram", "小程序"), ("marketplace", "电商平台"),
           ("wechat", "微信"), ("phone", "电话"), ("wechat_group", "微信群接龙"), ("offline_form", "纸质单"))


def upgrade():
    channels = op.create_table('intake_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intake_channels_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_channels')),
    sa.UniqueConstraint('code', name=op.f('uq_intake_channels_code'))
    )
    op.create_table('intake_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=64), nullable=False),
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_intake_aliases_alias'))
    )
    with op.batch_alter_table('intake_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_aliases_sku'), ['sku'], unique=False)

    op.create_table('intake_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('existing', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intake_runs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_runs'))
    )
    with op.batch_alter_table('intake_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_runs_channel'), ['channel'], unique=False)

    op.create_table('intake_errors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['intake_runs.id'], name=op.f('fk_intake_errors_run_id_intake_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_errors'))
    )
    with op.batch_alter_table('intake_errors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_errors_run_id'), ['run_id'], unique=False)

    seeded = datetime(2026, 12, 1, tzinfo=timezone.utc)
    op.bulk_insert(channels, [{"code": code, "label": label, "kind": "manual", "builtin": True, "active": True,
                               "created_at": seeded} for code, label in BUILTIN])


def downgrade():
    with op.batch_alter_table('intake_errors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_errors_run_id'))
    op.drop_table('intake_errors')
    with op.batch_alter_table('intake_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_runs_channel'))
    op.drop_table('intake_runs')
    with op.batch_alter_table('intake_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_aliases_sku'))
    op.drop_table('intake_aliases')
    op.drop_table('intake_channels')
