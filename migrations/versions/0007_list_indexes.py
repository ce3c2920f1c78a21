"""list indexes: upcoming gatherings skip finished ones in the index; newest public groups

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_starts_at_ends_at', ['starts_at', 'ends_at'], unique=False)
        batch_op.drop_index('ix_events_starts_at')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index('ix_groups_visibility_created_at', ['visibility', 'created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index('ix_groups_visibility_created_at')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_starts_at', ['starts_at'], unique=False)
        batch_op.drop_index('ix_events_starts_at_ends_at')
