"""Hardening: floor notes as appended entries (existing text becomes a first entry), per-user customer look-up windows (issue 17).

Revision ID: w3_hardening
Revises: w3_audit_anchor
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_hardening'
down_revision = 'w3_audit_anchor'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_order_notes_author_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_notes_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_notes'))
    )
    op.create_index(op.f('ix_order_notes_order_id'), 'order_notes', ['order_id'], unique=False)
    # Each order's notes text so far becomes its first entry (author unknown, at the order's last change).
    op.execute("INSERT INTO order_notes (order_id, author_id, via, text, at) "
               "SELECT id, NULL, 'system', notes, updated_at FROM orders WHERE notes IS NOT NULL AND TRIM(notes) <> ''")
    op.create_table('customer_lookup_windows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_lookup_windows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'window', name=op.f('pk_customer_lookup_windows'))
    )


def downgrade():
    op.drop_table('customer_lookup_windows')
    op.drop_index(op.f('ix_order_notes_order_id'), table_name='order_notes')
    op.drop_table('order_notes')
