"""The editor for a resolved field, and how a field is marked when it breaks a rule."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from gui.forms.spec import Field
from gui.widgets.inputs import EDITORS, RecordEditor
from gui.widgets.org_picker import OrgPicker

ERROR_STYLE = "border: 1px solid #d32f2f; border-radius: 2px;"
# A bordered combo is drawn by the style-sheet engine, which drops the native left margin:
# without the padding "2차(20%)" touched the frame.
COMBO_ERROR_STYLE = "QComboBox { border: 1px solid #d32f2f; border-radius: 2px; padding: 1px 2px 1px 4px; }"


def make_editor(field: Field, lookups: Any, parent: QWidget | None = None) -> QWidget:
    """An editor widget with value()/set_value()/edited for `field`."""
    if field.kind == "org":
        editor: QWidget = OrgPicker(field, lookups, parent)
    elif field.kind == "record" and field.target is not None:
        editor = RecordEditor(field, lookups, parent)
    else:
        editor = EDITORS.get(field.kind, EDITORS["text"])(field, parent)
    if field.width:
        editor.setMinimumWidth(min(field.width, 320))

    return editor


def mark(editor: QWidget, error: bool, message: str = "") -> None:
    """A red border and the message as tooltip on an editor that breaks a rule."""
    target = editor.mark_target() if hasattr(editor, "mark_target") else editor
    style = COMBO_ERROR_STYLE if isinstance(target, QComboBox) else ERROR_STYLE
    target.setStyleSheet(style if error else "")
    target.setToolTip(message)
