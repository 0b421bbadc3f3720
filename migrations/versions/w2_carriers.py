"""Tables for team robots, carrier waybills and tracking (issue 14).

Revision ID: w2_carriers
Revises: w2_approvals
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w2_carriers'
down_revision = 'w2_approvals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('carrier_robots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('url_hint', sa.String(length=255), nullable=False),
    sa.Column('secret', sa.Text(), nullable=True),
    sa.Column('events', sa.String(length=255), nullable=False),
    sa.Column('regions', sa.String(length=255), nullable=False),
    sa.Column('audience_role', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_send_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_robots'))
    )
    op.create_table('carrier_robot_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('robot_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.Column('response_code', sa.Integer(), nullable=True),
    sa.Column('errcode', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=255), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['robot_id'], ['carrier_robots.id'], name=op.f('fk_carrier_robot_sends_robot_id_carrier_robots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_robot_sends'))
    )
    with op.batch_alter_table('carrier_robot_sends', schema=None) as batch_op:
        batch_op.create_index('ix_carrier_robot_sends_robot_at', ['robot_id', 'at'], unique=False)

    op.create_table('carrier_robot_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('robot_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('send_id', sa.Integer(), nullable=True),
    sa.Column('event_type', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('line', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['notify_outbox.id'], name=op.f('fk_carrier_robot_alerts_message_id_notify_outbox'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_carrier_robot_alerts_order_id_orders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['robot_id'], ['carrier_robots.id'], name=op.f('fk_carrier_robot_alerts_robot_id_carrier_robots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['send_id'], ['carrier_robot_sends.id'], name=op.f('fk_carrier_robot_alerts_send_id_carrier_robot_sends'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_robot_alerts')),
    sa.UniqueConstraint('message_id', name=op.f('uq_carrier_robot_alerts_message_id'))
    )
    with op.batch_alter_table('carrier_robot_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_carrier_robot_alerts_robot_send', ['robot_id', 'send_id', 'id'], unique=False)

    op.create_table('carrier_parcels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=64), nullable=False),
    sa.Column('company', sa.String(length=32), nullable=False),
    sa.Column('tracking_no', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('problem', sa.String(length=8), nullable=False),
    sa.Column('subscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_update_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_carrier_parcels_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_parcels')),
    sa.UniqueConstraint('order_id', name=op.f('uq_carrier_parcels_order_id'))
    )
    with op.batch_alter_table('carrier_parcels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carrier_parcels_tracking_no'), ['tracking_no'], unique=False)

    op.create_table('carrier_parcel_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parcel_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('place', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['parcel_id'], ['carrier_parcels.id'], name=op.f('fk_carrier_parcel_events_parcel_id_carrier_parcels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carrier_parcel_events')),
    sa.UniqueConstraint('parcel_id', 'at', 'fingerprint', name='uq_carrier_parcel_events_scan')
    )


def downgrade():
    op.drop_table('carrier_parcel_events')
    with op.batch_alter_table('carrier_parcels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carrier_parcels_tracking_no'))

    op.drop_table('carrier_parcels')
    with op.batch_alter_table('carrier_robot_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_carrier_robot_alerts_robot_send')

    op.drop_table('carrier_robot_alerts')
    with op.batch_alter_table('carrier_robot_sends', schema=None) as batch_op:
        batch_op.drop_index('ix_carrier_robot_sends_robot_at')

    op.drop_table('carrier_robot_sends')
    op.drop_table('carrier_robots')
