"""Electronic waybills and labels (issue 14).

Revision ID: w3_waybills
Revises: w3_approval_rules
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_waybills'
down_revision = 'w3_approval_rules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('carrier_waybills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('adapter', sa.String(length=16), nullable=False),
    sa.Column('carrier', sa.String(length=64), nullable=False),
    sa.Column('waybill_no', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_carrier_waybills_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_waybills')),
    sa.UniqueConstraint('order_id', name=op.f('uq_carrier_waybills_order_id'))
    )
    with op.batch_alter_table('carrier_waybills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_waybills_waybill_no'), ['waybill_no'], unique=False)


def downgrade():
    with op.batch_alter_table('carrier_waybills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_waybills_waybill_no'))

    op.drop_table('carrier_waybills')
