"""The outbox says how a message travels as its `medium` ("channel" is only ever the sales channel).

Revision ID: w2_outbox_medium
Revises: w2_intake
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w2_outbox_medium'
down_revision = 'w2_intake'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notify_outbox') as batch:
        batch.alter_column('channel', new_column_name='medium', existing_type=sa.String(length=8),
                           existing_nullable=False)


def downgrade():
    with op.batch_alter_table('notify_outbox') as batch:
        batch.alter_column('medium', new_column_name='channel', existing_type=sa.String(length=8),
                           existing_nullable=False)
