"""Server-side sessions, login throttle by account and client, device cookies (issue 17).

Revision ID: w3_sessions
Revises: w2_outbox_medium
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_sessions'
down_revision = 'w2_outbox_medium'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
