"""moderation: admins, suspended users, and the record of admin actions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:10:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies `users` and drops the original,
    # and with foreign keys on, that drop would delete every article and comment.
    op.add_column(
        'users', sa.Column('is_admin', sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column('users', sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_users_suspended_at', 'users', ['suspended_at'], unique=False)
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('admin_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('target', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['admin_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('audit_entries')
    op.drop_index('ix_users_suspended_at', table_name='users')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('suspended_at')
        batch_op.drop_column('is_admin')
