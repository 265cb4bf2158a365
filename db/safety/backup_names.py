"""Where automatic backups are and their names: `<stem>-YYYYmmdd-HHMMSS-<reason>.sqlite`.

Below db/safety/backup.py and db/safety/integrity.py (which offers the newest good backup of a
damaged file), so that neither imports the other.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..paths import backup_dir
from .identity import identity_of, read_identity

NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<ts>\d{8}-\d{6})-(?P<reason>[a-z]+(?:-[a-z]+)*?)"
                     r"(?:-(?P<n>\d+))?\.sqlite$")
_ANY: Any = object()  # automatic_backups: any identity


def parse_name(name: str) -> tuple[str, dt.datetime, str] | None:
    """(stem, taken_at, reason) from an automatic backup's file name, or None.

    Backups taken within one second are numbered -2, -3…; that number becomes the
    microseconds of taken_at so that sorting by time keeps them in the order taken.
    """
    m = NAME_RE.match(name)
    if not m:
        return None
    try:
        when = dt.datetime.strptime(m["ts"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return m["stem"], when.replace(microsecond=int(m["n"] or 1)), m["reason"]


def automatic_backups(stem: str | None = None, folder: Path | None = None, *,
                      identity: Any = _ANY) -> list[tuple[Path, dt.datetime, str]]:
    """Automatic backups in `folder` (default data_dir()/backups), newest first.

    `identity` keeps only the backups of that database (read inside each file); None keeps the
    backups that carry no identity (taken before databases had one).
    """
    folder = folder or backup_dir()
    found = []
    for p in folder.glob("*.sqlite"):
        parsed = parse_name(p.name)
        if parsed and (stem is None or parsed[0] == stem):
            if identity is not _ANY and read_identity(p) != identity:
                continue
            found.append((p, parsed[1], parsed[2]))
    found.sort(key=lambda t: t[1], reverse=True)
    return found


def backups_of(db_path: Path, folder: Path | None = None) -> list[tuple[Path, dt.datetime, str]]:
    """The automatic backups of the database at `db_path`, by its identity; [] when unknown.

    A database without an identity (an older Dure's, never opened by this one) is matched by
    file stem among the backups that have no identity either, as before.
    """
    ident = identity_of(db_path)
    if ident is None:
        return automatic_backups(Path(db_path).stem, folder, identity=None)
    return automatic_backups(None, folder, identity=ident)
