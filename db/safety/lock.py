"""One desk at a time: a lock file beside an SQLite database while Dure writes to it.

`dure.sqlite.lock` is created atomically (O_CREAT | O_EXCL) and holds JSON: host, OS user,
pid, start time, Dure version and a random token. A second Dure gets DatabaseInUse (saying
who holds it and since when) and may open the file read-only instead.

Heartbeat: the holder touches the lock file's modification time every HEARTBEAT seconds
from a daemon thread (not on each write: a clerk may leave the window open all day without
saving, and that session must keep its lock). A lock is stale when it was written on this
computer by a process that no longer runs, or when its heartbeat is older than STALE_AFTER
(a crash on another PC sharing the folder, where the pid cannot be checked). Touching the
mtime is atomic, so a reader never sees a half-written lock because of the heartbeat.

The lock file is found by path, so a second name for the same file (a hard link, a symlink,
another case on Windows) would get past it. The holder therefore also locks the database file
itself: flock() on POSIX (SQLite's own locks are fcntl byte ranges, which flock does not
touch), a byte range far past SQLite's lock bytes with LockFileEx on Windows. Any path to the
same file meets that lock, and the system drops it when the holder dies. A lock file whose pid
now belongs to another program (its start time differs) is stale.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import DatabaseError, DatabaseInUse, FolderNotWritable
from .account import os_account

HEARTBEAT = 10 * 60.0  # seconds between touches of the lock file
STALE_AFTER = 12 * 3600.0  # a lock not touched for this long is abandoned
BREAK_GRACE = 30.0  # an unreadable or half-written lock younger than this is being written now


def lock_path(db_path: Path) -> Path:
    """`dure.sqlite` → `dure.sqlite.lock` in the same folder."""
    return db_path.with_name(db_path.name + ".lock")


def _user() -> str:
    return os_account()


def _version() -> str:
    try:
        # deferred: inside the try: an unpackaged run has no metadata
        from importlib.metadata import version

        return version("dure")
    except ImportError:
        return "0.1.0"


@dataclass(frozen=True)
class LockInfo:
    """What a lock file says about its holder."""

    hostname: str
    user: str
    pid: int
    started_at: str  # ISO local time
    version: str
    token: str
    process_start: str = ""  # when the pid's process started (pid reuse check); "" unknown

    @classmethod
    def mine(cls) -> LockInfo:
        return cls(socket.gethostname(), _user(), os.getpid(),
                   dt.datetime.now().isoformat(timespec="seconds"), _version(), uuid.uuid4().hex,
                   process_start(os.getpid()) or "")

    def describe(self) -> str:
        """'컴퓨터 PC-01의 사용자 kim이 2026-11-25 09:00부터' for messages."""
        since = self.started_at.replace("T", " ")[:16]
        return f"컴퓨터 '{self.hostname}'의 사용자 '{self.user}'(프로세스 {self.pid})가 {since}부터"


def read_lock(path: Path) -> LockInfo | None:
    """The lock's content, or None when it is missing, unreadable or not our JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(str(data["hostname"]), str(data["user"]), int(data["pid"]),
                        str(data["started_at"]), str(data.get("version", "")),
                        str(data.get("token", "")), str(data.get("process_start", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        # deferred: platform-specific (Windows or POSIX only)
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_start(pid: int) -> str | None:
    """When process `pid` started, as an opaque text (None when it cannot be told).

    Linux: boot id + start time in clock ticks (/proc/PID/stat field 22); Windows: the
    creation time from GetProcessTimes. A different value means the pid was reused.
    """
    if sys.platform == "win32":
        return _windows_start(pid)
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip()
        return f"{boot}:{fields[19]}"
    except (OSError, IndexError):
        return None


def _windows_start(pid: int) -> str | None:
    # deferred: platform-specific (Windows or POSIX only)
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        return f"{times[0].dwHighDateTime}:{times[0].dwLowDateTime}"
    finally:
        kernel32.CloseHandle(handle)


def stale_reason(info: LockInfo | None, age: float) -> str | None:
    """Why a lock may be cleared (Korean, for the log), or None when its holder may be alive."""
    if info is None:
        return "내용을 읽을 수 없는 잠금 파일" if age > BREAK_GRACE else None
    if info.hostname == socket.gethostname() and not pid_alive(info.pid):
        return f"이 컴퓨터에서 종료된 프로세스 {info.pid}의 잠금"
    if info.hostname == socket.gethostname() and info.process_start:
        now = process_start(info.pid)
        if now is not None and now != info.process_start:
            return f"프로세스 번호 {info.pid}이(가) 이제 다른 프로그램의 것인 잠금(두레는 종료됨)"
    if age > STALE_AFTER:
        return f"{age / 3600:.0f}시간 동안 갱신되지 않은 잠금"
    return None


class DatabaseLock:
    """A held lock: `release()` removes it (only if it is still ours)."""

    def __init__(self, path: Path, info: LockInfo, heartbeat: float = HEARTBEAT,
                 file_lock: FileLock | None = None) -> None:
        self.path = path
        self.info = info
        self.file_lock = file_lock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if heartbeat > 0:
            self._thread = threading.Thread(target=self._beat, args=(heartbeat,),
                                            name="dure-lock-heartbeat", daemon=True)
            self._thread.start()

    @property
    def held(self) -> bool:
        current = read_lock(self.path)
        return current is not None and current.token == self.info.token

    def _beat(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.touch()

    def touch(self) -> None:
        """Refresh the heartbeat (mtime) if the lock is still ours."""
        if self.held:
            try:
                os.utime(self.path)
            except OSError:
                pass  # the folder went away or became read-only: nothing useful to do here

    def lock_database_file(self, db_path: Path) -> None:
        """Lock the database file itself (again after it was created or replaced)."""
        if self.file_lock is not None:
            self.file_lock.release()
            self.file_lock = None
        self.file_lock = FileLock.take(db_path)

    def release(self) -> None:
        """Stop the heartbeat and remove the lock file if it still carries our token."""
        self._stop.set()
        if self.file_lock is not None:
            self.file_lock.release()
            self.file_lock = None
        if self.held:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass


def acquire(db_path: Path, heartbeat: float = HEARTBEAT) -> DatabaseLock:
    """Take the lock beside `db_path`, clearing a stale one; DatabaseInUse when it is held."""
    path = lock_path(db_path)
    info = LockInfo.mine()
    payload = json.dumps(asdict(info), ensure_ascii=False, indent=1).encode("utf-8")
    for _attempt in range(5):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            _clear_if_stale(path, db_path)
            continue
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise DatabaseError(f"'{path}' 잠금 파일을 만들 수 없습니다: "
                                    f"{exc.strerror or exc}") from exc
            raise FolderNotWritable(
                f"'{db_path.parent}' 폴더에 쓸 권한이 없어 데이터베이스를 쓰기용으로 열 수 "
                "없습니다.\n쓰기 권한이 있는 폴더로 옮기거나, 읽기 전용으로 여세요."
            ) from exc
        try:
            os.write(fd, payload)
            os.fsync(fd)
        except OSError as exc:  # full disk: leave no empty lock that would block for a while
            os.close(fd)
            path.unlink(missing_ok=True)
            raise DatabaseError(f"'{db_path.parent}'에 잠금 파일을 쓰지 못했습니다(디스크 공간이 "
                                f"부족합니다?): {exc.strerror or exc}. 공간을 비운 뒤 다시 "
                                "여세요.") from exc
        os.close(fd)
        try:
            file_lock = FileLock.take(db_path) if db_path.exists() else None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return DatabaseLock(path, info, heartbeat, file_lock)
    raise DatabaseInUse(f"'{db_path}' 파일의 잠금을 얻지 못했습니다. 잠시 후 다시 시도하세요.")


def _clear_if_stale(path: Path, db_path: Path) -> None:
    """Remove a stale lock, or raise DatabaseInUse naming its holder.

    Two Dures may find the same stale lock at once; a second O_EXCL file (`.lock.break`)
    makes sure only one of them removes it, so neither deletes the other's fresh lock.
    """
    info, age = read_lock(path), _age(path)
    if age is None:
        return  # it vanished meanwhile: try again
    reason = stale_reason(info, age)
    if reason is None:
        if info is None:  # being written this very moment
            time.sleep(0.05)
            return
        raise DatabaseInUse(
            f"'{db_path.name}' 데이터베이스를 {info.describe()} 사용 중입니다.\n"
            "그쪽 두레를 닫은 뒤 다시 열거나, 읽기 전용으로 여세요(보기만 가능).",
            holder=asdict(info),
        )
    breaker = path.with_name(path.name + ".break")
    try:
        fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if (_age(breaker) or 0) > BREAK_GRACE:  # a Dure died while breaking the lock
            breaker.unlink(missing_ok=True)
        time.sleep(0.05)
        return
    os.close(fd)
    try:
        again = read_lock(path)
        if (again.token if again else None) == (info.token if info else None):
            path.unlink(missing_ok=True)
    finally:
        breaker.unlink(missing_ok=True)


def _age(path: Path) -> float | None:
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except FileNotFoundError:
        return None


IN_USE_OTHER_NAME = ("이 데이터베이스 파일을 다른 두레가 이미 쓰고 있습니다(다른 경로나 바로 가기, "
                     "하드 링크로 연 같은 파일).\n그쪽 두레를 닫은 뒤 다시 열거나, "
                     "읽기 전용으로 여세요(보기만 가능).")
WINDOWS_LOCK_OFFSET = 1 << 62  # far past SQLite's lock bytes (1 GiB) and any real file size


class FileLock:
    """An exclusive lock on the database file itself, whatever path it was opened by."""

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    @classmethod
    def take(cls, db_path: Path) -> FileLock | None:
        """Lock `db_path`'s file; DatabaseInUse when another process (or open) holds it.

        None where the file cannot be opened for locking (the open itself will then say why).
        """
        try:
            fd = os.open(db_path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
        try:
            locked = _lock_fd(fd)
        except OSError:
            locked = True  # a file system without locks: the lock file alone has to do
        if not locked:
            os.close(fd)
            raise DatabaseInUse(IN_USE_OTHER_NAME)
        return cls(fd)

    def release(self) -> None:
        if self.fd is not None:
            try:
                _unlock_fd(self.fd)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None


def _lock_fd(fd: int) -> bool:
    if sys.platform == "win32":
        return _windows_range(fd, lock=True)
    # deferred: platform-specific (Windows or POSIX only)
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock_fd(fd: int) -> None:
    if sys.platform == "win32":
        _windows_range(fd, lock=False)
        return
    # deferred: platform-specific (Windows or POSIX only)
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _windows_range(fd: int, *, lock: bool) -> bool:
    # deferred: platform-specific (Windows or POSIX only)
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class OVERLAPPED(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD),
                    ("hEvent", wintypes.HANDLE)]

    handle = msvcrt.get_osfhandle(fd)  # type: ignore[attr-defined]  # Windows only
    ov = OVERLAPPED(0, 0, WINDOWS_LOCK_OFFSET & 0xFFFFFFFF, WINDOWS_LOCK_OFFSET >> 32, None)
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    if lock:  # LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY
        return bool(kernel32.LockFileEx(wintypes.HANDLE(handle), 0x2 | 0x1, 0, 1, 0,
                                        ctypes.byref(ov)))
    return bool(kernel32.UnlockFileEx(wintypes.HANDLE(handle), 0, 1, 0, ctypes.byref(ov)))
