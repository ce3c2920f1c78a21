"""hosts decide: who comes in, when the street shows, blocks, reports, host news

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 18:51:23

"""
from alembic import op
import sqlalchemy as sa

STATUSES_BEFORE = ('going', 'waitlisted', 'declined')
STATUSES = ('requested',) + STATUSES_BEFORE

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('blocked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blocked_by_id'], ['users.id'], name=op.f('fk_blocks_blocked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_blocks_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_blocks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocks')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_blocks_group_id_user_id'))
    )
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocks_user_id'), ['user_id'], unique=False)

    op.create_table('happenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('going', 'waitlisted', 'requested', 'dropped-out', 'promoted', name='happeningkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('guests', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_happenings_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_happenings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_happenings'))
    )
    with op.batch_alter_table('happenings', schema=None) as batch_op:
        batch_op.create_index('ix_happenings_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_happenings_event_id'), ['event_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_reports_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_reports_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_reports_person_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_group_id'), ['group_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admission', sa.Enum('anyone', 'newcomers', 'each', name='admission', native_enum=False, create_constraint=True), nullable=False, server_default='anyone'))
        batch_op.add_column(sa.Column('street_day_before', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('guest_list', sa.Enum('members', 'going', 'count', name='guestlist', native_enum=False, create_constraint=True), nullable=False, server_default='members'))

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('did_not_come', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('passed_over', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_constraint(batch_op.f('ck_rsvps_rsvpstatus'), type_='check')
        batch_op.create_check_constraint('rsvpstatus', sa.column('status').in_(STATUSES))

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admission', sa.Enum('anyone', 'newcomers', 'each', name='admission', native_enum=False, create_constraint=True), nullable=False, server_default='anyone'))
        batch_op.add_column(sa.Column('street_day_before', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('guest_list', sa.Enum('members', 'going', 'count', name='guestlist', native_enum=False, create_constraint=True), nullable=False, server_default='members'))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_news', sa.Enum('each', 'daily', 'none', name='hostnews', native_enum=False, create_constraint=True), nullable=False, server_default='each'))
        batch_op.add_column(sa.Column('host_digest_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    # SQLite: a column's CHECK goes first, in a batch of its own.
    for table, checks in (('users', ('hostnews',)), ('series', ('admission', 'guestlist')),
                          ('events', ('admission', 'guestlist'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for check in checks:
                batch_op.drop_constraint(batch_op.f(f'ck_{table}_{check}'), type_='check')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('host_digest_at')
        batch_op.drop_column('host_news')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('guest_list')
        batch_op.drop_column('street_day_before')
        batch_op.drop_column('admission')

    op.execute("UPDATE rsvps SET status = 'declined' WHERE status = 'requested'")
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_rsvps_rsvpstatus'), type_='check')
        batch_op.create_check_constraint('rsvpstatus', sa.column('status').in_(STATUSES_BEFORE))
        batch_op.drop_column('passed_over')
        batch_op.drop_column('refused_at')
        batch_op.drop_column('requested_at')
        batch_op.drop_column('did_not_come')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('guest_list')
        batch_op.drop_column('street_day_before')
        batch_op.drop_column('admission')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_group_id'))

    op.drop_table('reports')
    with op.batch_alter_table('happenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_happenings_event_id'))
        batch_op.drop_index('ix_happenings_created_at')

    op.drop_table('happenings')
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocks_user_id'))

    op.drop_table('blocks')
