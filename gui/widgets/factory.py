"""The editor for a resolved field, and how a field is marked when it breaks a rule."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from gui.forms.spec import Field
from gui.widgets.inputs import EDITORS, RecordEditor
from gui.widgets.org_picker import OrgPicker

ERROR_STYLE = "border: 1px solid #d32f2f; border-radius: 2px;"


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
    target.setStyleSheet(ERROR_STYLE if error else "")
    target.setToolTip(message)
