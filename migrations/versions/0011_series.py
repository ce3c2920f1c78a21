"""series: a group's rhythm, host rota, skipped dates, standing answers, drafts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

VENUES = ('home', 'church', 'wine-bar', 'restaurant', 'park', 'community', 'other')


def upgrade():
    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('rule', sa.Enum('weekly', 'monthly-weekday', 'monthly-day', name='rule', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('every_weeks', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('week_of_month', sa.Integer(), nullable=False),
    sa.Column('day_of_month', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('is_rota', sa.Boolean(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('horizon', sa.Integer(), nullable=False),
    sa.Column('venue_type', sa.Enum(*VENUES, name='venuetype', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('venue_name', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('area', sa.String(length=120), nullable=False),
    sa.Column('access_notes', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('max_guests', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'members', name='eventvisibility', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('every_weeks BETWEEN 1 AND 8', name=op.f('ck_series_every_weeks_in_range')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_series_weekday_in_range')),
    sa.CheckConstraint('week_of_month BETWEEN 1 AND 4 OR week_of_month = -1', name=op.f('ck_series_week_of_month_in_range')),
    sa.CheckConstraint('day_of_month BETWEEN 1 AND 28', name=op.f('ck_series_day_of_month_in_range')),
    sa.CheckConstraint('minutes BETWEEN 15 AND 1440', name=op.f('ck_series_minutes_in_range')),
    sa.CheckConstraint('horizon BETWEEN 1 AND 12', name=op.f('ck_series_horizon_in_range')),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 1', name=op.f('ck_series_capacity_positive')),
    sa.CheckConstraint('max_guests >= 0', name=op.f('ck_series_max_guests_not_negative')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_series_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_series_host_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series'))
    )
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_group_id'), ['group_id'], unique=False)

    op.create_table('series_skips',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('slot_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_skips_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', 'slot_on', name=op.f('pk_series_skips'))
    )
    op.create_table('standing_rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_standing_rsvps_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_standing_rsvps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standing_rsvps')),
    sa.UniqueConstraint('series_id', 'user_id', name=op.f('uq_standing_rsvps_series_id_user_id'))
    )
    with op.batch_alter_table('standing_rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standing_rsvps_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('draft', 'host-needed', 'open', name='eventstate', native_enum=False, create_constraint=True), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('slot_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('is_changed_alone', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_events_series_id_series'), 'series', ['series_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_events_series_id_slot_on'), ['series_id', 'slot_on'])

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_asked_to_host', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('is_asked_to_host')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_events_series_id_slot_on'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_events_series_id_series'), type_='foreignkey')
        batch_op.drop_column('is_changed_alone')
        batch_op.drop_column('slot_on')
        batch_op.drop_column('series_id')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_events_eventstate'), type_='check')
        batch_op.drop_column('state')
    with op.batch_alter_table('standing_rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standing_rsvps_user_id'))
    op.drop_table('standing_rsvps')
    op.drop_table('series_skips')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_group_id'))
    op.drop_table('series')
