"""The editor for a resolved field, and how a field is marked when it breaks a rule."""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget

from gui.forms.spec import Field
from gui.widgets.inputs import EDITORS, RecordEditor
from gui.widgets.org_picker import OrgPicker

ERROR_STYLE = "border: 1px solid #d32f2f; border-radius: 2px;"
# A bordered combo is drawn by the style-sheet engine, which drops the native left margin:
# without the padding "2차(20%)" touched the frame.
COMBO_ERROR_STYLE = ("QComboBox { border: 1px solid #d32f2f; border-radius: 2px; padding: "
                     "1px 2px 1px 4px; }")


class PreeditTracker(QObject):
    """Remembers the editor whose syllable is still being composed (input method preedit).

    Windows' Korean IME keeps the last syllable out of `text()` until it is committed, and a
    save, Enter or row change read before that lost it. `commit_input()` commits it first.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pending: weakref.ref | None = None
        self.text = ""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            if event.preeditString():
                self.pending, self.text = weakref.ref(obj), event.preeditString()
            elif self.pending is not None and self.pending() is obj:
                self.pending, self.text = None, ""
        return False

    def flush(self) -> None:
        widget = self.pending() if self.pending is not None else None
        text, self.pending, self.text = self.text, None, ""
        if widget is not None and text:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(widget, event)


PREEDIT = PreeditTracker()


def commit_input() -> None:
    """Commit the syllable being composed before fields are read (Enter, Ctrl+S, row change)."""
    QGuiApplication.inputMethod().commit()  # the platform's input method (Windows, macOS …)
    PREEDIT.flush()  # and any preedit it left (or none exists, as offscreen)


# An editor: a QWidget with value(), set_value(v) and an `edited` signal (gui/widgets/inputs.py,
# OrgPicker). Qt's stubs cannot say "a QWidget with these", so it is Any to the type checker.
Editor = Any


def make_editor(field: Field, lookups: Any, parent: QWidget | None = None) -> Editor:
    """An editor widget with value()/set_value()/edited for `field`."""
    if field.kind == "org":
        editor: Editor = OrgPicker(field, lookups, parent)
    elif field.kind == "record" and field.target is not None:
        editor = RecordEditor(field, lookups, parent)
    elif field.kind == "image":
        # deferred: the picture editor loads with the first form that has one
        from gui.widgets.image_editor import ImageEditor

        editor = ImageEditor(field, parent)
    else:
        editor = EDITORS.get(field.kind, EDITORS["text"])(field, parent)
    if field.width:
        editor.setMinimumWidth(min(field.width, 320))
    for line in [editor, *editor.findChildren(QLineEdit)]:
        if isinstance(line, QLineEdit):
            line.installEventFilter(PREEDIT)

    return editor


def mark(editor: QWidget, error: bool, message: str = "") -> None:
    """A red border and the message as tooltip on an editor that breaks a rule.

    An editor whose mark target has a look of its own names it in `base_style`: the mark
    adds its border to that look and takes only its border away again."""
    target = editor.mark_target() if hasattr(editor, "mark_target") else editor
    style = COMBO_ERROR_STYLE if isinstance(target, QComboBox) else ERROR_STYLE
    base = getattr(editor, "base_style", "")
    restyle(target, base + style if error else base)
    if target.toolTip() != message:
        target.setToolTip(message)


def restyle(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: Qt re-polishes the widget on every call, and
    each check of a form (every page built, every keystroke's) sets one on every field."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)
