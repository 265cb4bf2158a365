"""A short crash test in CI: five SIGKILLs of a writing Dure lose nothing and corrupt nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests import zygote

ROOT = Path(__file__).resolve().parent.parent


def _crash_module():
    """bench/crash_test.py, its children forked by the tests' zygote (tests/zygote.py).

    Each child is still its own process running the script's child mode, SIGKILLed at a random
    moment; it no longer imports SQLAlchemy and the models first (~1 s of CPU per child).
    """
    spec = importlib.util.spec_from_file_location("crash_test", ROOT / "bench" / "crash_test.py")
    crash = importlib.util.module_from_spec(spec)
    sys.modules["crash_test"] = crash  # dataclasses look their module up there
    spec.loader.exec_module(crash)
    crash.subprocess = zygote
    return crash


@pytest.mark.slow  # five child processes that each import SQLAlchemy: a few seconds
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_five_kills_lose_no_reported_save(tmp_path):
    crash = _crash_module()
    from db.session import open_database

    path = tmp_path / "crash.sqlite"
    open_database(path).close()
    result = crash.run(path, kills=5, seed=5, max_delay=0.15, log=lambda _m: None)
    assert result.reported > 0  # the children did write before they were killed
    assert result.integrity == "ok"
    assert result.missing == 0
    assert result.orphans == 0
    assert result.rows >= result.reported




@pytest.mark.slow  # issue 11: kills during restore and during import lose nothing
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kills_during_restore_and_import_leave_whole_states(tmp_path):
    crash = _crash_module()
    restored = crash.run_restore(tmp_path / "restore.sqlite", kills=3, seed=1, log=lambda _m: None)
    assert (restored.refused_opens, restored.partial, restored.integrity) == (0, 0, "ok")
    imported = crash.run_import(tmp_path / "import.sqlite", kills=2, seed=2, max_delay=3.0,
                                log=lambda _m: None)
    assert (imported.lost, imported.partial, imported.integrity) == (0, 0, "ok")
