"""The heaviest-first list of tests/xdist_plugin.py names test files that exist, once each."""

from __future__ import annotations

from pathlib import Path

from tests.xdist_plugin import HEAVY_FIRST


def test_the_heavy_files_listed_first_exist_once_each():
    here = Path(__file__).parent
    assert [name for name in HEAVY_FIRST if not (here / name).is_file()] == []
    assert len(set(HEAVY_FIRST)) == len(HEAVY_FIRST)
