"""Shared helpers of the GUI tests: a window on a test database, typing into editors."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox


def every_spec() -> Iterator[Any]:
    """Every form spec (one per list), area by area in tab order (db.registry)."""
    from db import registry

    for area in registry.AREAS:
        yield from importlib.import_module(area.forms).SPECS


def key_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type `text`: ASCII as key clicks, Hangul as an input method commits it (QTest asserts
    on non-ASCII key clicks)."""
    run = ""
    for ch in text + "\0":
        if ch.isascii() and ch != "\0":
            if run:
                QApplication.sendEvent(widget, QInputMethodEvent("", []))
                event = QInputMethodEvent()
                event.setCommitString(run)
                QApplication.sendEvent(widget, event)
                run = ""
            qtbot.keyClicks(widget, ch)
        elif ch != "\0":
            run += ch
    if run:
        event = QInputMethodEvent()
        event.setCommitString(run)
        QApplication.sendEvent(widget, event)


def make_window(qtbot: Any, database: Any) -> Any:
    """A desk window on `database`, shown offscreen."""
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # shortcuts (Ctrl+S, Del) only reach an active window
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.open_database(database)
    return window


def area_page(window: Any, area: str, index: int = 0) -> Any:
    """The `index`-th page of an area tab, made current and loaded."""
    tab = window.area_tab(area)
    window.tabs.setCurrentWidget(tab)
    page = tab.show_page(index)
    page.ensure_loaded()
    return page


def type_into(qtbot: Any, editor: Any, text: str) -> None:
    """Enter `text` the way a clerk would: keystrokes, or picking the item of a combo box."""
    if hasattr(editor, "combo"):  # enterprise picker: type the name, pick the completion
        editor.combo.lineEdit().clear()
        key_text(qtbot, editor.combo.lineEdit(), text)
        return
    if isinstance(editor, QComboBox):
        i = editor.findText(text)
        assert i >= 0, f"{text!r} not offered"
        editor.setCurrentIndex(i)
        editor.activated.emit(i)
        return
    if hasattr(editor, "selectAll") and hasattr(editor, "setText"):
        editor.selectAll()
        key_text(qtbot, editor, text)
        editor.editingFinished.emit()
        return
    editor.clear()
    key_text(qtbot, editor, text)


def _fake_box(monkeypatch: Any, name: str, answer: Any) -> list[str]:
    """Replace the static QMessageBox.<name> by one that records its text and returns `answer`."""
    texts: list[str] = []

    def box(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        texts.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, name, staticmethod(box))
    return texts


def answer_yes(monkeypatch: Any) -> list[str]:
    """Answer every confirmation with Yes; returns the questions asked."""
    return _fake_box(monkeypatch, "question", QMessageBox.StandardButton.Yes)


def capture_warnings(monkeypatch: Any) -> list[str]:
    """Record QMessageBox.warning texts instead of showing a modal box."""
    return _fake_box(monkeypatch, "warning", QMessageBox.StandardButton.Ok)


@pytest.fixture(autouse=True)
def no_modal_unsaved_question(monkeypatch):
    """Closing a window with edits left would open a modal question and hang the run."""
    from gui.widgets import entity_page

    asked: list[str] = []

    def discard(_parent: Any, what: str) -> str:
        asked.append(what)
        return entity_page.DISCARD

    monkeypatch.setattr(entity_page, "ask_unsaved", discard)
    return asked
