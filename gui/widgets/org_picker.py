"""Enterprise picker: a searchable combo (contains-match) that can register a new enterprise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from db import models as m
from db.errors import DureError
from gui.forms.spec import Field


class OrgPicker(QWidget):
    """Type part of a name to find an enterprise; [+] registers one without leaving the form."""

    edited = Signal()
    # The [+] dialog, set by gui/widgets/new_organization.py when imported: the dialog holds a
    # RecordForm, whose editors are pickers, so it is handed down instead of imported here.
    dialog: ClassVar[Callable[..., Any] | None] = None

    def __init__(self, field: Field, lookups: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field, self.lookups = field, lookups
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # sizing to the longest of 3,000 names would read every row on each new picker
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        cast(QLineEdit, self.combo.lineEdit()).setPlaceholderText("기업명 일부를 입력해 찾기")
        names = lookups.options_model(m.Organization)
        self.combo.setModel(names)
        completer = QCompleter(names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.new_button = QToolButton(self)
        self.new_button.setText("새 기업")
        self.new_button.setToolTip("목록에 없는 기업을 바로 등록합니다 (Ctrl+Shift+N)")
        self.new_button.clicked.connect(self.create_organization)
        self.new_button.setAccessibleName(f"{field.label} 새 기업 등록")
        self.new_button.setAccessibleDescription(self.new_button.toolTip())
        # Enter goes from the name to the next field, not onto this button
        self.new_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        shortcut = QAction(self)
        shortcut.setShortcut(QKeySequence("Ctrl+Shift+N"))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(self.create_organization)
        self.addAction(shortcut)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.combo, 1)
        lay.addWidget(self.new_button)
        # setFocus() on the picker lands in the name; not a focus proxy, which Qt's Tab took
        # as a stop of its own wherever the picker sat in the focus chain (a loop in the form)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cast(QLineEdit, self.combo.lineEdit()).textEdited.connect(lambda _t: self.edited.emit())
        self.combo.activated.connect(lambda _i: self.edited.emit())
        completer.activated.connect(lambda _t: self.edited.emit())
        self._kept: tuple[int | None, str] = (None, "")
        names.modelAboutToBeReset.connect(self._keep)
        names.modelReset.connect(self._restore)
        self.combo.setCurrentIndex(0)
        self.setEnabled(not field.read_only)

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        self.combo.setFocus(event.reason())

    def _keep(self) -> None:
        self._kept = (self.value_or_none(), self.combo.currentText())

    def _restore(self) -> None:
        """After the shared list changed (an enterprise added or renamed), keep the choice."""
        ident, text = self._kept
        self.combo.blockSignals(True)
        if ident is not None:
            self.set_value(ident)
        else:
            self.combo.setEditText(text)
        self.combo.blockSignals(False)

    def reload(self) -> None:
        """Fresh names from the database (the list is shared: every picker sees them)."""
        self.lookups.invalidate(frozenset({"organization"}))

    def value_or_none(self) -> int | None:
        try:
            return self.value()
        except DureError:
            return None

    def value(self) -> int | None:
        text = self.combo.currentText().strip()
        if not text:
            return None
        i = self.combo.currentIndex()
        if i > 0 and self.combo.itemText(i) == text:
            return self.combo.itemData(i)
        i = self.combo.findText(text, Qt.MatchFlag.MatchExactly)
        if i > 0:
            return self.combo.itemData(i)
        raise DureError(
            f"'{text}'은(는) 등록된 기업이 아닙니다. 목록에서 고르거나 [새 기업]으로 등록하세요.")

    def set_value(self, value: Any) -> None:
        names: Any = self.combo.model()  # the lookups' OptionsModel
        i = names.row_of(value) if value is not None else 0
        self.combo.setCurrentIndex(max(i, 0))
        if i <= 0:
            self.combo.setEditText("")

    def mark_target(self) -> QWidget:
        """The widget that gets the red border when the choice breaks a rule."""
        return self.combo

    def create_organization(self) -> None:
        """Open the small enterprise dialog, prefilled with what was typed."""
        if OrgPicker.dialog is None:
            raise RuntimeError("gui.widgets.new_organization is not imported")
        dialog = OrgPicker.dialog(self.lookups.database, self.lookups,
                                  self.combo.currentText().strip(), self.window())
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.reload()
            self.set_value(dialog.saved_id)
            self.edited.emit()
