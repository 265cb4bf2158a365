"""row versions for optimistic concurrency (issue 12)

Every record table gets `version`, checked and bumped by each write (SQLAlchemy
version_id_col); existing rows start at 1.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = (
    'budget_line', 'carried_figure', 'consulting', 'department_target',
    'designation_application', 'education', 'education_date', 'facility_project',
    'facility_room', 'festival', 'finance_budget', 'finance_grant', 'finance_payment',
    'organization', 'participation', 'promotion_notice', 'publication', 'purchasing_result',
    'report_note', 'sales_event', 'sales_participant', 'sales_schedule', 'service_line',
    'service_measure', 'social_service_project', 'space', 'space_milestone', 'startup_cohort',
    'startup_payment', 'startup_round', 'startup_team', 'tenancy', 'tenancy_rent',
    'tenancy_term', 'tenant_call', 'tenant_call_space', 'video',
)


def upgrade() -> None:
    # SQLite accepts ADD COLUMN ... NOT NULL with a constant default: no table rebuild needed.
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1',
                                       nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('version')
