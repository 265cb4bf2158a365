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

from ..errors import DatabaseError, DatabaseInUse
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

    @classmethod
    def mine(cls) -> LockInfo:
        return cls(socket.gethostname(), _user(), os.getpid(),
                   dt.datetime.now().isoformat(timespec="seconds"), _version(), uuid.uuid4().hex)

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
                        str(data.get("token", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
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


def stale_reason(info: LockInfo | None, age: float) -> str | None:
    """Why a lock may be cleared (Korean, for the log), or None when its holder may be alive."""
    if info is None:
        return "내용을 읽을 수 없는 잠금 파일" if age > BREAK_GRACE else None
    if info.hostname == socket.gethostname() and not pid_alive(info.pid):
        return f"이 컴퓨터에서 종료된 프로세스 {info.pid}의 잠금"
    if age > STALE_AFTER:
        return f"{age / 3600:.0f}시간 동안 갱신되지 않은 잠금"
    return None


class DatabaseLock:
    """A held lock: `release()` removes it (only if it is still ours)."""

    def __init__(self, path: Path, info: LockInfo, heartbeat: float = HEARTBEAT) -> None:
        self.path = path
        self.info = info
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

    def release(self) -> None:
        """Stop the heartbeat and remove the lock file if it still carries our token."""
        self._stop.set()
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
                raise DatabaseError(f"'{path}' 잠금 파일을 만들 수 없습니다: {exc.strerror or exc}") from exc
            raise DatabaseError(
                f"'{db_path.parent}' 폴더에 쓸 권한이 없어 데이터베이스를 쓰기용으로 열 수 없습니다.\n"
                "쓰기 권한이 있는 폴더로 옮기거나, 읽기 전용으로 여세요."
            ) from exc
        try:
            os.write(fd, payload)
            os.fsync(fd)
        except OSError as exc:  # full disk: leave no empty lock that would block for a while
            os.close(fd)
            path.unlink(missing_ok=True)
            raise DatabaseError(f"'{db_path.parent}'에 잠금 파일을 쓰지 못했습니다(디스크 공간이 부족합니다?): "
                                f"{exc.strerror or exc}. 공간을 비운 뒤 다시 여세요.") from exc
        os.close(fd)
        return DatabaseLock(path, info, heartbeat)
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
