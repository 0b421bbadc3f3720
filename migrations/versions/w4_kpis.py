"""Dashboard KPIs: case photos, tracking views, time to approve (issue 15)

Revision ID: w4_kpis
Revises: w4_intake_jobs
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w4_kpis'
down_revision = 'w4_intake_jobs'
branch_labels = None
depends_on = None


DURATIONS = ('ship_durations', 'done_durations', 'approve_durations')


def upgrade():
    # The per-day facts are derived data: drop them so the worker (and the first dashboard view of a range)
    # recomputes every day with the new figures instead of showing 0 views and no durations for the past.
    op.execute('DELETE FROM dashboard_days')
    with op.batch_alter_table('dashboard_days', schema=None) as batch_op:
        batch_op.add_column(sa.Column('views', sa.Integer(), nullable=False, server_default='0'))
        for name in DURATIONS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default='[]'))
    with op.batch_alter_table('dashboard_days', schema=None) as batch_op:
        batch_op.alter_column('views', server_default=None)
        for name in DURATIONS:
            batch_op.alter_column(name, server_default=None)
    op.create_table('tracking_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_tracking_views_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_views'))
    )
    with op.batch_alter_table('tracking_views', schema=None) as batch_op:
        batch_op.create_index('ix_tracking_views_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_views_order_id'), ['order_id'], unique=False)
    op.create_table('aftersales_case_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('thumb_path', sa.String(length=255), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersales_cases.id'], name=op.f('fk_aftersales_case_photos_case_id_aftersales_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_aftersales_case_photos_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersales_case_photos'))
    )
    with op.batch_alter_table('aftersales_case_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersales_case_photos_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('aftersales_case_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersales_case_photos_case_id'))
    op.drop_table('aftersales_case_photos')
    with op.batch_alter_table('tracking_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracking_views_order_id'))
        batch_op.drop_index('ix_tracking_views_at')
    op.drop_table('tracking_views')
    with op.batch_alter_table('dashboard_days', schema=None) as batch_op:
        for name in reversed(DURATIONS):
            batch_op.drop_column(name)
        batch_op.drop_column('views')
