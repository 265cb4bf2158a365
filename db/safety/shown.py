"""Backups as the command line shows them: sizes, record counts per table, the list.

Shared by `main.py backup/restore` (db/safety/commands.py) and the server's versions
(db/office/commands.py), and the backup window's sizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..naming import table_labels

if TYPE_CHECKING:
    from .backup import BackupInfo


def human_size(size: int) -> str:
    """1234567 → '1.2 MB'."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{size} B"


def describe_counts(counts: dict[str, int]) -> str:
    """'기업 12건, 교육 30건' for the tables that have records (or '기록 없음')."""
    labels = table_labels()
    parts = [f"{labels.get(t, t)} {n:,}건" for t, n in counts.items() if n]
    return ", ".join(parts) or "기록 없음"


def print_backups(backups: list[BackupInfo]) -> None:
    """The automatic backups, newest first: date, reason, size, record counts, path."""
    print(f"자동 백업 {len(backups)}개 (최신순):")
    for b in backups:
        counts = describe_counts(b.record_counts)
        state = f"문제: {b.problem}" if b.problem else f"기록 {b.total:,}건 ({counts})"
        size = human_size(b.size)
        print(f"  {b.taken_at:%Y-%m-%d %H:%M}  {b.reason_label:<8} {size:>9}  {state}")
        print(f"      {b.path}")
