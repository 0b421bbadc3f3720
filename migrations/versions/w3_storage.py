"""Photos through a storage interface; keys and secrets shared across hosts (issue 17).

Revision ID: w3_storage
Revises: w3_hardening
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_storage'
down_revision = 'w3_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'app_secrets',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade():
    op.drop_table('app_secrets')
