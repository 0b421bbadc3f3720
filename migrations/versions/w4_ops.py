"""The board sorted by amount reads an index (issue 15): at 1M orders on PostgreSQL the page sorted
every live order (p95 465 ms). Restore acknowledgements and pruning (issue 17) needed no schema change.

Revision ID: w4_ops
Revises: w4_shipping
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w4_ops'
down_revision = 'w4_shipping'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_orders_amount_id', 'orders', ['total_amount', 'id'])


def downgrade():
    op.drop_index('ix_orders_amount_id', table_name='orders')
