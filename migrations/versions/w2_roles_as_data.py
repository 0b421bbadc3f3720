"""Roles as data: each role carries its home screen; matrix keys grow to hold step actions.

Revision ID: w2_roles_as_data
Revises: o3_order_counts
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w2_roles_as_data'
down_revision = 'o3_order_counts'
branch_labels = None
depends_on = None

HOMES = {"warehouse": "warehouse", "sales": "sales", "admin": "admin"}


def upgrade():
    with op.batch_alter_table('roles') as batch:
        batch.add_column(sa.Column('home', sa.String(length=16), nullable=False, server_default='board'))
    for code, home in HOMES.items():
        op.execute(sa.text("UPDATE roles SET home = :home WHERE code = :code").bindparams(home=home, code=code))
    with op.batch_alter_table('role_permissions') as batch:
        batch.alter_column('field', existing_type=sa.String(length=32), type_=sa.String(length=64),
                           existing_nullable=False)


def downgrade():
    with op.batch_alter_table('role_permissions') as batch:
        batch.alter_column('field', existing_type=sa.String(length=64), type_=sa.String(length=32),
                           existing_nullable=False)
    with op.batch_alter_table('roles') as batch:
        batch.drop_column('home')
