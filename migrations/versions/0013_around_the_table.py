"""around the table: bring lists, children and diets, a word from the host

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 22:25:20

"""
from alembic import op
import sqlalchemy as sa

KINDS_BEFORE = ('going', 'waitlisted', 'requested', 'dropped-out', 'promoted')
KINDS = KINDS_BEFORE + ('let-go',)
CHILDREN = sa.Enum('welcome', 'adults-only', 'childcare', name='children', native_enum=False, create_constraint=True)

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('host_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('to_going', sa.Boolean(), nullable=False),
    sa.Column('to_waitlisted', sa.Boolean(), nullable=False),
    sa.Column('to_requested', sa.Boolean(), nullable=False),
    sa.Column('reply_to_sender', sa.Boolean(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_host_messages_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_host_messages_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_host_messages'))
    )
    with op.batch_alter_table('host_messages', schema=None) as batch_op:
        batch_op.create_index('ix_host_messages_event_id_sent_at', ['event_id', 'sent_at'], unique=False)

    op.create_table('bring_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('rsvp_id', sa.Integer(), nullable=False),
    sa.Column('thing', sa.String(length=80), nullable=False),
    sa.Column('note', sa.String(length=120), nullable=False),
    sa.Column('is_own', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_bring_claims_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rsvp_id'], ['rsvps.id'], name=op.f('fk_bring_claims_rsvp_id_rsvps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bring_claims')),
    sa.UniqueConstraint('rsvp_id', 'thing', name=op.f('uq_bring_claims_rsvp_id_thing'))
    )
    with op.batch_alter_table('bring_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bring_claims_event_id'), ['event_id'], unique=False)

    op.create_table('host_message_readers',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['host_messages.id'], name=op.f('fk_host_message_readers_message_id_host_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_host_message_readers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', 'user_id', name=op.f('pk_host_message_readers'))
    )
    with op.batch_alter_table('host_message_readers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_host_message_readers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bring_list', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('bring_told_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('children', CHILDREN, nullable=False, server_default='welcome'))

    with op.batch_alter_table('happenings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thing', sa.String(length=80), nullable=False, server_default=''))
        batch_op.drop_constraint(batch_op.f('ck_happenings_happeningkind'), type_='check')
        batch_op.create_check_constraint('happeningkind', sa.column('kind').in_(KINDS))

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('children', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint('children_not_negative', sa.column('children') >= 0)
        batch_op.add_column(sa.Column('diets', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('diet_note', sa.String(length=120), nullable=False, server_default=''))

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bring_list', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('children', CHILDREN, nullable=False, server_default='welcome'))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diets', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('diet_note', sa.String(length=120), nullable=False, server_default=''))



def downgrade():
    # SQLite: a column's CHECK goes first, in a batch of its own.
    for table, check in (('series', 'children'), ('events', 'children'),
                         ('rsvps', 'children_not_negative')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_{check}'), type_='check')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('diet_note')
        batch_op.drop_column('diets')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('children')
        batch_op.drop_column('bring_list')

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_column('diet_note')
        batch_op.drop_column('diets')
        batch_op.drop_column('children')

    op.execute("DELETE FROM happenings WHERE kind = 'let-go'")
    with op.batch_alter_table('happenings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_happenings_happeningkind'), type_='check')
        batch_op.create_check_constraint('happeningkind', sa.column('kind').in_(KINDS_BEFORE))
        batch_op.drop_column('thing')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('children')
        batch_op.drop_column('bring_told_at')
        batch_op.drop_column('bring_list')

    with op.batch_alter_table('host_message_readers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_host_message_readers_user_id'))

    op.drop_table('host_message_readers')
    with op.batch_alter_table('bring_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bring_claims_event_id'))

    op.drop_table('bring_claims')
    with op.batch_alter_table('host_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_host_messages_event_id_sent_at')

    op.drop_table('host_messages')
