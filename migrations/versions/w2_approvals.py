"""Tables for approvals and the risk queue (issue 13).

Revision ID: w2_approvals
Revises: w2_webhooks
Create Date: 2026-12-01 16:00:00

"""
from datetime import datetime, timezone
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w2_approvals'
down_revision = 'w2_webhooks'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade():
    op.create_table('approval_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('min_goods', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('min_discount_share', sa.Numeric(precision=6, scale=4), nullable=True),
    sa.Column('levels_json', sa.Text(), nullable=False),
    sa.Column('escalate_hours', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_rules')),
    sa.UniqueConstraint('code', name=op.f('uq_approval_rules_code'))
    )
    op.create_table('approval_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rules', sa.String(length=255), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('chain_json', sa.Text(), nullable=False),
    sa.Column('current_level', sa.Integer(), nullable=False),
    sa.Column('escalate_hours', sa.Integer(), nullable=False),
    sa.Column('escalated_level', sa.Integer(), nullable=False),
    sa.Column('level_since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=False),
    _fk('approval_requests', 'order_id', 'orders', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_requests'))
    )
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_requests_order_id'), ['order_id'], unique=False)

    op.create_table('approval_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    _fk('approval_decisions', 'request_id', 'approval_requests', 'CASCADE'),
    _fk('approval_decisions', 'actor_id', 'users', 'SET NULL'),
    _fk('approval_decisions', 'on_behalf_of_id', 'users', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_decisions')),
    sa.UniqueConstraint('request_id', 'level', name=op.f('uq_approval_decisions_request_id'))
    )
    op.create_table('risk_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    _fk('risk_holds', 'order_id', 'orders', 'CASCADE'),
    _fk('risk_holds', 'resolved_by_id', 'users', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_holds'))
    )
    with op.batch_alter_table('risk_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_holds_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_holds_status'), ['status'], unique=False)

    op.create_table('approval_delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    _fk('approval_delegations', 'user_id', 'users', 'CASCADE'),
    _fk('approval_delegations', 'delegate_id', 'users', 'CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_delegations'))
    )
    with op.batch_alter_table('approval_delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_delegations_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_delegations_user_id'), ['user_id'], unique=False)
    seed_default_rules()


def downgrade():
    with op.batch_alter_table('approval_delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_delegations_user_id'))
        batch_op.drop_index(batch_op.f('ix_approval_delegations_delegate_id'))
    op.drop_table('approval_delegations')
    with op.batch_alter_table('risk_holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_holds_status'))
        batch_op.drop_index(batch_op.f('ix_risk_holds_order_id'))
    op.drop_table('risk_holds')
    op.drop_table('approval_decisions')
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_requests_order_id'))
    op.drop_table('approval_requests')
    op.drop_table('approval_rules')


def seed_default_rules():
    """Insert the CONTRACT.md defaults (webapp.approvals.rules.DEFAULT_RULES, copied: migrations stay fixed)."""
    table = sa.table('approval_rules', sa.column('code', sa.String), sa.column('name', sa.String),
                     sa.column('min_goods', sa.Numeric), sa.column('min_discount_share', sa.Numeric),
                     sa.column('levels_json', sa.Text), sa.column('escalate_hours', sa.Integer),
                     sa.column('active', sa.Boolean), sa.column('created_at', sa.DateTime(timezone=True)))
    now = datetime.now(timezone.utc)
    manager, finance = '{"role": "manager"}', '{"role": "finance"}'
    op.bulk_insert(table, [
        {'code': 'goods_50k', 'name': 'Goods value ¥50,000 or more', 'min_goods': Decimal('50000.00'),
         'min_discount_share': None, 'levels_json': f'[{manager}]', 'escalate_hours': 4, 'active': True,
         'created_at': now},
        {'code': 'goods_200k', 'name': 'Goods value ¥200,000 or more', 'min_goods': Decimal('200000.00'),
         'min_discount_share': None, 'levels_json': f'[{manager}, {finance}]', 'escalate_hours': 4,
         'active': True, 'created_at': now},
        {'code': 'discount_20', 'name': 'Discount above 20 per cent of the goods value', 'min_goods': None,
         'min_discount_share': Decimal('0.2000'), 'levels_json': f'[{manager}]', 'escalate_hours': 4,
         'active': True, 'created_at': now},
    ])
