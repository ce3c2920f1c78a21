"""planned once: the token of the form that planned each gathering

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_with', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_events_planned_with'),
                                          ['planned_with'])


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_events_planned_with'), type_='unique')
        batch_op.drop_column('planned_with')
