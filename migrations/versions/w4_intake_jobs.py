"""Intake: channels admin, remembered column mappings, background import jobs (issue 12)

Revision ID: w4_intake_jobs
Revises: w4_intake_pull
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w4_intake_jobs'
down_revision = 'w4_intake_pull'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('intake_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('signature', sa.String(length=40), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intake_mappings_user_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_mappings')),
    sa.UniqueConstraint('channel', 'signature', name=op.f('uq_intake_mappings_channel'))
    )
    op.create_table('intake_import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('header', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=40), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('existing', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('errors_csv', sa.Text(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['intake_runs.id'], name=op.f('fk_intake_import_jobs_run_id_intake_runs'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intake_import_jobs_user_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_import_jobs'))
    )
    with op.batch_alter_table('intake_import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_import_jobs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_import_jobs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('intake_import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_import_jobs_user_id'))
        batch_op.drop_index(batch_op.f('ix_intake_import_jobs_state'))
    op.drop_table('intake_import_jobs')
    op.drop_table('intake_mappings')
