"""Where Dure keeps its files: the platform's user data folder, overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Dure"
APP_AUTHOR = "Dure"


def data_dir() -> Path:
    """The user data folder (DURE_DATA_DIR overrides it), created on first use."""
    override = os.environ.get("DURE_DATA_DIR")
    if override:
        path = Path(override)
    else:
        # deferred: loads after the window shows (start-up, gui/app.py)
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "dure.sqlite"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
