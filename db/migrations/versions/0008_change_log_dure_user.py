"""change_log.dure_user: the signed-in Dure user on a shared server (issue 12)

Filled by a PostgreSQL trigger from the server session (db/office/users.py); NULL on SQLite.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:20:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('change_log', sa.Column('dure_user', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('change_log') as batch:
        batch.drop_column('dure_user')
