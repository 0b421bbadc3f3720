"""Tables for approvals and the risk queue (issue 13).

Revision ID: w2_approvals
Revises: w2_webhooks
Create Date: 2026-12-01 16:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'w2_approvals'
down_revision = 'w2_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
