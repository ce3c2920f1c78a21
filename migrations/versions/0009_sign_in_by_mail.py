"""sign in by mail: devices, mail codes, verified addresses, optional passwords

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00

Accounts from before stay unverified until their first code sign-in: Hearth
mails them only what they ask for until then.
"""
from alembic import op
import sqlalchemy as sa



revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'devices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('remember', sa.Boolean(), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_devices_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_devices_token_hash')),
    )
    op.create_index(op.f('ix_devices_user_id'), 'devices', ['user_id'])
    op.create_table(
        'mail_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('link_hash', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=80), nullable=True),
        sa.Column('remember', sa.Boolean(), nullable=False),
        sa.Column('next_path', sa.String(length=500), nullable=True),
        sa.Column('then_rsvp', sa.JSON(), nullable=True),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_mail_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_codes')),
        sa.UniqueConstraint('link_hash', name=op.f('uq_mail_codes_link_hash')),
    )
    op.create_index(op.f('ix_mail_codes_email'), 'mail_codes', ['email'])
    op.create_index(op.f('ix_mail_codes_user_id'), 'mail_codes', ['user_id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255),
                              nullable=True)
        # Ended sessions by changing the cookie's id: the devices table does it now.
        batch_op.drop_column('session_version')
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('then_rsvp', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_column('then_rsvp')
    op.execute("UPDATE users SET password_hash = '!' WHERE password_hash IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255),
                              nullable=False)
        batch_op.drop_column('email_verified_at')
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='1'))
    op.drop_index(op.f('ix_mail_codes_user_id'), table_name='mail_codes')
    op.drop_index(op.f('ix_mail_codes_email'), table_name='mail_codes')
    op.drop_table('mail_codes')
    op.drop_index(op.f('ix_devices_user_id'), table_name='devices')
    op.drop_table('devices')
