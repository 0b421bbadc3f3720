"""Approval rule conditions and one-or-all levels (issue 13).

Rules gain margin, channel, region and first-order conditions; a decision gets a seat (0 on a
"one of" level, the member's id on an "all of" level); blocked phones become a table.

Revision ID: w3_approval_rules
Revises: w3_storage
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_approval_rules'
down_revision = 'w3_storage'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('approval_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_margin', sa.Numeric(precision=6, scale=4), nullable=True))
        batch_op.add_column(sa.Column('channels', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('regions', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('new_customer', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('approval_rules', schema=None) as batch_op:  # defaults only filled old rows
        batch_op.alter_column('channels', server_default=None)
        batch_op.alter_column('regions', server_default=None)
        batch_op.alter_column('new_customer', server_default=None)
    with op.batch_alter_table('approval_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_constraint('uq_approval_decisions_request_id', type_='unique')
        batch_op.create_unique_constraint('uq_approval_decisions_seat', ['request_id', 'level', 'seat'])
    with op.batch_alter_table('approval_decisions', schema=None) as batch_op:
        batch_op.alter_column('seat', server_default=None)
    op.create_table('blocked_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_blocked_phones_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked_phones')),
    sa.UniqueConstraint('phone', name=op.f('uq_blocked_phones_phone'))
    )


def downgrade():
    op.drop_table('blocked_phones')
    with op.batch_alter_table('approval_decisions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_approval_decisions_seat', type_='unique')
        batch_op.create_unique_constraint('uq_approval_decisions_request_id', ['request_id', 'level'])
        batch_op.drop_column('seat')
    with op.batch_alter_table('approval_rules', schema=None) as batch_op:
        batch_op.drop_column('new_customer')
        batch_op.drop_column('regions')
        batch_op.drop_column('channels')
        batch_op.drop_column('max_margin')
