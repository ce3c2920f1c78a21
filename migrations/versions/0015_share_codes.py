"""share codes: a link to a members-only gathering that names only its group

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_code', sa.String(length=24), nullable=True))
    events = sa.table('events', sa.column('id', sa.Integer), sa.column('share_code', sa.String))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(events.c.id)).all():
        connection.execute(events.update().where(events.c.id == event_id)
                           .values(share_code=secrets.token_urlsafe(16)))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('share_code', existing_type=sa.String(length=24), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_events_share_code'), ['share_code'])


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_events_share_code'), type_='unique')
        batch_op.drop_column('share_code')
