"""A short crash test in CI: five SIGKILLs of a writing Dure lose nothing and corrupt nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # five child processes that each import SQLAlchemy: a few seconds
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_five_kills_lose_no_reported_save(tmp_path):
    spec = importlib.util.spec_from_file_location("crash_test", ROOT / "bench" / "crash_test.py")
    crash = importlib.util.module_from_spec(spec)
    sys.modules["crash_test"] = crash  # dataclasses look their module up there
    spec.loader.exec_module(crash)
    from db.session import open_database

    path = tmp_path / "crash.sqlite"
    open_database(path).close()
    result = crash.run(path, kills=5, seed=5, max_delay=0.15, log=lambda _m: None)
    assert result.reported > 0  # the children did write before they were killed
    assert result.integrity == "ok"
    assert result.missing == 0
    assert result.orphans == 0
    assert result.rows >= result.reported
