"""Tables for channels as data and channel intake (issue 12).

Revision ID: w2_intake
Revises: w2_aftersales
Create Date: 2026-12-01 16:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'w2_intake'
down_revision = 'w2_aftersales'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
