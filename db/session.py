"""Opening a database: URL resolution, SQLite pragmas, migrations with a safety copy."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import DatabaseError, DatabaseTooNew, NotADureDatabase
from .paths import backup_dir, default_database_path

ENV_URL = "DURE_DATABASE_URL"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from `--db` (a path or a URL), DURE_DATABASE_URL, or the default file."""
    if db is None:
        db = os.environ.get(ENV_URL) or default_database_path()
    text = os.fspath(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another backend or an in-memory database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine with foreign keys and WAL on for SQLite."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
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


def _check_is_sqlite(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLAlchemy touches it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise NotADureDatabase(
            f"'{path}' 파일은 두레 데이터베이스가 아닙니다(손상되었거나 다른 종류의 파일).\n"
            "다른 파일을 열거나, 백업에서 복원하세요. 이 파일은 변경하지 않았습니다."
        )


@dataclass
class Database:
    """An open database: its URL, engine and session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    backup_taken: Path | None = None

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_database(db: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if need be) a Dure database and bring its schema to the newest version.

    A SQLite file with data is copied (online backup) before any migration. A database from a
    newer Dure, or a file that is not a Dure database, raises a DatabaseError with a Korean
    message and is left untouched.
    """
    from .migrations import runner

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        if path.exists() and path.is_dir():
            raise DatabaseError(f"'{path}'은(는) 폴더입니다. 데이터베이스 파일 경로를 지정하세요.")
        _check_is_sqlite(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    backup: Path | None = None
    try:
        with engine.connect() as conn:
            current = runner.current_revision(conn)
            has_tables = bool(inspect(conn).get_table_names())
        if current is None and has_tables:
            raise NotADureDatabase(
                "이 데이터베이스에는 두레가 만들지 않은 표가 들어 있습니다. 두레 데이터베이스가 아닙니다.\n"
                "새 데이터베이스를 만들거나 다른 파일을 여세요. 파일은 변경하지 않았습니다."
            )
        if current is not None and not runner.is_known(current):
            raise DatabaseTooNew(
                "이 데이터베이스는 더 새로운 버전의 두레에서 만들어졌습니다"
                f" (스키마 {current}).\n두레를 최신 버전으로 업데이트한 뒤 여세요. 파일은 변경하지 않았습니다."
            )
        if migrate and current != runner.head_revision():
            if path is not None and current is not None:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                backup = sqlite_backup(
                    path, backup_dir() / f"{path.stem}-before-migration-{current}-{stamp}.sqlite"
                )
            runner.upgrade(engine)
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise DatabaseError(_describe_db_failure(url, exc)) from exc
    except Exception:
        engine.dispose()
        raise
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False), backup)


def _describe_db_failure(url: str, exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    where = sqlite_path(url) or make_url(url).render_as_string(hide_password=True)
    if "file is not a database" in text or "malformed" in text:
        return (
            f"'{where}' 파일이 손상되었거나 두레 데이터베이스가 아닙니다.\n"
            "백업에서 복원하세요. 이 파일은 변경하지 않았습니다."
        )
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return (
            f"'{where}' 데이터베이스를 열거나 쓸 수 없습니다. 폴더가 있는지, 쓰기 권한이 있는지 확인하세요."
        )
    if "locked" in text:
        return f"'{where}' 데이터베이스를 다른 프로그램이 사용 중입니다. 잠시 후 다시 시도하세요."
    if "connection" in text or "could not connect" in text or "password" in text:
        return f"데이터베이스 서버({where})에 연결할 수 없습니다. 주소, 계정, 서버 상태를 확인하세요."
    return f"데이터베이스({where})를 열 수 없습니다: {exc}"
