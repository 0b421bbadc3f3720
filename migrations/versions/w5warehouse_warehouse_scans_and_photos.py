"""Warehouse evidence: scans of order labels and photos of packed orders.

Revision ID: w5warehouse
Revises: i7notify
Create Date: 2026-11-26 02:31:50

"""
from alembic import op
import sqlalchemy as sa


revision = 'w5warehouse'
down_revision = 'i7notify'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('warehouse_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('thumb_path', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_warehouse_photos_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_warehouse_photos_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warehouse_photos'))
    )
    with op.batch_alter_table('warehouse_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warehouse_photos_order_id'), ['order_id'], unique=False)

    op.create_table('warehouse_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_warehouse_scans_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_warehouse_scans_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warehouse_scans'))
    )
    with op.batch_alter_table('warehouse_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warehouse_scans_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('warehouse_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warehouse_scans_order_id'))
    op.drop_table('warehouse_scans')
    with op.batch_alter_table('warehouse_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warehouse_photos_order_id'))
    op.drop_table('warehouse_photos')
