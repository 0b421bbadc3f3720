"""Offline: idempotency keys with their first response, and order numbers reserved for paper forms.

Revision ID: f6offline
Revises: w5warehouse
Create Date: 2026-11-26 12:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = 'f6offline'
down_revision = ('w5warehouse', 'o3_board_indexes')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_keys_user_key')
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_created_at'), ['created_at'], unique=False)

    op.create_table('reserved_order_numbers',
    sa.Column('order_no', sa.String(length=20), nullable=False),
    sa.Column('batch', sa.String(length=32), nullable=False),
    sa.Column('reserved_by', sa.Integer(), nullable=True),
    sa.Column('reserved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reserved_order_numbers_order_id_orders')),
    sa.ForeignKeyConstraint(['reserved_by'], ['users.id'], name=op.f('fk_reserved_order_numbers_reserved_by_users')),
    sa.PrimaryKeyConstraint('order_no', name=op.f('pk_reserved_order_numbers')),
    sa.UniqueConstraint('order_id', name=op.f('uq_reserved_order_numbers_order_id'))
    )
    with op.batch_alter_table('reserved_order_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reserved_order_numbers_batch'), ['batch'], unique=False)


def downgrade():
    with op.batch_alter_table('reserved_order_numbers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reserved_order_numbers_batch'))
    op.drop_table('reserved_order_numbers')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_created_at'))
    op.drop_table('idempotency_keys')
