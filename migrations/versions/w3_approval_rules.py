"""Approval rule conditions and one-or-all levels (issue 13).

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
    pass


def downgrade():
    pass
