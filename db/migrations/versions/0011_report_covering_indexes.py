"""covering indexes for the report's grouped and detail queries (issue 13 point 5)

A year's report at 1,000,000 records read 20,000 consulting and 6,000 course records one
table row at a time (the rows of a year are spread over the whole table). These indexes hold
every column the report reads, in the order it reads them, so the summary and the detail rows
come from the index alone. The wide ones are SQLite only: a PostgreSQL index entry holds at
most 2,704 bytes, and 비고 / 내용 / 제목 may be longer (100,000 characters).
ix_education_date_days replaces ix_education_date_education_id (its first column).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:40:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SQLITE_ONLY = {
    'ix_consulting_report': ('consulting', [
        'held_on', 'id', 'kind', 'end_on', 'organization_id', 'startup_team_id', 'sessions',
        'companies', 'topic', 'consultant', 'note', 'printed_note']),
    'ix_education_report': ('education', [
        'start_date', 'id', 'course', 'mode', 'end_date', 'hours', 'sessions', 'attendees',
        'title', 'content', 'host', 'audience', 'note', 'printed_note']),
    'ix_promotion_notice_report': ('promotion_notice', [
        'notice_on', 'id', 'channel', 'month_only', 'recurring', 'end_on', 'audience', 'title']),
}


def upgrade() -> None:
    op.create_index('ix_education_date_days', 'education_date',
                    ['education_id', 'day', 'id', 'start_time', 'end_time'], unique=False)
    op.drop_index('ix_education_date_education_id', table_name='education_date')
    if op.get_bind().dialect.name == 'sqlite':
        for name, (table, columns) in SQLITE_ONLY.items():
            op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name, (table, _columns) in SQLITE_ONLY.items():
            op.drop_index(name, table_name=table)
    op.create_index('ix_education_date_education_id', 'education_date', ['education_id'],
                    unique=False)
    op.drop_index('ix_education_date_days', table_name='education_date')
