"""Tables for dashboard facts, after-sales cases and inquiries (issue 15).

Revision ID: w2_aftersales
Revises: w2_carriers
Create Date: 2026-12-01 16:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'w2_aftersales'
down_revision = 'w2_carriers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dashboard_days',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('region', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('orders_in', sa.Integer(), nullable=False),
    sa.Column('shipped', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.Column('revenue', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('profit', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('wrong_cases', sa.Integer(), nullable=False),
    sa.Column('refunds', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('inquiries', sa.Integer(), nullable=False),
    sa.Column('wism', sa.Integer(), nullable=False),
    sa.Column('durations', sa.Text(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', 'region', 'channel', name=op.f('pk_dashboard_days'))
    )
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.create_index('ix_order_transitions_at', ['at'], unique=False)
    op.create_table('dashboard_overdue',
    sa.Column('region', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('region', 'status', name=op.f('pk_dashboard_overdue'))
    )
    op.create_table('aftersales_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('customer_words', sa.Text(), nullable=False),
    sa.Column('refund_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_order_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['linked_order_id'], ['orders.id'], name=op.f('fk_aftersales_cases_linked_order_id_orders')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_aftersales_cases_opened_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_aftersales_cases_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_cases'))
    )
    with op.batch_alter_table('aftersales_cases', schema=None) as batch_op:
        batch_op.create_index('ix_aftersales_cases_created', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersales_cases_order_id'), ['order_id'], unique=False)
    op.create_table('aftersales_case_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_aftersales_case_lines_case_id_aftersales_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_aftersales_case_lines_order_line_id_order_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_case_lines'))
    )
    with op.batch_alter_table('aftersales_case_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_case_lines_case_id'), ['case_id'], unique=False)
    op.create_table('inquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_inquiries_actor_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_inquiries_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiries'))
    )
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.create_index('ix_inquiries_created', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiries_order_id'), ['order_id'], unique=False)


def downgrade():
    op.drop_table('inquiries')
    op.drop_table('aftersales_case_lines')
    op.drop_table('aftersales_cases')
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.drop_index('ix_order_transitions_at')
    op.drop_table('dashboard_overdue')
    op.drop_table('dashboard_days')
