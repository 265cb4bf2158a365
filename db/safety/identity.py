"""Every database carries an identity (a random id in its `setting` table): backups belong to it.

Backups used to be keyed by the file's stem, so two databases both named `dure.sqlite` in
different folders shared one set: one rotated the other's backups away, and the damaged one
was offered the other's backup. The identity is written when a database is first opened by
this Dure, travels inside every backup (they are whole copies) and is kept by a restore.
A small registry in the data folder remembers the identity of each path opened, so a file
too damaged to read still finds its own backups, and only those.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import Engine, text

KEY = "database_id"
REGISTRY = "databases.json"
_cache: dict[tuple[str, int, int], str | None] = {}


def read_identity(path: Path) -> str | None:
    """The identity stored inside an SQLite file, read-only; None when it has none or is unreadable."""
    from .integrity import ro_connect

    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key in _cache:
        return _cache[key]
    found: str | None = None
    try:
        con = ro_connect(path, snapshot=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (KEY,)).fetchone()
            found = str(row[0]) if row and row[0] else None
        finally:
            con.close()
    except sqlite3.Error:
        found = None
    if len(_cache) > 512:
        _cache.clear()
    _cache[key] = found
    return found


def ensure_identity(engine: Engine) -> str | None:
    """The database's identity, created now if it has none (None before the schema exists).

    Written with plain SQL, so the change history does not list it as a settings edit.
    """
    with engine.begin() as conn:
        if not engine.dialect.has_table(conn, "setting"):
            return None
        row = conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": KEY}).first()
        if row and row[0]:
            return str(row[0])
        ident = uuid.uuid4().hex
        conn.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": KEY, "v": ident})
        return ident


def set_identity(path: Path, ident: str) -> None:
    """Write `ident` into the SQLite file at `path` (after a restore: the file keeps its own)."""
    con = sqlite3.connect(path, timeout=5)
    try:
        with con:
            con.execute("DELETE FROM setting WHERE key = ?", (KEY,))
            con.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (KEY, ident))
    finally:
        con.close()


def _registry_path() -> Path:
    from ..paths import data_dir

    return data_dir() / REGISTRY


def _load_registry() -> dict[str, str]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remember(path: Path, ident: str) -> None:
    """Note which identity the file at `path` has (never raises: it is only a fallback)."""
    key = str(Path(path).resolve())
    known = _load_registry()
    if known.get(key) == ident:
        return
    known[key] = ident
    target = _registry_path()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)


def identity_of(path: Path) -> str | None:
    """The identity of the database at `path`: from inside it, else as last remembered."""
    return read_identity(path) or _load_registry().get(str(Path(path).resolve()))
