"""Operations: restore acknowledgements, pruning (issue 17)

Revision ID: w4_ops
Revises: w4_shipping
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w4_ops'
down_revision = 'w4_shipping'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
