"""Audit chain keyed outside the database and anchored by checkpoints (issue 17).

Existing entries keep their plain SHA-256 hashes (scheme 1); every entry written from now on is keyed
with HMAC-SHA256 (scheme 2, set by the application) and the first keyed one links to the last plain one.
ADD COLUMN leaves the append-only triggers in place (no table copy) and fires no UPDATE trigger.

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
    op.add_column('audit_entries', sa.Column('scheme', sa.SmallInteger(), nullable=False, server_default='1'))


def downgrade():
    op.execute('ALTER TABLE audit_entries DROP COLUMN scheme')  # in place: a batch copy would lose the triggers
