"""Integrity checks on SQLite files, done read-only: a damaged file is never 'repaired'.

`quick_check(path)` lists what is wrong with a file (empty list = fine). `ensure_openable`
turns the findings into the DatabaseError subclass open_database raises, with the newest
good automatic backup attached as `suggested_backup`.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import DatabaseDamaged, DatabaseError, NotADureDatabase
from ..migrations import runner
from .backup_names import automatic_backups, backups_of

SQLITE_MAGIC = b"SQLite format 3\x00"
JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"  # a rollback journal still to be played back


FileKind = Literal["new", "ok", "not-sqlite", "foreign", "damaged"]


@dataclass
class FileCheck:
    """The verdict on one file: kind is new, ok, not-sqlite, foreign or damaged."""

    kind: FileKind
    problems: list[str] = field(default_factory=list)
    revision: str | None = None
    hot_journal: bool = False  # judged after rolling a copy's hot journal back

    @property
    def good(self) -> bool:
        return self.kind in ("new", "ok")


def ro_connect(path: Path, *, snapshot: bool = False, **kw: Any) -> sqlite3.Connection:
    """A read-only connection (URI mode=ro, path percent-encoded) that cannot change the file.

    `snapshot`: for a look at a file nobody writes (checks, previews). Without a -wal file
    beside it the file is opened immutable, because mode=ro on a WAL-mode database would
    still leave new -wal/-shm files in the folder.
    """
    path = Path(path).resolve()
    uri = path.as_uri().replace("file://", "file:", 1) + "?mode=ro"
    if snapshot and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    con: sqlite3.Connection = sqlite3.connect(uri, uri=True, timeout=5, **kw)
    return con


def _header_problems(path: Path, size: int) -> list[str]:
    """Problems visible in the 100-byte header: wrong magic, or a file shorter than it says."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    if head[:16] != SQLITE_MAGIC:
        return ["SQLite 데이터베이스 파일이 아닙니다(파일 머리말이 다름)."]
    if len(head) < 100:
        return ["파일이 잘려 있습니다(머리말이 100바이트보다 짧음)."]
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return [f"머리말의 페이지 크기({page_size})가 올바르지 않습니다."]
    pages = int.from_bytes(head[28:32], "big")
    counter_valid = head[24:28] == head[92:96]
    wal = path.with_name(path.name + "-wal")
    # With a non-empty WAL beside it the main file may legitimately lag behind its header
    # (a checkpoint cut short); SQLite's own check below then decides.
    if counter_valid and pages and size < pages * page_size and not _nonempty(wal):
        return [f"파일이 잘려 있습니다({size:,}바이트, 머리말 기준 {pages * page_size:,}바이트)."]
    return []


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def hot_journal(path: Path) -> Path | None:
    """The rollback journal beside `path` when SQLite would still have to play it back."""
    journal = Path(path).with_name(Path(path).name + "-journal")
    try:
        with open(journal, "rb") as fh:
            return journal if fh.read(8) == JOURNAL_MAGIC else None
    except OSError:
        return None


def _inspect_rolled_back(path: Path, journal: Path, full: bool) -> FileCheck:
    """Judge the file as SQLite will see it: roll a copy's hot journal back, then check the copy.

    A writer killed mid-transaction (a restore, a save in rollback-journal mode) leaves the
    file half-changed and the old pages in the journal; the next normal connection rolls them
    back. The copy lets us see that result without writing to a file that may be damaged.
    """
    with tempfile.TemporaryDirectory(prefix="dure-check-") as tmp:
        copy = Path(tmp) / "check.sqlite"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(journal, Path(f"{copy}-journal"))
        except OSError as exc:
            why = exc.strerror or exc
            text = ("중단된 저장의 되돌리기 기록(-journal)이 있는데 확인용 사본을 만들 수 "
                    f"없습니다: {why}")
            return FileCheck("damaged", [text])
        try:
            con = sqlite3.connect(copy, timeout=5)
            try:
                con.execute("PRAGMA schema_version").fetchone()  # plays the journal back
            finally:
                con.close()
        except sqlite3.Error as exc:
            return FileCheck("damaged", [f"중단된 저장을 되돌릴 수 없습니다: {exc}"])
        check = inspect_file(copy, full=full)
    check.hot_journal = True
    return check


