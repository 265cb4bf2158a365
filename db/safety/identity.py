"""Every database carries an identity in its file header: its backups are the ones that share it.

Backups used to be keyed by the file's stem, so two databases both named `dure.sqlite` in
different folders shared one set: one rotated the other's backups away, and the damaged one
was offered the other's backup. The identity is 64 random bits in the SQLite header's
application_id and user_version fields (Dure uses neither otherwise): written when a database
is created or first opened by this Dure, copied into every backup with the pages, readable
from the first 100 bytes even when the rest of the file is damaged, and put back after a
restore. A small registry in the data folder remembers the identity of each path opened, so a
file whose header is gone still finds its own backups, and only those.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from pathlib import Path

from ..paths import data_dir

REGISTRY = "databases.json"
SQLITE_MAGIC = b"SQLite format 3\x00"


def read_identity(path: Path) -> str | None:
    """The identity in an SQLite file's header (16 hex digits); None when it has none."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return None
    if len(head) < 100 or head[:16] != SQLITE_MAGIC:
        return None
    app, user = head[68:72], head[60:64]
    if app == b"\0" * 4 and user == b"\0" * 4:
        return None
    return (app + user).hex()


def _pragmas(ident: str) -> tuple[int, int]:
    raw = bytes.fromhex(ident)
    return (int.from_bytes(raw[:4], "big", signed=True),
            int.from_bytes(raw[4:], "big", signed=True))


def set_identity(path: Path, ident: str) -> None:
    """Write `ident` into the header of the SQLite file at `path` (one small transaction)."""
    app, user = _pragmas(ident)
    con = sqlite3.connect(path, timeout=5)
    try:
        con.execute(f"PRAGMA application_id = {app}")
        con.execute(f"PRAGMA user_version = {user}")
        con.commit()
        # In WAL mode the new header sits in the -wal file; put it into the file's own header
        # now, where read_identity (and a damaged-file check) reads it.
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def ensure_identity(path: Path) -> str:
    """The identity of the SQLite database at `path`, created now if it has none."""
    ident = read_identity(path)
    if ident is None:
        ident = secrets.token_bytes(8).hex()
        while ident == "0" * 16:
            ident = secrets.token_bytes(8).hex()
        set_identity(path, ident)
    return ident


def _registry_path() -> Path:
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
