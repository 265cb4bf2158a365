"""The one-folder build behind tests/test_packaging.py, started in the background early.

A plain run starts it from the collection hook (tests/conftest.py) in its own process. Under
pytest-xdist the controller process builds (it lives for the whole run, a worker may not), into
a folder it names in DURE_TEST_BUILD_ROOT before the workers start; a worker's fixture waits for
the exit code the controller writes there. Kept out of the test module so that conftest can
import it before collection without defeating pytest's assertion rewriting.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_build: dict[str, object] = {}

BUILD_ROOT_ENV = "DURE_TEST_BUILD_ROOT"
EXIT_CODE_FILE = "build.rc"


def start_build(root: Path | None = None) -> None:
    """Start the PyInstaller build in a background process (once per test session)."""
    if _build:
        return
    root = root or Path(tempfile.mkdtemp(prefix="dure-frozen-"))
    log = open(root / "build.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in frozen()
    cmd = [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(root / "dist"),
           "--work", str(root / "work")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    _build.update(root=root, log=log, proc=proc)

    def stop() -> None:  # a run stopped early (-x, Ctrl+C) leaves no build behind
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)


def record_exit_code() -> None:
    """Wait for the build and write its exit code beside it (run in a thread by the controller)."""
    proc = _build["proc"]
    assert isinstance(proc, subprocess.Popen)
    code = proc.wait()
    (Path(str(_build["root"])) / EXIT_CODE_FILE).write_text(str(code), encoding="utf-8")


def wait_for_controller_build(root: Path) -> int:
    """The build's exit code, once the controller (this worker's parent) has written it."""
    done = root / EXIT_CODE_FILE
    deadline = time.monotonic() + 1200
    controller = os.getppid()
    while not done.exists():
        assert time.monotonic() < deadline, "the one-folder build did not finish in 20 minutes"
        assert os.getppid() == controller, "the pytest-xdist controller that builds is gone"
        time.sleep(0.5)
    return int(done.read_text(encoding="utf-8"))
