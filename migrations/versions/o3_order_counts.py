"""Order counts per state, region, channel and salesperson for the board's tabs (filled from orders).

Revision ID: o3_order_counts
Revises: f6offline
Create Date: 2026-11-26 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'o3_order_counts'
down_revision = 'f6offline'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_counts',
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('region', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('status', 'region', 'channel', 'salesperson_id', name=op.f('pk_order_counts'))
    )
    op.execute("INSERT INTO order_counts (status, region, channel, salesperson_id, n) "
               "SELECT status, COALESCE(region, ''), channel, COALESCE(salesperson_id, 0), count(*) "
               "FROM orders WHERE deleted_at IS NULL GROUP BY status, region, channel, salesperson_id")


def downgrade():
    op.drop_table('order_counts')
