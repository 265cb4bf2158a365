"""The [새 기업] dialog of every enterprise picker: the organization form, warning on look-alikes.

Above gui/widgets/record_form.py (it holds one) and gui/widgets/org_picker.py (whose button
opens it): importing this module hands the dialog to OrgPicker (gui/widgets/entity_page.py
imports it), so the widgets do not import each other in a ring.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from db.errors import DureError
from db.rules.organization import similar_organizations
from gui.forms.organization import ORGANIZATION
from gui.widgets.org_picker import OrgPicker
from gui.widgets.record_form import RecordForm


def similar_names(database: Any, name: str | None, brn: str | None,
                  exclude: int | None = None) -> list[str]:
    """Names of existing enterprises that look like this one (the rules helper decides)."""
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


OrgPicker.dialog = NewOrganizationDialog
