"""Shipping charged to the customer or borne by us (issue 16)

Revision ID: w4_shipping
Revises: w4_kpis
Create Date: 2026-12-01 21:00:00

Existing orders get "us": their amounts were computed with the fee as our cost and not in the amount
due. Stored matrix cells of shipping_fee (copied roles, admin changes) are copied to the new field so
every role keeps seeing and changing "who pays shipping" exactly as it sees and changes the fee.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w4_shipping'
down_revision = 'w4_kpis'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('orders', sa.Column('shipping_paid_by', sa.String(length=8), nullable=False, server_default='us'))
    op.execute(sa.text(
        "INSERT INTO role_permissions (role_code, field, level) "
        "SELECT role_code, 'shipping_paid_by', level FROM role_permissions p WHERE p.field = 'shipping_fee' "
        "AND NOT EXISTS (SELECT 1 FROM role_permissions q WHERE q.role_code = p.role_code "
        "AND q.field = 'shipping_paid_by')"))


def downgrade():
    op.execute(sa.text("DELETE FROM role_permissions WHERE field = 'shipping_paid_by'"))
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('shipping_paid_by')
