"""Errors that carry a Korean message meant for the desk clerk."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class DureError(Exception):
    """An expected failure: `str(err)` is a Korean message saying what is wrong and what to do."""


class DatabaseError(DureError):
    """The database cannot be opened or used as it is."""

    # The newest automatic backup that passed the integrity check, offered to the clerk
    # when the file itself cannot be opened (set by db.session.open_database).
    suggested_backup: Path | None = None


class DatabaseTooNew(DatabaseError):
    """The file was written by a newer Dure than this one."""


class NotADureDatabase(DatabaseError):
    """The file is not a Dure database, or it is damaged."""


class DatabaseDamaged(NotADureDatabase):
    """The file is an SQLite database but fails the integrity check (truncated, corrupt)."""


class DatabaseInUse(DatabaseError):
    """Another Dure (this or another computer) holds the lock on the file; `holder` says who."""

    def __init__(self, message: str, holder: dict[str, Any] | None = None) -> None:
        self.holder = holder or {}
        super().__init__(message)


class NetworkDatabase(DatabaseError):
    """An SQLite file on a network share: refused for writing (WAL and SMB locks fail there)."""


class FolderNotWritable(DatabaseError):
    """The database's folder cannot be written (no lock file can be made there)."""


class ReadOnlyDatabase(DatabaseError):
    """A write was attempted on a database opened read-only."""


class ValidationFailed(DureError):
    """A record breaks the rules; `problems` lists each field's Korean message."""

    def __init__(self, problems: list[Any]) -> None:  # list[rules.Problem]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems) or "입력값을 확인하세요.")


class Cancelled(DureError):
    """The user cancelled an export; nothing was written (raised inside exports/ too)."""

    def __init__(self) -> None:
        super().__init__("내보내기를 취소했습니다. 파일을 만들지 않았습니다.")
