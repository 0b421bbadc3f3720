"""Electronic waybills and labels (issue 14).

Revision ID: w3_waybills
Revises: w3_approval_rules
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_waybills'
down_revision = 'w3_approval_rules'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
