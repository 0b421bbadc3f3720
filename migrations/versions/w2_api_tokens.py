"""API tokens (stored hashed, looked up by prefix), per-token rate-limit windows, the API's keyset index
on orders (updated_at, id), and a body fingerprint on idempotency keys.

Revision ID: w2_api_tokens
Revises: w2_roles_as_data
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w2_api_tokens'
down_revision = 'w2_roles_as_data'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_tokens_prefix'))
    )
    op.create_index(op.f('ix_api_tokens_user_id'), 'api_tokens', ['user_id'], unique=False)
    op.create_table('api_rate_windows',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_api_rate_windows_token_id_api_tokens'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_id', 'window', name=op.f('pk_api_rate_windows'))
    )
    op.create_index('ix_orders_updated_id', 'orders', ['updated_at', 'id'], unique=False)
    op.create_index('ix_orders_status_updated_id', 'orders', ['status', 'updated_at', 'id'], unique=False)
    op.create_index('ix_orders_region_updated_id', 'orders', ['region', 'updated_at', 'id'], unique=False)
    with op.batch_alter_table('idempotency_keys') as batch:
        batch.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('idempotency_keys') as batch:
        batch.drop_column('fingerprint')
    op.drop_index('ix_orders_region_updated_id', table_name='orders')
    op.drop_index('ix_orders_status_updated_id', table_name='orders')
    op.drop_index('ix_orders_updated_id', table_name='orders')
    op.drop_table('api_rate_windows')
    op.drop_index(op.f('ix_api_tokens_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
