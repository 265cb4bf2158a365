"""Where a database file lives: a network share (refused for writing) or read-only media.

SQLite's WAL needs shared memory that network file systems do not provide, and SMB byte-range
locks can fail silently: two PCs writing one file on a share can corrupt it. Such a file is
opened read-only at most; a writable open is refused with a Korean explanation. A file on
read-only media (write-protected USB stick, read-only mount) opens read-only instead of failing.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

MOUNTS = "/proc/self/mounts"
# File system types of network shares (Linux /proc/mounts names).
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs", "ceph", "coda", "ncpfs",
    "glusterfs", "lustre", "gpfs", "davfs", "sshfs", "fuse.sshfs", "fuse.glusterfs",
    "fuse.davfs2", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.cifs", "afpfs", "webdav",
})

NETWORK_MESSAGE = (
    "'{path}' 데이터베이스가 네트워크 드라이브(공유 폴더, {kind})에 있어 쓰기용으로 열지 "
    "않았습니다.\nSQLite 파일은 네트워크 드라이브에서 여러 PC가 함께 쓰면 잠금이 제대로 걸리지 "
    "않아 손상될 수 있습니다.\n파일을 이 PC(문서 폴더 등)로 복사해서 쓰거나, "
    "여러 PC가 함께 쓰려면 사무실 공용 PostgreSQL 서버를 쓰세요(--db postgresql://…). "
    "보기만 할 때는 읽기 전용으로 열 수 있습니다."
)


@dataclass(frozen=True)
class Place:
    """The file system a path is on: its type (or '') and whether it is network / read-only."""

    fs_type: str
    network: bool
    read_only: bool


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace(
        "\\134", "\\")


def mount_of(path: Path, mounts_text: str) -> tuple[str, str, set[str]] | None:
    """(mount point, fs type, options) of the mount holding `path`, from /proc/mounts text."""
    target = str(path)
    best: tuple[str, str, set[str]] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        point = _unescape(parts[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, parts[2], set(parts[3].split(",")))
    return best


def place_of(path: Path) -> Place:
    """Where `path` (a file or the folder it will be created in) lives."""
    path = Path(path)
    probe = path if path.exists() else path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    probe = probe.resolve()
    if sys.platform == "win32":
        return _windows_place(probe)
    fs_type, read_only = "", False
    try:
        with open(MOUNTS, encoding="utf-8", errors="replace") as fh:
            found = mount_of(probe, fh.read())
        if found:
            fs_type, read_only = found[1], "ro" in found[2]
    except OSError:
        pass
    try:
        read_only = read_only or bool(os.statvfs(probe).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        pass
    return Place(fs_type, fs_type in NETWORK_TYPES, read_only)


def _windows_place(path: Path) -> Place:
    # deferred: platform-specific (Windows or POSIX only)
    import ctypes

    text = str(path)
    if text.startswith("\\\\") and not text.startswith("\\\\?\\"):
        return Place("UNC", True, False)  # \\server\share\...
    root = os.path.splitdrive(text)[0] + "\\"
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    kind = kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))
    flags = ctypes.c_ulong()
    ok = kernel32.GetVolumeInformationW(ctypes.c_wchar_p(root), None, 0, None, None,
                                        ctypes.byref(flags), None, 0)
    read_only = bool(ok and flags.value & 0x00080000)  # FILE_READ_ONLY_VOLUME
    return Place("network drive" if kind == 4 else "", kind == 4, read_only)  # DRIVE_REMOTE
