"""calendars: a UID and SEQUENCE per event, RSVP change times, feed secrets,
built feeds

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:47:27.966765

"""
import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("sequence", sa.Integer(), nullable=False, server_default="0")
        )
    # Existing events get their UID now, once: it must never change afterwards.
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("uid"))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(events.c.id)).all():
        connection.execute(
            events.update()
            .where(events.c.id == event_id)
            .values(uid=str(uuid.uuid4()))
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_events_uid"), ["uid"])
        # The personal feed finds the events a person hosts.
        batch_op.create_index(batch_op.f("ix_events_host_id"), ["host_id"])

    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE rsvps SET updated_at = responded_at")
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )

    op.create_table(
        "built_feeds",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_built_feeds")),
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_secret", sa.String(length=64), nullable=True)
        )


def downgrade():
    op.drop_table("built_feeds")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("calendar_secret")

    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.drop_column("updated_at")

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_host_id"))
        batch_op.drop_constraint(batch_op.f("uq_events_uid"), type_="unique")
        batch_op.drop_column("sequence")
        batch_op.drop_column("uid")
