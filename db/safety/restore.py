"""Restoring a backup into the live database file, and a read-only preview of a backup.

The caller must close every connection of the app to the database first
(`Database.close()`, which disposes the engine and frees the lock) and open it again after
`restore()` returns; the next `open_database` runs any migration the restored file needs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import DatabaseDamaged, DatabaseError, DatabaseTooNew, DureError, NotADureDatabase
from ..migrations import runner
from ..naming import table_labels
from ..paths import backup_dir
from . import lock as locking
from .backup import (
    MAIN_TABLES,
    _write_error,
    automatic_backup,
    copy_database,
    source_path,
)
from .identity import identity_of, read_identity, set_identity
from .integrity import FileCheck, inspect_file, recover, ro_connect

TEXT_COLUMNS = ("name", "title", "topic", "site", "program", "kind", "course", "year")


def check_backup(backup: Path) -> FileCheck:
    """Refuse a backup that is damaged, not Dure's, empty or from a newer Dure."""
    if not backup.is_file():
        raise DureError(f"백업 파일 '{backup}'이(가) 없습니다. 경로를 확인하세요.")
    check = inspect_file(backup, full=True)
    detail = "; ".join(check.problems[:3])
    if check.kind == "damaged":
        raise DatabaseDamaged(f"백업 파일 '{backup.name}'이(가) 손상되어 복원할 수 없습니다: "
                              f"{detail}\n다른 백업을 고르세요. 현재 데이터베이스는 그대로입니다.")
    if check.kind != "ok":
        raise NotADureDatabase(f"'{backup.name}'은(는) 두레 백업이 아닙니다. {detail}\n"
                               "다른 파일을 고르세요. 현재 데이터베이스는 그대로입니다.")
    if not check.revision or not runner.is_known(check.revision):
        raise DatabaseTooNew(f"백업 '{backup.name}'은(는) 더 새로운 버전의 두레에서 만들어졌습니다"
                             f" (스키마 {check.revision}).\n두레를 업데이트한 뒤 복원하세요.")
    return check


def restore(database_path: Any, backup_path: str | os.PathLike[str]) -> Path | None:
    """Replace the database's content with a backup's; returns the 'before-restore' backup.

    The backup is fully integrity-checked and must be a Dure database of a known schema.
    The current state is backed up first (a damaged current file is kept as a plain copy),
    then the backup API writes into the live file in one transaction, so a failure halfway
    leaves the current data as it was. All of the app's connections must be closed first.
    """
    target = source_path(database_path)
    backup = Path(backup_path).expanduser().absolute()
    if backup.exists() and target.exists() and backup.resolve() == target.resolve():
        raise DureError("복원할 백업으로 현재 데이터베이스 파일 자체를 골랐습니다. "
                        "백업 파일을 고르세요.")
    check_backup(backup)
    held = locking.acquire(target, heartbeat=0)  # DatabaseInUse while another Dure has it open
    try:
        current = recover(target)  # a restore killed earlier left a hot journal: play it back
        if current.kind == "foreign":
            raise NotADureDatabase(f"'{target}'은(는) 다른 프로그램의 데이터베이스라 그 위에 "
                                   "복원하지 않습니다. 다른 위치를 지정하세요.")
        saved: Path | None = None
        own = identity_of(target)  # the file keeps its identity: its backups stay its own
        if current.kind == "ok":
            saved = automatic_backup(target, "before-restore")
            _restore_in_place(backup, target)
        else:
            if current.kind != "new":
                saved = _keep_damaged(target)
            _restore_by_replace(backup, target)
        if own is not None and read_identity(target) != own:
            set_identity(target, own)
        after = inspect_file(target, full=True)
        if after.kind != "ok":
            raise DatabaseError("복원한 뒤 검사에서 문제가 발견되었습니다: "
                                + "; ".join(after.problems[:3])
                                + (f"\n복원 전 상태는 '{saved}'에 있습니다." if saved else ""))
    finally:
        held.release()
    return saved


def _restore_in_place(backup: Path, target: Path) -> None:
    """Online-backup `backup` into the live `target` (one transaction: all or nothing)."""
    source = ro_connect(backup, snapshot=True)
    try:
        dest = sqlite3.connect(target, timeout=5)
        try:
            # Leave WAL first: the backup API refuses a WAL target of another page size,
            # and this also checkpoints whatever the last session left in the -wal file.
            dest.execute("PRAGMA journal_mode=DELETE")
            source.backup(dest)
        except sqlite3.Error as exc:
            raise _write_error(exc, target.parent) from exc
        finally:
            dest.close()
    finally:
        source.close()


def _restore_by_replace(backup: Path, target: Path) -> None:
    """For a missing or damaged target: write a fresh copy beside it, then rename over it."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.restore")
    try:
        copy_database(backup, tmp)
        for side in ("-wal", "-shm", "-journal"):  # they belong to the damaged file
            Path(f"{target}{side}").unlink(missing_ok=True)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(exc, target.parent) from exc


def _keep_damaged(target: Path) -> Path:
    """Keep a byte copy of a damaged file (not live: we hold the lock) before replacing it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = backup_dir() / f"{target.stem}-{stamp}-damaged.sqlite"
    n = 2
    while dest.exists():
        dest, n = backup_dir() / f"{target.stem}-{stamp}-damaged-{n}.sqlite", n + 1
    try:
        shutil.copyfile(target, dest)
    except OSError as exc:
        raise _write_error(exc, dest.parent) from exc
    return dest


def newest_records(path: Path, per_table: int = 3) -> list[tuple[str, str, str]]:
    """(entity label, last change, short text) of the newest records per main table, read-only."""
    labels = table_labels()
    out: list[tuple[str, str, str]] = []
    con = ro_connect(Path(path), snapshot=True)
    try:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in MAIN_TABLES:
            if table not in present:
                continue
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            shown = [c for c in TEXT_COLUMNS if c in cols][:2]
            stamp = "updated_at" if "updated_at" in cols else "NULL"
            select = ", ".join(["id", stamp, *(f'"{c}"' for c in shown)])
            rows = con.execute(f'SELECT {select} FROM "{table}" ORDER BY {stamp} DESC, id DESC '
                               "LIMIT ?", (per_table,)).fetchall()
            for row in rows:
                text = " · ".join(str(v) for v in row[2:] if v not in (None, "")) or f"#{row[0]}"
                out.append((labels.get(table, table), str(row[1] or "")[:16], text))
    except sqlite3.Error as exc:
        raise DatabaseError(f"백업 '{path}'을(를) 읽을 수 없습니다: {exc}") from exc
    finally:
        con.close()
    return out
