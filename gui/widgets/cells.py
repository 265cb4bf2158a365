"""Editors as spreadsheet cells: read and write any editor as text, typing replaces as in Excel.

A sub-table cell is an editor widget (a date line, a choice combo, an enterprise picker …).
`cell_text` / `set_cell_text` treat every kind alike, so copy and paste need not know kinds.
`ReplaceOnType` makes a cell behave like Excel's: the first key typed into a cell just
entered replaces its value (before, it was inserted at the click: "2022.12.102022.04.20");
F2 or a second click edits inside the value instead.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from db.errors import DureError

TRUE_WORDS = frozenset({"예", "y", "yes", "o", "○", "v", "✓", "1", "true", "참"})
FALSE_WORDS = frozenset({"", "아니오", "아니요", "n", "no", "x", "×", "0", "false", "거짓"})


def line_of(editor: QWidget) -> QLineEdit | None:
    """The line edit a clerk types into for this editor (None for combos and check boxes)."""
    combo = getattr(editor, "combo", None)
    if isinstance(combo, QComboBox) and combo.lineEdit() is not None:
        return combo.lineEdit()
    return editor if isinstance(editor, QLineEdit) else None


def cell_text(editor: QWidget) -> str:
    """What the cell shows, as text."""
    line = line_of(editor)
    if line is not None:
        return line.text()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QCheckBox):
        return "예" if editor.isChecked() else ""
    if isinstance(editor, QComboBox):
        return editor.currentText()
    return ""


def set_cell_text(editor: QWidget, text: str, label: str) -> str | None:
    """Put pasted text into a cell; a Korean message when the text fits no choice."""
    text = text.strip()
    if hasattr(editor, "combo"):  # enterprise picker: an unknown name is its own error
        editor.combo.setEditText(text)
        i = editor.combo.findText(text, Qt.MatchFlag.MatchExactly)
        if i > 0:
            editor.combo.setCurrentIndex(i)
        return None
    if isinstance(editor, QLineEdit):
        editor.setText(text)
        # show what was understood (800만원 → 8,000,000); unreadable text stays for fixing and
        # the rules name the cell
        with contextlib.suppress(DureError):
            shown: Any = editor  # every line editor of a form has value()/set_value()
            shown.set_value(shown.value())
        return None
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(text)
        return None
    if isinstance(editor, QCheckBox):
        word = text.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            editor.setChecked(word in TRUE_WORDS)
            return None
        return f"{label} '{text}'을(를) 알아볼 수 없습니다. 예 또는 빈칸으로 입력하세요."
    if isinstance(editor, QComboBox):
        if not text:
            i = editor.findData(None)
        else:
            i = editor.findText(text, Qt.MatchFlag.MatchExactly)
            if i < 0:
                i = editor.findData(text)
        if i < 0:
            shown = ", ".join(editor.itemText(j) for j in range(editor.count())
                              if editor.itemText(j))
            return f"{label} '{text}'은(는) 고를 수 있는 값이 아닙니다. 고를 수 있는 값: {shown}"
        editor.setCurrentIndex(i)
        return None
    return None


class ReplaceOnType(QObject):
    """Event filter on a cell's line edit: the first typed key replaces the whole value."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fresh: set[int] = set()  # line edits entered and not yet typed into
        self._press_enters: set[int] = set()  # a click that focused the cell: not a 2nd click

    def watch(self, line: QLineEdit) -> None:
        line.installEventFilter(self)

    def is_fresh(self, line: QObject) -> bool:
        return id(line) in self._fresh

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not isinstance(obj, QLineEdit) or obj.isReadOnly():
            return False
        kind = event.type()
        key = id(obj)
        if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            self._fresh.add(key)
            if event.reason() == Qt.FocusReason.MouseFocusReason:
                self._press_enters.add(key)
        elif kind == QEvent.Type.FocusOut:
            self._fresh.discard(key)
            self._press_enters.discard(key)
        elif kind == QEvent.Type.MouseButtonPress:
            if key in self._press_enters:
                self._press_enters.discard(key)
            else:
                self._fresh.discard(key)  # a second click: edit inside the value
        elif kind == QEvent.Type.MouseButtonRelease and key in self._fresh:
            obj.selectAll()  # show that the cell is selected as a whole
        elif kind == QEvent.Type.MouseButtonDblClick:
            self._fresh.discard(key)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._key(obj, event)
        elif kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent) \
                and key in self._fresh and (event.commitString() or event.preeditString()):
            self._fresh.discard(key)
            obj.selectAll()  # the composing syllable replaces the value
        return False

    def _key(self, line: QLineEdit, event: QKeyEvent) -> None:
        key = id(line)
        if key not in self._fresh:
            return
        if event.key() == Qt.Key.Key_F2:
            self._fresh.discard(key)
            line.deselect()
            line.end(False)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            return  # the owner decides (a block of cells, or one value replacing this one)
        mods = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                    | Qt.KeyboardModifier.AltModifier
                                    | Qt.KeyboardModifier.MetaModifier)
        text = event.text()
        replaces = (text and text.isprintable() and not mods) or event.key() in (
            Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
        if replaces:
            self._fresh.discard(key)
            line.selectAll()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home,
                             Qt.Key.Key_End):
            self._fresh.discard(key)


def replace_value(line: Any, text: str) -> None:
    """A single pasted value into a cell just entered: it replaces the value (Excel)."""
    line.selectAll()
    line.insert(text)
