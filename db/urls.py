"""Database URLs: from `--db`, DURE_DATABASE_URL or the default file; shown without password.

A leaf below db/session.py and db/safety/ (they both need a URL's file), so neither imports
the other for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from .errors import DatabaseError
from .paths import default_database_path

ENV_URL = "DURE_DATABASE_URL"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from `--db` (a path or a URL), DURE_DATABASE_URL, or the default file."""
    if db is None:
        db = os.environ.get(ENV_URL) or default_database_path()
    text = os.fspath(db)
    if "://" in text:
        return text
    if "?" in text:  # an SQLAlchemy URL would read the rest as options and open '.../a'
        raise DatabaseError(f"데이터베이스 파일 이름 '{text}'에 물음표(?)가 있습니다. "
                            "물음표는 파일 경로에 쓸 수 없으니, 물음표가 없는 이름으로 바꾼 뒤 "
                            "다시 여세요.")
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def shown_url(url: str) -> str:
    """A URL as it may be shown or printed: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL we can parse: show nothing secret from it
        return url.split("@")[-1] if "@" in url else url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another backend or an in-memory database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)
