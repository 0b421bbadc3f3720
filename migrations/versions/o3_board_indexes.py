"""Order board indexes: keyset paging per salesperson and per region, search by customer name.

Revision ID: o3_board_indexes
Revises: 0003
Create Date: 2026-11-26 03:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'o3_board_indexes'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_salesperson_created', ['salesperson_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_orders_region_created', ['region', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_orders_customer_name', ['customer_name'], unique=False)


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_customer_name')
        batch_op.drop_index('ix_orders_region_created')
        batch_op.drop_index('ix_orders_salesperson_created')
