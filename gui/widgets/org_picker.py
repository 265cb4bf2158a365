"""Enterprise picker: a searchable combo (contains-match) that can register a new enterprise."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db import models as m
from db.errors import DureError
from gui.forms.spec import Field


class OrgPicker(QWidget):
    """Type part of a name to find an enterprise; [+] registers one without leaving the form."""

    edited = Signal()

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
        self.combo.lineEdit().setPlaceholderText("기업명 일부를 입력해 찾기")
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
        self.setFocusProxy(self.combo)
        self.combo.lineEdit().textEdited.connect(lambda _t: self.edited.emit())
        self.combo.activated.connect(lambda _i: self.edited.emit())
        completer.activated.connect(lambda _t: self.edited.emit())
        self._kept: tuple[int | None, str] = (None, "")
        names.modelAboutToBeReset.connect(self._keep)
        names.modelReset.connect(self._restore)
        self.combo.setCurrentIndex(0)
        self.setEnabled(not field.read_only)

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
        i = self.combo.model().row_of(value) if value is not None else 0
        self.combo.setCurrentIndex(max(i, 0))
        if i <= 0:
            self.combo.setEditText("")

    def mark_target(self) -> QWidget:
        """The widget that gets the red border when the choice breaks a rule."""
        return self.combo

    def create_organization(self) -> None:
        """Open the small enterprise dialog, prefilled with what was typed."""
        dialog = NewOrganizationDialog(self.lookups.database, self.lookups,
                                       self.combo.currentText().strip(), self.window())
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.reload()
            self.set_value(dialog.saved_id)
            self.edited.emit()


def similar_names(database: Any, name: str | None, brn: str | None,
                  exclude: int | None = None) -> list[str]:
    """Names of existing enterprises that look like this one (the rules helper decides)."""
    from db.rules.organization import similar_organizations  # the rules load after start-up

    with database.session() as s:
        found = similar_organizations(s, name or "", brn or None)
        out = []
        for item in found:
            org = item[0] if isinstance(item, tuple) else item
            if getattr(org, "id", None) == exclude and exclude is not None:
                continue
            out.append(getattr(org, "name", str(org)))
        return out


class NewOrganizationDialog(QDialog):
    """The organization form in a dialog; warns when the name or BRN looks like an existing one."""

    def __init__(self, database: Any, lookups: Any, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from gui.forms.organization import ORGANIZATION
        from gui.widgets.record_form import RecordForm

        self.setWindowTitle("새 기업 등록")
        self.database = database
        self.saved_id: int | None = None
        self.form = RecordForm(ORGANIZATION, database, lookups, self, columns=2)
        self.form.new_record()
        if name:
            self.form.editors["name"].setText(name)
            self.form.mark_dirty()
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35c00;")
        self.warning.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("저장")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("취소")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.form.validity.connect(lambda ok: self.save_button.setEnabled(ok))
        self.form.validity.connect(lambda _ok: QTimer.singleShot(0, self, self._fit_height))
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        lay.addWidget(self.warning)
        lay.addWidget(buttons)
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(300)
        self._similar_timer.timeout.connect(self.check_similar)
        self.form.edited.connect(self._similar_timer.start)
        self.form.revalidate_now()
        if name:
            self.check_similar()

    def _fit_height(self) -> None:
        """Grow to show a field's wrapped message in full (a dialog ignores height-for-width)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        need = max(need, layout.totalSizeHint().height())
        if need > self.height():
            self.resize(self.width(), need)

    def check_similar(self) -> None:
        try:
            name = self.form.editors["name"].value()
            brn = self.form.editors["brn"].value()
        except DureError:
            return
        names = similar_names(self.database, name, brn)
        self.warning.setText("비슷한 기업이 이미 있습니다: " + ", ".join(names[:5])
                             + ". 같은 기업이면 [취소]하고 목록에서 고르세요." if names else "")
        self.warning.setVisible(bool(names))
        QTimer.singleShot(0, self, self._fit_height)

    def _save(self) -> None:
        ident = self.form.save()
        if ident is not None:
            self.saved_id = ident
            self.accept()
        elif self.form.last_error:
            QMessageBox.warning(self, "저장할 수 없음", self.form.last_error)