def recover(path: Path) -> FileCheck:
    """Let SQLite roll a hot journal back in the real file, only once a copy proved it sound.

    The caller holds the lock. Returns the verdict; a damaged file is left untouched.
    """
    journal = hot_journal(path)
    if journal is None:
        return inspect_file(path)
    check = _inspect_rolled_back(path, journal, full=False)
    if check.good:
        con = sqlite3.connect(path, timeout=5)
        try:
            con.execute("PRAGMA schema_version").fetchone()
        finally:
            con.close()
    return check


def inspect_file(path: Path, *, full: bool = False) -> FileCheck:
    """Check a file without changing it; `full` runs integrity_check instead of quick_check."""
    path = Path(path)
    if not path.exists():
        return FileCheck("new")
    if path.is_dir():
        return FileCheck("not-sqlite", ["파일이 아니라 폴더입니다."])
    size = path.stat().st_size
    if size == 0 and hot_journal(path) is None:
        return FileCheck("new")
    journal = hot_journal(path)
    if journal is not None:
        return _inspect_rolled_back(path, journal, full)
    try:
        header = _header_problems(path, size)
    except OSError as exc:
        return FileCheck("damaged", [f"파일을 읽을 수 없습니다: {exc.strerror or exc}"])
    if header:
        not_sqlite = header[0].startswith("SQLite 데이터베이스 파일이 아닙")
        kind: FileKind = "not-sqlite" if not_sqlite else "damaged"
        return FileCheck(kind, header)
    try:
        con = ro_connect(path, snapshot=True)
    except sqlite3.Error as exc:
        return FileCheck("damaged", [f"파일을 열 수 없습니다: {exc}"])
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}(20)").fetchall()]
        if rows != ["ok"]:
            return FileCheck("damaged", [f"무결성 검사 실패: {r}" for r in rows])
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return FileCheck("new")
        if "alembic_version" not in tables:
            return FileCheck("foreign",
                             ["두레가 만든 데이터베이스가 아닙니다(alembic_version 표 없음)."])
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return FileCheck("ok", revision=row[0] if row else None)
    except sqlite3.Error as exc:
        return FileCheck("damaged", [f"데이터베이스를 읽을 수 없습니다: {exc}"])
    finally:
        con.close()


def quick_check(path: Path) -> list[str]:
    """What is wrong with the file (Korean, one line per problem); [] when it is fine or new."""
    return inspect_file(path).problems


def integrity_check(path: Path) -> list[str]:
    """Like quick_check but with the full PRAGMA integrity_check (indexes too); for backups."""
    return inspect_file(path, full=True).problems


def newest_good_backup(db_path: Path | None = None) -> Path | None:
    """The newest automatic backup of `db_path` (by its identity) that passes quick_check.

    Never another database's: a file whose identity cannot be told is offered nothing but the
    identity-less backups of its own file name (from before identities).
    """
    try:
        candidates = backups_of(db_path) if db_path is not None else automatic_backups()
    except OSError:
        return None
    for path, _when, _reason in candidates:
        check = inspect_file(path)
        if check.kind == "ok" and check.revision and runner.is_known(check.revision):
            return path
    return None


def ensure_openable(path: Path, *, recover_journal: bool = False) -> FileCheck:
    """Raise NotADureDatabase / DatabaseDamaged (with `suggested_backup`) for a bad file.

    `recover_journal` (the caller holds the lock): a hot journal that a copy shows to roll
    back cleanly is rolled back in the file itself, as SQLite would on the next write.
    """
    check = recover(path) if recover_journal else inspect_file(path)
    if check.good:
        return check
    detail = "\n".join(f"  · {p}" for p in check.problems[:5])
    if check.kind == "damaged":
        err: DatabaseError = DatabaseDamaged(
            f"'{path}' 데이터베이스 파일이 손상되었습니다(잘렸거나 내용이 깨짐).\n"
            f"{detail}\n"
            "이 파일은 변경하지 않았습니다. 가장 최근의 정상 백업에서 복원하세요."
        )
    else:
        err = NotADureDatabase(
            f"'{path}' 파일은 두레 데이터베이스가 아닙니다(손상되었거나 다른 종류의 파일).\n"
            f"{detail}\n다른 파일을 열거나, 백업에서 복원하세요. 이 파일은 변경하지 않았습니다."
        )
    err.suggested_backup = newest_good_backup(path)
    if err.suggested_backup is not None:
        err.args = (f"{err}\n가장 최근의 정상 백업: {err.suggested_backup}",)
    raise err
