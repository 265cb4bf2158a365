"""Backups with SQLite's online backup API: verified, written atomically, rotated.

A backup is written to a temporary name in the target folder, checked with
`PRAGMA integrity_check`, synced and only then renamed, so a full disk or a read-only folder
leaves no half file. Automatic backups live in data_dir()/backups as
`<stem>-YYYYmmdd-HHMMSS-<reason>.sqlite`; rotation keeps the last KEEP_LAST plus the newest
one of each of the last KEEP_MONTHS months. PostgreSQL is backed up with the server's tools.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DatabaseError, DureError
from ..paths import backup_dir
from ..registry import listed_tables
from ..settings import load_settings
from ..urls import resolve_url, sqlite_path
from .backup_names import NAME_RE as NAME_RE
from .backup_names import automatic_backups as automatic_backups
from .backup_names import backups_of as backups_of
from .backup_names import parse_name as parse_name
from .integrity import inspect_file, ro_connect
from .tempfiles import remove_stale

log = logging.getLogger(__name__)

KEEP_LAST = 10
KEEP_MONTHS = 12
STEP_PAGES = 1024  # pages copied per backup step (4 MB at the default page size)
REASONS = {"start": "시작 시", "migration": "형식 갱신 전", "before-restore": "복원 전",
           "manual": "직접", "damaged": "손상된 파일 보관"}
# The tables whose record counts describe a backup: what the area tabs list (db/registry.py).
MAIN_TABLES = listed_tables()
PG_MESSAGE = ("PostgreSQL 데이터베이스는 두레에서 백업·복원하지 않습니다. 서버의 pg_dump / "
              "pg_restore로 백업·복원하세요(두레의 백업·복원은 SQLite 파일 전용).")

Progress = Callable[[int, int], None]  # (pages done, pages total)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as read (read-only) from disk."""

    path: Path
    taken_at: dt.datetime
    reason: str
    size: int
    record_counts: dict[str, int] = field(default_factory=dict)
    revision: str | None = None
    problem: str | None = None  # Korean, when the file cannot be read or fails the check

    @property
    def total(self) -> int:
        return sum(self.record_counts.values())

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def source_path(database: Any) -> Path:
    """The SQLite file behind a Database, a path or a URL; DureError for other backends."""
    url = getattr(database, "url", None) or resolve_url(database)
    path = sqlite_path(url)
    if path is None:
        raise DureError(PG_MESSAGE)
    return path


