"""`main.py check` shares the record checks with a forked helper (db/check_helper.py): the
findings are the very same, in the same order, whether the helper checks its half, fails, or
is not started at all."""

from __future__ import annotations

import argparse
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from db import check_helper, commands
from db.check_helper import CheckHelper
from db.commands import check_families, check_plan
from db.session import open_database
from tests.test_check_rows import generated_template, scramble


@pytest.fixture
def scrambled(tmp_path, monkeypatch) -> Path:
    """A generated database scrambled so that nearly every rule finds something."""
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "s.sqlite"
    shutil.copyfile(generated_template(), path)
    scramble(path, 4)
    return path


@pytest.fixture
def forking(monkeypatch):
    """A helper even for a small file, and even in a test worker (pytest-xdist's own threads
    are alive there; they hold no lock the helper needs)."""
    monkeypatch.setattr(check_helper, "SPLIT_BYTES", 0)
    monkeypatch.setattr(check_helper, "_alone", lambda: True)


def start(path: Path | None) -> CheckHelper | None:
    return CheckHelper.start(path, check_plan(), check_families)


def findings(path: Path, helper: CheckHelper | None) -> list[tuple[int, list[Any]]]:
    database = open_database(path)
    try:
        return [(n, list(found)) for n, found in commands.record_findings(database, helper)]
    finally:
        if helper is not None:
            helper.close()
        database.close()


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_helper_checks_its_families_and_the_findings_are_the_same(scrambled, forking):
    alone = findings(scrambled, None)
    helper = start(scrambled)
    assert helper is not None
    pid = helper.pid
    shared = findings(scrambled, helper)
    assert shared == alone
    assert sum(len(found) for _n, found in alone) > 500
    # the helper really checked some families (the largest first), not all of them
    assert helper.handed and helper.returned == helper.handed
    assert len(helper.handed) < len(helper.plan.roots)
    assert reaped(pid)


def test_a_helper_that_fails_leaves_its_families_to_the_command(scrambled, forking,
                                                                 monkeypatch):
    alone = findings(scrambled, None)

    def failing(_families: Any, orders: int, _answers: int) -> None:
        check_helper._read_all(orders)  # takes its families, then breaks
        raise RuntimeError("the helper broke")

    monkeypatch.setattr(check_helper, "_serve", failing)  # the forked child runs this one
    helper = start(scrambled)
    assert helper is not None
    pid = helper.pid
    assert findings(scrambled, helper) == alone
    assert helper.handed and not helper.returned
    assert reaped(pid)


def test_a_helper_that_sends_half_an_answer_is_not_believed(scrambled, forking, monkeypatch):
    """Cut off mid-answer (killed while writing): nothing of it is used."""
    alone = findings(scrambled, None)
    real_write = check_helper._write_all

    def half(fd: int, data: bytes) -> None:
        real_write(fd, data[: len(data) // 2])

    monkeypatch.setattr(check_helper, "_write_all", half)
    helper = start(scrambled)
    assert helper is not None
    assert findings(scrambled, helper) == alone
    assert not helper.returned


def test_check_prints_the_same_with_and_without_the_helper(scrambled, monkeypatch, capsys):
    monkeypatch.setattr(check_helper, "_alone", lambda: True)
    started: list[CheckHelper | None] = []
    real_start = CheckHelper.start.__func__  # type: ignore[attr-defined]

    def counted(cls: Any, *args: Any) -> CheckHelper | None:
        started.append(real_start(cls, *args))
        return started[-1]

    monkeypatch.setattr(CheckHelper, "start", classmethod(counted))
    args = argparse.Namespace(db=str(scrambled), warnings=True)
    monkeypatch.setattr(check_helper, "SPLIT_BYTES", 1 << 40)
    code_alone = commands.run_check(args)
    out_alone = capsys.readouterr().out
    monkeypatch.setattr(check_helper, "SPLIT_BYTES", 0)
    code_shared = commands.run_check(args)
    out_shared = capsys.readouterr().out
    assert started[0] is None and started[1] is not None
    assert started[1].returned and started[1].returned == started[1].handed
    assert (code_shared, out_shared) == (code_alone, out_alone)
    assert out_alone.count("[오류]") > 100 and out_alone.count("[주의]") > 10
    assert reaped(started[1].pid or 0) or started[1].pid == 0


def test_no_helper_for_a_small_file_or_beside_another_thread(scrambled, monkeypatch):
    assert start(scrambled) is None  # a few hundred kB: not worth a fork
    monkeypatch.setattr(check_helper, "SPLIT_BYTES", 0)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start(scrambled) is None
    finally:
        stop.set()
        other.join()
    assert start(None) is None


def test_a_read_only_database_tells_the_helper_to_stop(scrambled, forking):
    """Opened read-only, the command checks everything itself; the helper ends at once."""
    helper = start(scrambled)
    assert helper is not None
    pid = helper.pid
    database = open_database(scrambled, read_only=True)
    try:
        got = [(n, list(f)) for n, f in commands.record_findings(database, helper)]
    finally:
        helper.close()
        database.close()
    assert not helper.handed and not helper.returned
    assert got == findings(scrambled, None)
    assert reaped(pid)


def test_a_fork_the_system_refuses_leaves_the_check_to_the_command(scrambled, forking,
                                                                    monkeypatch):
    """No process left (EAGAIN): no helper, no file descriptor left open, the same findings."""
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    alone = findings(scrambled, None)
    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "fork", refused)
    assert start(scrambled) is None
    assert len(os.listdir("/proc/self/fd")) == before
    assert findings(scrambled, None) == alone
