"""The start-up's integrity check, run on a thread while the window loads SQLAlchemy (issue 13).

`PRAGMA quick_check` runs inside SQLite without Python's lock, so it overlaps the imports of
SQLAlchemy and the ORM on the GUI thread instead of following them (at 1,000,000 records it
takes about 0.4 s of CPU). `open_database` then takes the verdict only when it is "ok" and the
file, its -wal and its -journal are exactly as they were when the check began; otherwise it
checks again itself, so a damaged file is refused by the same code and message as before,
before anything is written to it.

This module imports no SQLAlchemy (it runs before SQLAlchemy is loaded).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from .integrity import FileCheck, inspect_file

Signature = tuple[tuple[int, int, int] | None, ...]


def signature(path: Path) -> Signature:
    """(size, mtime, inode) of the file, its -wal and its -journal (None: not there)."""
    out: list[tuple[int, int, int] | None] = []
    for name in (path.name, path.name + "-wal", path.name + "-journal"):
        try:
            st = os.stat(path.with_name(name))
        except OSError:
            out.append(None)
        else:
            out.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def file_state(path: Path) -> list[Any]:
    """What changes whenever anything writes the file, as JSON-able lists: for the file, its
    -wal and its -journal (None: not there) the device, inode, size, modification time and
    the first 100 bytes (SQLite's header carries a change counter and the schema cookie; a
    -wal's header, its checkpoint sequence and salts). Reading never changes it (not the
    change time: SQLite run as root gives an opened -wal the file's owner, a metadata change).
    gui/dashboard_screen.py compares it to prove the figures it saved still hold."""
    out: list[Any] = []
    for name in (path.name, path.name + "-wal", path.name + "-journal"):
        where = path.with_name(name)
        try:
            st = os.stat(where)
            with open(where, "rb") as fh:
                head = fh.read(100)
        except OSError:
            out.append(None)
        else:
            out.append([st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, head.hex()])
    return out


def plain_path(target: Any) -> Path | None:
    """The SQLite file `db.urls.resolve_url(target)` names, when that is a plain path.

    None for a URL (a server, or a written-out sqlite:// URL), a name with '?', or anything
    but a path: those open as before, checked by open_database alone.
    """
    if target is None:
        target = os.environ.get("DURE_DATABASE_URL") or None
        if target is None:
            # deferred: db.paths creates the data folder; only for the default database
            from ..paths import default_database_path

            target = default_database_path()
    if not isinstance(target, (str, os.PathLike)):
        return None
    text = os.fspath(target)
    if not isinstance(text, str) or not text or "://" in text or "?" in text:
        return None
    return Path(text).expanduser().resolve()


class Precheck:
    """`inspect_file(path, full=full)` on a daemon thread, started at once."""

    def __init__(self, path: Path, *, full: bool = False) -> None:
        self.path = path
        self.full = full  # integrity_check (main.py check runs it anyway) instead of quick_check
        self._before: Signature | None = None
        self._check: FileCheck | None = None
        self._thread = threading.Thread(target=self._run, name="dure-precheck", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            before = signature(self.path)
            if before[0] is None or before[2] is not None:
                return  # a new file, or a -journal to judge: open_database's own check
            self._check = inspect_file(self.path, full=self.full)
            self._before = before
        except Exception:  # noqa: BLE001 - any doubt: open_database checks again itself
            self._check = None

    def verdict(self, path: Path) -> FileCheck | None:
        """The good verdict on `path` if nothing about the file changed since it was made;
        None otherwise (the caller runs the check itself)."""
        self._thread.join()
        check = self._check
        if check is None or check.kind != "ok" or Path(path) != self.path:
            return None
        if self._before is None or signature(self.path) != self._before:
            return None
        return check