def _write_error(exc: BaseException, folder: Path) -> DureError:
    """A Korean DureError for a failed write into `folder`."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)) or "full" in text:
        return DureError(
            f"디스크 공간이 부족합니다. '{folder}'에 백업을 끝까지 쓰지 못했습니다.\n공간을 "
            "비우거나 다른 위치(USB 등)를 고르세요. 원본은 그대로이고, 반쯤 쓴 파일은 지웠습니다."
        )
    if "disk i/o error" in text:  # SQLITE_IOERR: a failed write whose cause SQLite hides
        return DureError(
            f"'{folder}'에 쓰는 중 디스크 오류가 났습니다(디스크 공간 부족, "
            "파일 크기 제한 또는 장치 문제).\n다른 위치를 고르세요. 원본은 그대로이고, "
            "반쯤 쓴 파일은 지웠습니다."
        )
    if (isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS)
            or "readonly" in text or "read-only" in text or "unable to open" in text):
        return DureError(
            f"폴더에 쓸 권한이 없습니다: '{folder}'.\n다른 폴더(문서, 바탕화면, "
            "USB 등)를 고르세요. 원본은 그대로입니다."
        )
    return DureError(f"백업을 쓰지 못했습니다({folder}): {exc}. 원본은 그대로입니다.")


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":  # a directory cannot be opened for fsync on Windows
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_database(src: Path, dest: Path, progress: Progress | None = None) -> None:
    """Online-backup `src` into a new file `dest`, then make it a single rollback-journal file."""
    source = ro_connect(src)
    try:
        target = sqlite3.connect(dest)
        try:
            cb = (lambda _st, rem, tot: progress(tot - rem, tot)) if progress else None
            source.backup(target, pages=STEP_PAGES, progress=cb)
            target.execute("PRAGMA journal_mode=DELETE")  # no -wal/-shm beside a backup file
        finally:
            target.close()
    finally:
        source.close()


def backup_to(database: Any, dest: str | os.PathLike[str], *,
              progress: Progress | None = None, reason: str = "manual") -> BackupInfo:
    """Back up `database` (Database, path or URL) to `dest`, verified; returns its info.

    Raises DureError (Korean) when the disk is full, the folder is not writable or the copy
    fails its integrity check; no file (not even a partial one) is left at `dest` then.
    """
    src = source_path(database)
    dest = Path(os.path.abspath(Path(dest).expanduser()))
    if dest.resolve() == src.resolve():
        raise DureError("백업 파일을 원본 데이터베이스와 같은 곳에 쓸 수 없습니다. "
                        "다른 이름을 고르세요.")
    if dest.is_dir():
        raise DureError(f"'{dest}'은(는) 폴더입니다. 백업 파일 이름을 지정하세요.")
    if not dest.parent.is_dir():
        raise DureError(f"'{dest.parent}' 폴더가 없습니다. 있는 폴더를 고르세요.")
    if not src.exists() or src.stat().st_size == 0:
        raise DatabaseError(f"'{src}' 데이터베이스 파일이 없거나 비어 있어 백업할 것이 없습니다.")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    leftovers = (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm"))
    try:
        copy_database(src, tmp, progress)
        problems = inspect_file(tmp, full=True).problems
        if problems:
            raise DureError("백업 파일을 검사했더니 손상되어 있어 버렸습니다: "
                            + "; ".join(problems[:3])
                            + "\n원본 데이터베이스를 확인하세요(파일 → 복원에서 이전 "
                              "백업 사용 가능).")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except DureError:
        _remove_quietly(*leftovers)
        raise
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(*leftovers)
        raise _write_error(exc, dest.parent) from exc
    return read_info(dest, taken_at=dt.datetime.now(), reason=reason)


def read_info(path: Path, *, taken_at: dt.datetime | None = None, reason: str = "") -> BackupInfo:
    """Read a backup read-only: record counts per main table and schema revision."""
    path = Path(path)
    parsed = parse_name(path.name)
    if taken_at is None:
        taken_at = parsed[1] if parsed else dt.datetime.fromtimestamp(path.stat().st_mtime)
    reason = reason or (parsed[2] if parsed else "")
    size = path.stat().st_size
    check = inspect_file(path)
    if check.kind != "ok":
        problem = "; ".join(check.problems) or "두레 백업이 아닙니다(빈 데이터베이스)."
        return BackupInfo(path, taken_at, reason, size, problem=problem)
    counts: dict[str, int] = {}
    con = ro_connect(path, snapshot=True)
    try:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in MAIN_TABLES:
            if table in present:
                counts[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    except sqlite3.Error as exc:
        return BackupInfo(path, taken_at, reason, size, problem=f"읽을 수 없습니다: {exc}")
    finally:
        con.close()
    return BackupInfo(path, taken_at, reason, size, counts, check.revision)


def plan_rotation(items: Iterable[tuple[Path, dt.datetime]], *, keep_last: int = KEEP_LAST,
                  months: int = KEEP_MONTHS, now: dt.datetime | None = None) -> list[Path]:
    """Which backups to delete: all but the newest `keep_last` and each month's newest
    for the `months` calendar months up to `now` (default: the newest backup's time)."""
    ordered = sorted(items, key=lambda t: t[1], reverse=True)
    if not ordered:
        return []
    now = now or ordered[0][1]
    current = now.year * 12 + now.month - 1
    keep = {p for p, _ in ordered[:keep_last]}
    months_seen: set[int] = set()
    for p, when in ordered:
        month = when.year * 12 + when.month - 1
        if 0 <= current - month < months and month not in months_seen:
            months_seen.add(month)
            keep.add(p)
    return [p for p, _ in ordered if p not in keep]


def automatic_backup(database: Any, reason: str, *, folder: Path | None = None) -> Path:
    """A verified backup into data_dir()/backups named with time and reason, then rotation."""
    src = source_path(database)
    folder = folder or backup_dir()
    now = dt.datetime.now().replace(microsecond=0)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    # Number after the highest of this second (even if rotation removed it): never reuse a name.
    same = [w.microsecond for p, w, r in automatic_backups(src.stem, folder)
            if w.replace(microsecond=0) == now and r == reason]
    n = max(same, default=0) + 1
    dest = folder / (f"{src.stem}-{stamp}-{reason}.sqlite" if n == 1
                     else f"{src.stem}-{stamp}-{reason}-{n}.sqlite")
    backup_to(src, dest, reason=reason)
    for old in plan_rotation([(p, w) for p, w, _ in backups_of(src, folder)]):
        _remove_quietly(old)
    return dest


def startup_backup(database: Any) -> Path | None:
    """The backup taken when Dure starts (GUI calls it after opening); never raises.

    Skipped for PostgreSQL, read-only opens and databases with no records yet. A failure
    (full disk…) is logged and returns None: the clerk can still work, the previous
    backups are kept.
    """
    if getattr(database, "read_only", False) or not getattr(database, "is_sqlite", True):
        return None
    _remove_export_leftovers(database)
    try:
        src = source_path(database)
        if not src.exists() or not read_info(src).total:
            return None
        return automatic_backup(src, "start")
    except DureError as exc:
        log.warning("시작 백업 실패: %s", exc)
        return None


def _remove_export_leftovers(database: Any) -> None:
    """At start, the temporaries killed exports left in the usual export folder."""
    try:
        with database.session() as s:
            folder = load_settings(s).export_dir
        if folder:
            remove_stale(Path(folder))
    except Exception as exc:  # noqa: BLE001 - cleaning up must never stop the start
        log.warning("내보내기 임시 파일 정리 실패: %s", exc)


def list_backups(folder: Path | None = None, stem: str | None = None, *,
                 of: Path | None = None) -> list[BackupInfo]:
    """Automatic backups with date, reason and record counts, newest first.

    `of`: only the backups of that database (by identity, see backups_of).
    """
    found = backups_of(of, folder) if of is not None else automatic_backups(stem, folder)
    return [read_info(p, taken_at=when, reason=reason) for p, when, reason in found]
