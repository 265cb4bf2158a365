"""Errors that carry a Korean message meant for the desk clerk."""

from __future__ import annotations


class DureError(Exception):
    """An expected failure: `str(err)` is a Korean message saying what is wrong and what to do."""


class DatabaseError(DureError):
    """The database cannot be opened or used as it is."""


class DatabaseTooNew(DatabaseError):
    """The file was written by a newer Dure than this one."""


class NotADureDatabase(DatabaseError):
    """The file is not a Dure database, or it is damaged."""


class ValidationFailed(DureError):
    """A record breaks the rules; `problems` lists each field's Korean message."""

    def __init__(self, problems: list) -> None:  # list[rules.Problem]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems) or "입력값을 확인하세요.")
