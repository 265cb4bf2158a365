"""One desk at a time: the lock file, a second Dure, read-only opens, stale locks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from db import service
from db.errors import DatabaseInUse, ReadOnlyDatabase
from db.models import Organization
from db.safety import lock as locking
from db.session import open_database
from tests import zygote

ROOT = Path(__file__).resolve().parent.parent


def _lock_of(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def test_lock_file_says_who_holds_it_and_goes_on_close(db):
    data = json.loads(_lock_of(db.path).read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid() and data["hostname"] == socket.gethostname()
    assert {"user", "started_at", "version", "token"} <= set(data)
    db.close()
    assert not _lock_of(db.path).exists()
    db.close()  # twice is harmless


def test_second_open_in_one_process_is_refused_with_who_and_since(db):
    with pytest.raises(DatabaseInUse) as err:
        open_database(db.path)
    message = str(err.value)
    assert socket.gethostname() in message and "사용 중" in message and "읽기 전용" in message
    assert err.value.holder["pid"] == os.getpid()
    db.close()
    open_database(db.path).close()  # free again


def test_read_only_open_reads_and_refuses_writes(db):
    service.save(db, Organization(name="㈜마을숲", kind="기타"))
    viewer = open_database(db.path, read_only=True)
    try:
        assert viewer.read_only
        with viewer.session() as s:
            assert [o.name for o in s.query(Organization)] == ["㈜마을숲"]
        with pytest.raises(ReadOnlyDatabase, match="읽기 전용"):
            service.save(viewer, Organization(name="몰래", kind="기타"))
    finally:
        viewer.close()
    assert _lock_of(db.path).exists()  # the viewer never touched the writer's lock
    with db.session() as s:
        assert s.query(Organization).count() == 1


CHILD = textwrap.dedent("""
    import sys
    from db.session import open_database
    from db.errors import DatabaseInUse
    try:
        database = open_database(sys.argv[1])
    except DatabaseInUse as exc:
        print("IN USE", exc, flush=True)
        sys.exit(4)
    print("OPEN", flush=True)
    if sys.stdin.readline().strip() == "close":
        database.close()
    # otherwise: exit without close(); atexit/finalizer must remove the lock
""")


def _child(path: Path) -> subprocess.Popen:
    """A second Dure process (forked by the tests' zygote: it has the models imported)."""
    return zygote.Popen([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, text=True,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_second_dure_in_another_process(tmp_path):
    path = tmp_path / "shared.sqlite"
    child = _child(path)
    try:
        assert child.stdout.readline().strip() == "OPEN"
        with pytest.raises(DatabaseInUse, match=f"프로세스 {child.pid}"):
            open_database(path)
        child.stdin.write("exit\n")  # a normal exit without close()
        child.stdin.flush()
        assert child.wait(30) == 0
    finally:
        child.kill()
    assert not _lock_of(path).exists()
    mine = open_database(path)
    try:
        other = _child(path)
        out, _ = other.communicate("", timeout=30)
        assert other.returncode == 4 and "사용 중" in out
    finally:
        mine.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_lock_of_a_killed_dure_is_cleared(tmp_path):
    path = tmp_path / "crashed.sqlite"
    child = _child(path)
    assert child.stdout.readline().strip() == "OPEN"
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert json.loads(_lock_of(path).read_text())["pid"] == child.pid  # left behind
    database = open_database(path)
    try:
        assert json.loads(_lock_of(path).read_text())["pid"] == os.getpid()
    finally:
        database.close()


def _write_lock(path: Path, *, host: str, pid: int, age: float = 0.0) -> Path:
    lock = _lock_of(path)
    lock.write_text(json.dumps({"hostname": host, "user": "kim", "pid": pid,
                                "started_at": "2026-01-05T09:00:00", "version": "0.1.0",
                                "token": "x"}), encoding="utf-8")
    if age:
        then = time.time() - age
        os.utime(lock, (then, then))
    return lock


def test_fresh_lock_from_another_computer_is_respected(tmp_path):
    path = tmp_path / "net.sqlite"
    _write_lock(path, host="민원실-PC2", pid=1234)
    with pytest.raises(DatabaseInUse) as err:
        open_database(path)
    message = str(err.value)
    assert "민원실-PC2" in message and "kim" in message and "2026-01-05 09:00" in message


def test_abandoned_lock_from_another_computer_is_cleared(tmp_path):
    path = tmp_path / "net.sqlite"
    _write_lock(path, host="민원실-PC2", pid=1234, age=locking.STALE_AFTER + 60)
    open_database(path).close()
    assert not _lock_of(path).exists()


def test_garbage_lock_is_cleared_only_when_old(tmp_path):
    path = tmp_path / "g.sqlite"
    lock = _lock_of(path)
    lock.write_bytes(b"\x00{half")
    with pytest.raises(DatabaseInUse):  # maybe being written right now
        locking.acquire(path, heartbeat=0)
    then = time.time() - locking.BREAK_GRACE - 5
    os.utime(lock, (then, then))
    locking.acquire(path, heartbeat=0).release()
    assert not lock.exists()


def test_release_never_removes_someone_elses_lock(tmp_path):
    path = tmp_path / "x.sqlite"
    held = locking.acquire(path, heartbeat=0)
    _write_lock(path, host="다른-PC", pid=99)  # ours was taken over meanwhile
    held.release()
    assert json.loads(_lock_of(path).read_text())["hostname"] == "다른-PC"


def test_heartbeat_refreshes_the_lock(tmp_path):
    path = tmp_path / "hb.sqlite"
    held = locking.acquire(path, heartbeat=0.05)
    try:
        old = time.time() - 3600
        os.utime(held.path, (old, old))
        deadline = time.time() + 5
        while held.path.stat().st_mtime < old + 10 and time.time() < deadline:
            time.sleep(0.02)
        assert held.path.stat().st_mtime > old + 10
    finally:
        held.release()


def test_stale_rules():
    me = socket.gethostname()
    dead = locking.LockInfo(me, "kim", 2**22 + 12345, "2026-01-01T00:00:00", "0.1.0", "t")
    alive = locking.LockInfo(me, "kim", os.getpid(), "2026-01-01T00:00:00", "0.1.0", "t")
    assert locking.stale_reason(dead, 1.0)
    assert locking.stale_reason(alive, 1.0) is None
    assert locking.stale_reason(alive, locking.STALE_AFTER + 1)
