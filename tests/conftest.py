"""Shared fixtures: offscreen Qt, a fresh database per test, the demo database."""

from __future__ import annotations

import os

# pytest-qt with no display aborts the run unless Qt is told to draw offscreen (FACTS.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Every test gets its own user data folder: nothing touches the real one."""
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DURE_DATABASE_URL", raising=False)


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated, empty SQLite database."""
    from db.session import open_database

    database = open_database(tmp_path / "test.sqlite")
    yield database
    database.close()
