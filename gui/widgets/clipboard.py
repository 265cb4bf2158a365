"""Cells to and from the clipboard the way Excel writes them: tab-separated, quoted when needed.

Excel puts a cell in double quotes when it holds a tab, a line break or a quote (doubling the
quotes inside), ends every row with CR LF, and reads the same back. `to_tsv` writes that form
and `parse_tsv` reads it (also LF-only text from LibreOffice or 한글).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from PySide6.QtGui import QGuiApplication


def _cell(text: str) -> str:
    if any(ch in text for ch in '\t\n\r"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_tsv(rows: Iterable[Sequence[str]]) -> str:
    """Rows of cell texts as Excel copies them (CR LF after every row)."""
    return "".join("\t".join(_cell(c) for c in row) + "\r\n" for row in rows)


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from clipboard text; the final line break adds no empty row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.removesuffix("\n")
    if not text:
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')]


def is_block(text: str) -> bool:
    """True when clipboard text holds more than one cell (a tab or a row break inside)."""
    rows = parse_tsv(text)
    return len(rows) > 1 or (len(rows) == 1 and len(rows[0]) > 1)


def copy_rows(rows: Iterable[Sequence[str]]) -> str:
    """Put rows on the system clipboard as Excel text; returns that text."""
    text = to_tsv(rows)
    QGuiApplication.clipboard().setText(text)
    return text


def clipboard_text() -> str:
    return QGuiApplication.clipboard().text()
