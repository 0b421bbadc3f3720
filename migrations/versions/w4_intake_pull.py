"""Marketplace pull and channel write-back (issue 12)

Channel settings (adapter, base URL, app id, push format), the `updated` count of intake runs, each
pull channel's cursor and backoff, and the platform's view of each pulled order.

Revision ID: w4_intake_pull
Revises: w3_waybills
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w4_intake_pull'
down_revision = 'w3_waybills'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('intake_channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.Text(), server_default='{}', nullable=False))
    with op.batch_alter_table('intake_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated', sa.Integer(), server_default='0', nullable=False))

    op.create_table('intake_pull_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('cursor', sa.BigInteger(), nullable=True),
    sa.Column('window_end', sa.BigInteger(), nullable=True),
    sa.Column('page_key', sa.String(length=255), nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['intake_channels.id'],
                            name=op.f('fk_intake_pull_state_channel_id_intake_channels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_pull_state')),
    sa.UniqueConstraint('channel_id', name=op.f('uq_intake_pull_state_channel_id'))
    )
    op.create_table('intake_pull_refs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('remote_updated', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('data', sa.Text(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_intake_pull_refs_order_id_orders'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_pull_refs')),
    sa.UniqueConstraint('channel', 'external_id', name='uq_intake_pull_refs_channel_external_id')
    )
    with op.batch_alter_table('intake_pull_refs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_pull_refs_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('intake_pull_refs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_pull_refs_order_id'))
    op.drop_table('intake_pull_refs')
    op.drop_table('intake_pull_state')
    with op.batch_alter_table('intake_runs', schema=None) as batch_op:
        batch_op.drop_column('updated')
    with op.batch_alter_table('intake_channels', schema=None) as batch_op:
        batch_op.drop_column('settings')
