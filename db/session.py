"""Opening a database: URL resolution, SQLite pragmas, integrity check, lock, migrations."""

from __future__ import annotations

import os
import sqlite3
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import (
    DatabaseError,
    DatabaseTooNew,
    DureError,
    FolderNotWritable,
    NetworkDatabase,
    NotADureDatabase,
    ReadOnlyDatabase,
)
from .migrations import runner
from .paths import backup_dir
from .safety import filesystem, history, integrity
from .safety import lock as locking
from .safety.backup import automatic_backup
from .safety.identity import ensure_identity, remember
from .safety.integrity import ro_connect
from .safety.lock import DatabaseLock
from .safety.tempfiles import remove_stale
from .urls import ENV_URL as ENV_URL
from .urls import resolve_url as resolve_url
from .urls import shown_url as shown_url
from .urls import sqlite_path as sqlite_path

if TYPE_CHECKING:
    from .safety.precheck import Precheck


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_pragmas_ro(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA query_only=ON")  # belt and braces on top of mode=ro
    cur.close()


READ_ONLY_MESSAGE = (
    "이 데이터베이스는 읽기 전용으로 열려 있어 저장할 수 없습니다.\n"
    "다른 두레가 쓰고 있다면 그 창을 닫은 뒤 다시 열어야 저장할 수 있습니다."
)


def _refuse_flush(session: Session, _ctx: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyDatabase(READ_ONLY_MESSAGE)


def _readonly_error(ctx: object) -> None:
    text = str(getattr(ctx, "original_exception", "")).lower()
    if "readonly" in text or "read-only" in text or "query_only" in text:
        cause = ctx.original_exception  # type: ignore[attr-defined]
        raise ReadOnlyDatabase(READ_ONLY_MESSAGE) from cause


def _write_failure(ctx: object) -> None:
    """Turn SQLite's full-disk / read-only-file / I/O failures into Korean DureErrors.

    SQLite rolls the transaction back in each case, so nothing is half-written; the clerk
    needs to know why the save did not happen and what to do.
    """
    text = str(getattr(ctx, "original_exception", "")).lower()
    orig = ctx.original_exception  # type: ignore[attr-defined]
    if "disk is full" in text:
        raise DureError("디스크 공간이 부족해 저장하지 못했습니다. 디스크 공간을 비운 뒤 다시 "
                        "저장하세요.\n저장하지 못한 내용 외에 이미 저장된 기록은 "
                        "그대로입니다.") from orig
    if "readonly" in text or "read-only" in text:
        raise DureError("데이터베이스 파일이나 폴더가 읽기 전용이라 저장할 수 없습니다.\n"
                        "파일 속성(읽기 전용)과 폴더 쓰기 권한을 확인하세요. "
                        "저장된 기록은 그대로입니다.") from orig
    if "disk i/o error" in text:
        raise DureError("디스크 오류로 저장하지 못했습니다(저장 장치 분리, "
                        "네트워크 드라이브 끊김 등).\n"
                        "장치를 확인하고 두레를 다시 여세요. 이미 저장된 기록은 "
                        "그대로입니다.") from orig


def make_engine(url: str, *, read_only: bool = False, media_read_only: bool = False) -> Engine:
    """An engine with foreign keys and WAL on for SQLite; `read_only` opens with mode=ro.

    `media_read_only`: the file is on read-only media, where nobody can change it and SQLite
    could not create the -shm file a WAL database needs, so it is opened immutable.
    """
    path = sqlite_path(url)
    if read_only and path is not None:
        def creator() -> sqlite3.Connection:
            # check_same_thread: the pool hands the connection to threads
            return ro_connect(path, snapshot=media_read_only, check_same_thread=False)

        engine = create_engine(url, future=True, creator=creator)
        event.listen(engine, "connect", _sqlite_pragmas_ro)
        event.listen(engine, "handle_error", _readonly_error)
        return engine
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _write_failure)
    return engine


def sqlite_backup(src: Path, dest: Path) -> Path:
    """Copy a live SQLite database with the online backup API (never a file copy)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return dest


@dataclass
class Database:
    """An open database: its URL, engine and session factory (close() also frees the lock)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    backup_taken: Path | None = None
    read_only: bool = False
    lock: DatabaseLock | None = None
    closed: bool = field(default=False, init=False, compare=False)  # close() was called

    def __post_init__(self) -> None:
        # A Database dropped without close() still frees its lock when collected or at exit.
        self._finalizer = weakref.finalize(self, _release, self.lock) if self.lock else None

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def where(self) -> str:
        """The file, or the URL without its password, for messages and the status bar."""
        return str(self.path) if self.path is not None else shown_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        """Dispose every pooled connection and remove the lock file."""
        self.closed = True  # background reads still queued for it do not run
        self.engine.dispose()
        if self._finalizer is not None:
            self._finalizer()


def _release(lock: DatabaseLock | None) -> None:
    if lock is not None:
        lock.release()


def open_database(db: str | os.PathLike[str] | None = None, *, migrate: bool = True,
                  read_only: bool = False, create: bool = True,
                  precheck: Precheck | None = None) -> Database:
    """Open (creating if need be) a Dure database and bring its schema to the newest version.

    An SQLite file is first checked read-only (damaged or foreign files raise a DatabaseError
    carrying `suggested_backup` and are never changed) and locked for this Dure
    (DatabaseInUse when another holds it). `read_only=True` takes no lock, opens with
    mode=ro and refuses writes with ReadOnlyDatabase. A file with data is backed up
    (db.safety.backup.automatic_backup, reason "migration") before any migration. A database
    from a newer Dure raises DatabaseTooNew and is left untouched.

    `precheck` (the window's start, db/safety/precheck.py): the integrity check already run
    on a thread; its verdict stands in for the check here only when it found the file sound
    and the file has not changed since. Any other case is checked here as always.
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    held: DatabaseLock | None = None
    media_ro = False
    if path is not None:
        if path.exists() and path.is_dir():
            raise DatabaseError(f"'{path}'은(는) 폴더입니다. 데이터베이스 파일 경로를 지정하세요.")
        if not create and not path.exists():
            raise DatabaseError(f"'{path}' 데이터베이스 파일이 없습니다. 경로를 확인하세요"
                                "(파일도 폴더도 만들지 않았습니다).")
        place = filesystem.place_of(path)
        if place.network and not read_only:
            raise NetworkDatabase(filesystem.NETWORK_MESSAGE.format(path=path, kind=place.fs_type))
        if place.read_only:
            if not path.exists() or path.stat().st_size == 0:
                raise DatabaseError(f"'{path.parent}'은(는) 읽기 전용 장치(쓰기 방지된 USB 등)라 "
                                    "새 데이터베이스를 만들 수 없습니다. "
                                    "쓸 수 있는 폴더를 고르세요.")
            read_only = media_ro = True  # opens read-only instead of failing
        if read_only:
            if not path.exists() or path.stat().st_size == 0:
                raise DatabaseError(f"'{path}' 데이터베이스 파일이 없어 "
                                    "읽기 전용으로 열 수 없습니다.")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                held = locking.acquire(path)
            except FolderNotWritable:
                if not path.exists() or path.stat().st_size == 0:
                    raise
                read_only = True  # a read-only share or folder: look, do not write
            _remove_leftovers(path)
            if migrate and (not path.exists() or path.stat().st_size == 0):
                try:
                    _create_new(path)
                    assert held is not None  # acquired above: only a taken lock creates
                    held.lock_database_file(path)
                except Exception:
                    _release(held)
                    raise
        try:
            if precheck is None or precheck.verdict(path) is None:
                integrity.ensure_openable(path, recover_journal=held is not None)
        except Exception:
            _release(held)
            raise
    engine = make_engine(url, read_only=read_only, media_read_only=media_ro)
    backup: Path | None = None
    try:
        with engine.connect() as conn:
            current = runner.current_revision(conn)
            has_tables = bool(inspect(conn).get_table_names())
        if current is None and has_tables:
            raise NotADureDatabase(
                "이 데이터베이스에는 두레가 만들지 않은 표가 들어 있습니다. "
                "두레 데이터베이스가 아닙니다.\n"
                "새 데이터베이스를 만들거나 다른 파일을 여세요. 파일은 변경하지 않았습니다."
            )
        if current is not None and not runner.is_known(current):
            raise DatabaseTooNew(
                f"이 데이터베이스는 더 새로운 버전의 두레에서 만들어졌습니다 (스키마 {current}).\n"
                "두레를 최신 버전으로 업데이트한 뒤 여세요. 파일은 변경하지 않았습니다."
            )
        if read_only and current != runner.head_revision():
            raise DatabaseError(
                "이 데이터베이스는 이전 버전의 두레 형식이라 읽기 전용으로는 열 수 없습니다.\n"
                "쓰기 모드로 한 번 열어 형식을 갱신한 뒤 다시 시도하세요."
            )
        if not read_only and current is not None and path is not None:
            remember(path, ensure_identity(path))  # before the migration backup: it carries it
        if migrate and current != runner.head_revision():
            if path is not None and current is not None:
                backup = automatic_backup(path, "migration")
            if current is None:  # an empty database (a new one on the server): no history
                runner.create_schema(engine)
            else:
                runner.upgrade(engine)
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        _release(held)
        raise DatabaseError(_describe_db_failure(url, exc)) from exc
    except Exception:
        engine.dispose()
        _release(held)
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    history.install()  # every ORM write of an opened database is logged (변경 이력)
    if read_only:
        event.listen(sessions, "before_flush", _refuse_flush)
    return Database(url, engine, sessions, backup, read_only, held)


def _remove_leftovers(path: Path) -> None:
    """Temporaries of killed backups, restores and exports beside the file and in backups/."""
    try:
        remove_stale(path.parent, backup_dir())
    except OSError:
        pass  # an unwritable data folder: the open itself reports what matters


def _create_new(path: Path) -> None:
    """Build a new database beside `path` and move it into place only when complete.

    The schema comes from the models in one go (runner.create_schema); a power cut while it is
    written would otherwise leave a half-built file that later opens refuse.
    """
    partial = path.with_name(path.name + ".creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{partial}")
    try:
        runner.create_schema(engine)
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        partial.unlink(missing_ok=True)
        raise DatabaseError(_describe_db_failure(f"sqlite:///{path}", exc)) from exc
    engine.dispose()
    ensure_identity(partial)  # a database is born with its identity
    os.replace(partial, path)


def _describe_db_failure(url: str, exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    where = sqlite_path(url) or shown_url(url)
    if "file is not a database" in text or "malformed" in text:
        return (
            f"'{where}' 파일이 손상되었거나 두레 데이터베이스가 아닙니다.\n"
            "백업에서 복원하세요. 이 파일은 변경하지 않았습니다."
        )
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return (
            f"'{where}' 데이터베이스를 열거나 쓸 수 없습니다. 폴더가 있는지, "
            "쓰기 권한이 있는지 확인하세요."
        )
    if "locked" in text:
        return f"'{where}' 데이터베이스를 다른 프로그램이 사용 중입니다. 잠시 후 다시 시도하세요."
    if "connection" in text or "could not connect" in text or "password" in text:
        return (f"데이터베이스 서버({where})에 연결할 수 없습니다. 주소, 계정, "
                "서버 상태를 확인하세요.")
    return f"데이터베이스({where})를 열 수 없습니다: {_without_password(url, str(exc))}"


def _without_password(url: str, text: str) -> str:
    """A driver's error text with the URL's password (if any) blanked out."""
    password = make_url(url).password
    return text.replace(str(password), "***") if password else text
