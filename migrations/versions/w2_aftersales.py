"""Tables for dashboard facts, after-sales cases and inquiries (issue 15).

Revision ID: w2_aftersales
Revises: w2_carriers
Create Date: 2026-12-01 16:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'w2_aftersales'
down_revision = 'w2_carriers'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
