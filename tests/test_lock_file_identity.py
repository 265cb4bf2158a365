"""Issue 11 (3): the lock is on the file, not on its path; a pid reused by another program is stale.

Before: a hard link (or symlink) to the database got past the lock file beside the other
name; two processes saved 300 records each, both reported success and integrity_check failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db import service
from db.errors import DatabaseInUse
from db.models import Organization
from db.safety import lock as locking
from db.session import open_database
from tests import zygote

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import sys
    from db import service
    from db.errors import DatabaseInUse
    from db.models import Organization
    from db.session import open_database
    try:
        database = open_database(sys.argv[1])
    except DatabaseInUse as exc:
        print("IN USE", exc, flush=True)
        sys.exit(4)
    for i in range(int(sys.argv[2])):
        service.save(database, Organization(name=f"{sys.argv[3]}{i:03d}", kind="협동조합"))
    print("SAVED", flush=True)
    database.close()
""")


def _child(path: Path, n: int, prefix: str) -> subprocess.CompletedProcess:
    """A second Dure process (forked by the tests' zygote: it has the models imported)."""
    return zygote.run([sys.executable, "-c", CHILD, str(path), str(n), prefix], cwd=ROOT,
                          text=True, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_a_second_name_for_the_file_meets_the_lock(tmp_path, kind):
    path = tmp_path / "a" / "dure.sqlite"
    first = open_database(path)
    other = tmp_path / "b" / "두레.sqlite"
    other.parent.mkdir()
    (os.link if kind == "hardlink" else os.symlink)(path, other)
    try:
        with pytest.raises(DatabaseInUse, match="사용 중|다른 두레"):
            open_database(other)  # before: opened, with its own lock file beside the other name
        run = _child(other, 5, "링크")
        assert run.returncode == 4 and "IN USE" in run.stdout, run.stdout + run.stderr
        service.save(first, Organization(name="원래 이름", kind="협동조합"))
    finally:
        first.close()
    run = _child(other, 5, "링크")  # free again once the first Dure closed
    assert run.returncode == 0 and "SAVED" in run.stdout, run.stdout + run.stderr
    check = open_database(path)
    try:
        with check.session() as s:
            assert s.query(Organization).count() == 6
    finally:
        check.close()


def test_a_lock_whose_pid_now_runs_another_program_is_stale(tmp_path):
    path = tmp_path / "dure.sqlite"
    open_database(path).close()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = locking.lock_path(path)
        lock.write_text(json.dumps({
            "hostname": locking.socket.gethostname(), "user": "kim", "pid": sleeper.pid,
            "started_at": "2026-01-05T09:00:00", "version": "0.1.0", "token": "x",
            "process_start": "another-boot:12345"}), encoding="utf-8")
        info = locking.read_lock(lock)
        assert locking.pid_alive(sleeper.pid)
        assert "다른 프로그램" in locking.stale_reason(info, 1.0)
        database = open_database(path)  # before: refused, 'in use by process <pid>'
        database.close()
        # the same pid with its real start time is a live holder
        lock.write_text(json.dumps({
            "hostname": locking.socket.gethostname(), "user": "kim", "pid": sleeper.pid,
            "started_at": "2026-01-05T09:00:00", "version": "0.1.0", "token": "x",
            "process_start": locking.process_start(sleeper.pid)}), encoding="utf-8")
        assert locking.stale_reason(locking.read_lock(lock), 1.0) is None
        lock.unlink()
    finally:
        sleeper.kill()
        sleeper.wait()
