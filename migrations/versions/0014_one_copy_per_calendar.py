"""one copy per calendar: invitations by mail or the feed; a gathering's ORGANIZER fixed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wants_invitations', sa.Boolean(), nullable=False, server_default=sa.true()))
    # Fixed at a gathering's first invitation; until then (every row today) unset.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organizer_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('reply_domain', sa.String(length=253), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('reply_domain')
        batch_op.drop_column('organizer_email')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('wants_invitations')
