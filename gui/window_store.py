"""Where the window remembers its layout, recent files and server: window.ini in the data folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from db.paths import data_dir


def settings_store() -> QSettings:
    """Window layout settings in the user data folder (tests get their own folder)."""
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)
