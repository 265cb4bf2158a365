"""Starting the Qt application (placeholder until the desk window lands)."""

from __future__ import annotations

import sys


def run_gui(db: str | None = None, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel("두레")
    label.show()
    return app.exec()
