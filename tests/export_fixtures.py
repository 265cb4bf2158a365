"""Shared helpers for the export tests: one demo database per module, PDF inspection."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def open_demo(folder: Path):
    """A migrated SQLite database in `folder` with the demo records loaded."""
    from db.demo import load_demo
    from db.session import open_database

    database = open_database(folder / "demo.sqlite")
    load_demo(database)
    return database


def squash(text: str) -> str:
    """Text without any whitespace: wrapped PDF lines compare equal to the source."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    """All pages' text, whitespace removed."""
    reader = PdfReader(str(path))
    return squash("".join(page.extract_text() or "" for page in reader.pages))


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(BaseFont, embedded as TrueType) of every font any page uses."""
    reader = PdfReader(str(path))
    out = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            out.append((str(font["/BaseFont"]), embedded))
    return out


def assert_only_bundled_fonts(path: Path) -> None:
    """Every font is a NanumGothic subset embedded in the file."""
    fonts = pdf_fonts(path)
    assert fonts, "no fonts found"
    for name, embedded in fonts:
        assert "NanumGothic" in name, name
        assert embedded, f"{name} is not embedded"
