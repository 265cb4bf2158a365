"""business registration numbers stored with ASCII digits; collisions reported, never merged

One BRN typed in ASCII, full-width and Arabic-Indic digits counted as three enterprises. The
rule now normalises digits (NFKC and every Unicode decimal digit) before the uniqueness check;
this migration does the same to the numbers already stored. A number whose normalised form
another enterprise already has (or that two rows share) is left as it was and reported in the
log: the two records are for the clerk to compare (`main.py check` names them), not for a
migration to merge.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:40:00
"""
from typing import Sequence, Union
import logging
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

log = logging.getLogger("db.migrations")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe63"), "-")


def _normalised(text: str) -> str:
    """The rule's normalisation as of this revision (kept here so later changes do not alter it)."""
    s = unicodedata.normalize("NFKC", text).translate(_DASHES)
    s = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in s)
    s = re.sub(r"\s+", "", s)
    return s.replace("-", "") if re.fullmatch(r"[0-9]{3}-?[0-9]{2}-?[0-9]{5}", s) else s


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.exec_driver_sql(
        "SELECT id, name, brn FROM organization WHERE brn IS NOT NULL").fetchall()
    taken: dict[str, list[tuple[int, str]]] = {}
    for ident, name, brn in rows:
        taken.setdefault(brn, []).append((ident, name))
    wanted: dict[str, list[tuple[int, str, str]]] = {}
    for ident, name, brn in rows:
        new = _normalised(brn)
        if new != brn:
            wanted.setdefault(new, []).append((ident, name, brn))
    for new, changes in wanted.items():
        holders = [h for h in taken.get(new, []) if h[0] not in {c[0] for c in changes}]
        if holders or len(changes) > 1:
            names = ", ".join(f"#{i} {n} ({b})" for i, n, b in changes)
            others = ", ".join(f"#{i} {n}" for i, n in holders)
            log.warning("사업자등록번호 %s: 숫자 표기만 다른 같은 번호가 있어 그대로 두었습니다 — %s%s. "
                        "두 기록을 비교해 하나로 정리하세요(main.py check).", new, names,
                        f"; 이미 등록: {others}" if others else "")
            continue
        (ident, _name, _brn), = changes
        conn.execute(sa.text("UPDATE organization SET brn = :brn WHERE id = :id"),
                     {"brn": new, "id": ident})


def downgrade() -> None:
    pass  # the ASCII digits are the same numbers; nothing to undo
