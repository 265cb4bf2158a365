"""The heaviest-first list of tests/xdist_plugin.py names test files that exist, once each."""

from __future__ import annotations

from pathlib import Path

from tests.xdist_plugin import HEAVY_FIRST, pytest_xdist_auto_num_workers


def test_the_heavy_files_listed_first_exist_once_each():
    here = Path(__file__).parent
    assert [name for name in HEAVY_FIRST if not (here / name).is_file()] == []
    assert len(set(HEAVY_FIRST)) == len(HEAVY_FIRST)


def _auto_workers(counted: int) -> int:
    """What `-n auto` gets from the plugin's wrapper when xdist itself counted `counted`."""
    wrapper = pytest_xdist_auto_num_workers(None)
    next(wrapper)
    try:
        wrapper.send(counted)
    except StopIteration as done:
        return done.value
    raise AssertionError("the wrapper did not return")


def test_auto_adds_one_worker_unless_the_count_is_given(monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    assert _auto_workers(2) == 3
    assert _auto_workers(8) == 9
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "2")
    assert _auto_workers(2) == 2  # xdist read the variable; nothing is added to it
