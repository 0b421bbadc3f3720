"""Hardening: catalogue price history, floor notes as entries, revocable tracking links (issue 17).

Revision ID: w3_hardening
Revises: w3_audit_anchor
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w3_hardening'
down_revision = 'w3_audit_anchor'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
