"""startup_round.review_mode and .ceremony, social_service_project.printed_note (issue 8)

The report prints '10개사 접수 및 대면 심사(4.13.)', '6개팀 협약식 개최(4.22.)' and the
사회서비스 project's footnote from these; existing rows read as before (no mode, no ceremony,
no note).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # plain ALTER TABLE … ADD COLUMN: a batch copy of the table would drop its AUTOINCREMENT
    op.add_column('startup_round', sa.Column('review_mode', sa.String(), nullable=True))
    op.add_column('startup_round', sa.Column('ceremony', sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    op.add_column('social_service_project', sa.Column('printed_note', sa.String(),
                                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('social_service_project', schema=None) as batch_op:
        batch_op.drop_column('printed_note')
    with op.batch_alter_table('startup_round', schema=None) as batch_op:
        batch_op.drop_column('ceremony')
        batch_op.drop_column('review_mode')
