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
    pass


def downgrade():
    pass
