"""Dure's own temporary files: named with the writer's pid, cleared when that writer is gone.

A backup, restore or export writes to a hidden temporary beside its target and renames it at
the end; a kill in between leaves the temporary behind (10 killed backups left 2.4 GB). Every
temporary carries the pid of the process writing it, so a later Dure can tell a leftover from
a file another Dure is writing right now, and removes only leftovers.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

from .lock import pid_alive

log = logging.getLogger(__name__)

# .<target name>.<pid>.tmp / .restore (+ SQLite side files); .dure-<pid>-<random><suffix>
_PATTERNS = (
    re.compile(r"^\..+\.(?P<pid>\d+)\.(?:tmp|restore)(?:-journal|-wal|-shm)?$"),
    re.compile(r"^\.dure-(?P<pid>\d+)-[A-Za-z0-9_]+(?:\.[A-Za-z0-9]+)?$"),
)
GRACE = 60.0  # a temporary younger than this may belong to a writer on another computer
ABANDONED = 24 * 3600.0  # older than this it is a leftover whoever wrote it


def export_prefix() -> str:
    """The prefix of an export's temporary name (tempfile adds a random part)."""
    return f".dure-{os.getpid()}-"


def normal_mode() -> int:
    """The mode a plain `open(path, 'w')` would give a new file under the current umask."""
    mask = _read_umask()
    return 0o666 & ~mask


def _read_umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no way to read it without setting it; put it straight back
    os.umask(mask)
    return mask


def give_normal_mode(path: Path) -> None:
    """mkstemp makes files 0600; an exported file should be readable as a normal save is."""
    if os.name == "posix":
        os.chmod(path, normal_mode())


def _writer_gone(pid: int, age: float) -> bool:
    if age > ABANDONED:
        return True
    return age > GRACE and (pid == 0 or not pid_alive(pid))


def remove_stale(*folders: Path | None) -> list[Path]:
    """Remove Dure's leftover temporaries in `folders`; returns what was removed (never raises)."""
    removed: list[Path] = []
    now = time.time()
    for folder in {Path(f) for f in folders if f is not None}:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            match = next((m for p in _PATTERNS if (m := p.match(entry.name))), None)
            if match is None:
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                age = now - entry.stat(follow_symlinks=False).st_mtime
                pid = int(match["pid"])
                if pid == os.getpid() or not _writer_gone(pid, age):
                    continue
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                continue
    if removed:
        log.info("남은 임시 파일 %d개를 지웠습니다: %s", len(removed),
                 ", ".join(map(str, removed[:5])))
    return removed
