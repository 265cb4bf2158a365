"""finance_payment (grant_id, paid_on, amount): a grant's payments in a period from the index

재정지원's figures per program and period sum each grant's payments in the period. They were
read by sorting the period's payments by grant and indexing the result at every call (at
1,000,000 records 28,000 payments a year; 8 years on the 현황 chart). This index holds what the
sum reads, by grant, and replaces ix_finance_payment_grant_id (its first column). Small
columns only: the same index on PostgreSQL.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 23:50:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_finance_payment_grant_paid', 'finance_payment',
                    ['grant_id', 'paid_on', 'amount'], unique=False)
    op.drop_index('ix_finance_payment_grant_id', table_name='finance_payment')


def downgrade() -> None:
    op.create_index('ix_finance_payment_grant_id', 'finance_payment', ['grant_id'],
                    unique=False)
    op.drop_index('ix_finance_payment_grant_paid', table_name='finance_payment')
