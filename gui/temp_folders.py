"""Folders for the PDFs a print or a preview makes, removed when the desk closes.

Ctrl+P and 미리 보기 write a PDF to show it (gui/pdf_preview.py, gui/export_dialog.py); the
folder is needed while its preview is open, and nothing in it after. Each one made here is
removed at the process's exit, so a clerk's temporary folder does not fill with a copy of
every list and report ever printed.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

_made: list[Path] = []


def temp_folder(prefix: str) -> Path:
    """A new folder under the system's temporary folder, removed when the desk closes."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if not _made:
        atexit.register(remove_all)
    _made.append(folder)
    return folder


def remove_all() -> None:
    """Remove every folder made so far (one still open elsewhere is left as it is)."""
    while _made:
        shutil.rmtree(_made.pop(), ignore_errors=True)
