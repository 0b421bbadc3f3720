"""Audit chain keyed outside the database and anchored by checkpoints (issue 17).

Revision ID: w3_audit_anchor
Revises: w3_sessions
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_audit_anchor'
down_revision = 'w3_sessions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
