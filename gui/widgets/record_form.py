"""The generic detail form built from an EntitySpec: editors, rule messages, sub-tables, save."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db import naming, service
from db.errors import DureError, ValidationFailed
from db.office import versions
from db.rules import Problem
from db.safety import trash
from gui.forms.spec import EntitySpec, Field, title_key
from gui.signals import records_changed
from gui.widgets import access
from gui.widgets.child_table import ChildTable, _default_of
from gui.widgets.display import EDITOR_MAX_WIDTH
from gui.widgets.factory import Editor, commit_input, make_editor, mark, restyle

DEBOUNCE_MS = 250


class RecordForm(QWidget):
    """Edits one record of `spec.model`; every save goes through db.service.save."""

    edited = Signal()  # the user changed something
    validity = Signal(bool)  # True when the record has no error
    saved = Signal(int)  # id of the record just saved

    def __init__(self, spec: EntitySpec, database: Any, lookups: Any,
                 parent: QWidget | None = None, columns: int = 3) -> None:
        super().__init__(parent)
        self.spec, self.database, self.lookups = spec, database, lookups
        self.record_id: int | None = None
        self.base: Any = None  # db.office.versions.Snapshot of the record as loaded
        self.dirty = False
        self.has_errors = True
        self.last_error = ""
        self.problems: list[Problem] = []
        self.editors: dict[str, Editor] = {}
        self.messages: dict[str, QLabel] = {}
        self.fields: dict[str, Field] = {}
        self.captions: dict[str, QLabel] = {}
        self.children: dict[str, ChildTable] = {}  # type: ignore[assignment]  # not QObject's
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._revalidate_safely)
        self._build(columns)

        records_changed().connect(self._changed_elsewhere)

    # ---------------------------------------------------------------- layout

    def _build(self, columns: int) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.elsewhere = QLabel(self)  # another desk saved this record while it is being edited
        self.elsewhere.setWordWrap(True)
        self.elsewhere.setStyleSheet("color: #0b57d0; font-weight: bold;")
        self.elsewhere.hide()
        outer.addWidget(self.elsewhere)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        groups = self.spec.form_groups()
        per_row = max(1, min(columns, len(groups)))
        for n, (title, fields) in enumerate(groups):
            box = QGroupBox(title or self.spec.label, self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for f in fields:
                caption = QLabel(box)
                cell = self._field_cell(f, box)
                form.addRow(caption, cell)
                self.captions[f.key] = caption
                self.set_caption(f.key, f.caption)
            grid.addWidget(box, n // per_row, n % per_row, Qt.AlignmentFlag.AlignTop)
        for c in range(per_row):
            grid.setColumnStretch(c, 1)
        outer.addLayout(grid)
        for child in self.spec.children:
            table = ChildTable(child, self.spec.model, self.lookups, self)
            box = QGroupBox(table.model.__label__, self)
            QVBoxLayout(box).addWidget(table)
            table.edited.connect(self._on_edit)
            self.children[child.relation] = table
            outer.addWidget(box)
        outer.addStretch(1)
        for f in self.fields.values():  # 월 단위 ticked: the date shows and reads as a month
            flag = self.editors.get(f.month_flag or "")
            if flag is not None and hasattr(self.editors[f.key], "set_month"):
                flag.toggled.connect(self._sync_months)
        wire = getattr(self.spec, "wire", None)  # an entity's own form behaviour (이월 실적)
        if wire is not None:
            wire(self)

    def minimumSizeHint(self) -> QSize:
        """Never squeezed below its natural height: the scroll area scrolls instead (a
        message appearing under a sub-table would otherwise move the fields above it)."""
        return self.sizeHint()

    def _sync_months(self) -> None:
        for f in self.fields.values():
            flag = self.editors.get(f.month_flag or "")
            editor = self.editors[f.key]
            if flag is not None and hasattr(editor, "set_month"):
                editor.set_month(bool(flag.value()))

    def set_caption(self, key: str, text: str) -> None:
        """A field's label ('값(팀)'), marked * when required, also its editor's accessible name."""
        field = self.fields[key]
        self.captions[key].setText(text + (" *" if field.required else ""))
        editor = self.editors[key]
        self.captions[key].setBuddy(editor)
        access.name(editor, text + (" (필수)" if field.required else ""))

    def tab_widgets(self) -> list[QWidget]:
        """The form's Tab stops in reading order: fields group by group, then sub-tables."""
        order: list[QWidget] = list(self.editors.values())
        for table in self.children.values():
            order += table.tab_widgets()
        return order

    def _field_cell(self, f: Field, parent: QWidget) -> QWidget:
        cell = QWidget(parent)
        lay = QVBoxLayout(cell)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        editor = make_editor(f, self.lookups, cell)
        if f.kind in EDITOR_MAX_WIDTH:
            editor.setMaximumWidth(EDITOR_MAX_WIDTH[f.kind])
        editor.edited.connect(self._on_edit)
        editor.installEventFilter(self)
        if hasattr(editor, "combo"):
            editor.combo.installEventFilter(self)
        msg = QLabel(cell)
        msg.setWordWrap(True)
        msg.hide()
        lay.addWidget(editor)
        lay.addWidget(msg)
        self.editors[f.key], self.messages[f.key], self.fields[f.key] = editor, msg, f
        return cell

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Enter moves to the next field (not in multi-line text, not in an open popup)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier \
                and isinstance(obj, (QLineEdit, QComboBox, QCheckBox)):
            combo = obj if isinstance(obj, QComboBox) else None
            if combo is not None and combo.view().isVisible():
                return False
            commit_input()  # the syllable still being composed belongs to this field
            if isinstance(obj, QLineEdit):
                obj.editingFinished.emit()
            self.focusNextChild()
            return True
        return super().eventFilter(obj, event)

    # ---------------------------------------------------------------- loading

    def new_record(self, defaults: dict[str, Any] | None = None) -> None:
        """An empty form with the columns' defaults (and `defaults`) filled in."""
        self._loading = True
        for key, editor in self.editors.items():
            value = (defaults or {}).get(key, _default_of(self.spec.model, key))
            editor.set_value(value)
        self._sync_months()
        for table in self.children.values():
            table.set_rows([])
        self._loading = False
        self.record_id = None
        self.base = None
        self._set_clean()

    def load(self, record_id: int) -> bool:
        """Show a stored record and its children; False when it no longer exists."""
        with self.database.session() as s:
            obj = s.get(self.spec.model, record_id)
            if obj is None:
                return False
            values = {k: getattr(obj, k) for k in self.editors}
            base = versions.snapshot(obj, list(self.children))
            kids = {}
            for rel, table in self.children.items():
                keys = ["id", *(f.key for f in table.fields)]
                kids[rel] = [{k: getattr(c, k) for k in keys} for c in getattr(obj, rel)]
        self._loading = True
        for key, editor in self.editors.items():
            editor.set_value(values[key])
        self._sync_months()
        for rel, table in self.children.items():
            table.set_rows(kids[rel])
        self._loading = False
        self.record_id = record_id
        self.base = base
        self._set_clean()
        return True

    def _changed_elsewhere(self, tables: frozenset[str]) -> None:
        """A form with unsaved edits is not reloaded: it says the record changed elsewhere."""
        watched = {self.spec.table} | {t.model.__tablename__ for t in self.children.values()}
        if not self.dirty or self.base is None or not watched & tables:
            return
        try:
            text = versions.changed_elsewhere(self.database, self.spec.model, self.base)
        except DureError:
            return  # the server is out of reach: the save will say so
        self.elsewhere.setText(text)
        self.elsewhere.setVisible(bool(text))

    def _set_clean(self) -> None:
        self.elsewhere.hide()
        self.dirty = False
        self._timer.stop()
        self.revalidate_now(quiet=True)

    def commit_input(self) -> None:
        """Commit a composing syllable into its field (before a save, Enter or row change)."""
        commit_input()

    def mark_dirty(self) -> None:
        self.dirty = True

    def _on_edit(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.edited.emit()
        self._timer.start()

    # ---------------------------------------------------------------- building and checking

    def build(self) -> tuple[Any, list[Problem], dict[str, tuple[list[Any], list]]]:
        """A transient object from the editors (children attached) plus unreadable-input
        problems."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for key, editor in self.editors.items():
            try:
                values[key] = editor.value()
            except DureError as exc:
                problems.append(Problem(key, str(exc)))
        obj = self.spec.model(**values)
        if self.record_id is not None:
            obj.id = self.record_id
        kids = {}
        for rel, table in self.children.items():
            objs, cell_problems = table.build()
            setattr(obj, rel, objs)
            kids[rel] = (objs, cell_problems)
        return obj, problems, kids

    def _revalidate_safely(self) -> None:
        """The debounced check: a database that cannot be read (server gone) is told, not raised."""
        try:
            self.revalidate_now()
        except DureError as exc:
            self.banner.setText(str(exc))
            self.banner.setVisible(True)

    def revalidate_now(self, quiet: bool = False) -> bool:
        """Run the rules on what the form holds, mark fields, emit validity; True when valid."""
        obj, problems, kids = self.build()
        parsed = {p.field for p in problems}
        # With a session the rules can read parents by id (a tenancy's space, say) as the save
        # does; without one, a rule like "LH spaces take no rent" only spoke up at Save.
        with self.database.session() as session, session.no_autoflush:
            problems += [p for p in service.check(obj, session) if p.field not in parsed]
            child_problems = {}
            for rel, (objs, cell_problems) in kids.items():
                bad = {(r, p.field) for r, p in cell_problems}
                found = list(cell_problems)
                for r, child in enumerate(objs):
                    found += [(r, p) for p in service.check(child, session)
                              if (r, p.field) not in bad]
                child_problems[rel] = found
        self.show_problems(problems, child_problems, quiet=quiet)
        self.has_errors = any(p.is_error for p in problems) or any(
            p.is_error for found in child_problems.values() for _, p in found)
        self.validity.emit(not self.has_errors)
        return not self.has_errors

    def show_problems(self, problems: list[Problem], child_problems: dict | None = None,
                      quiet: bool = False) -> None:
        """Mark each field with its message; record-level ones go to the banner.

        `quiet` (a freshly opened record) hides "please fill in" messages of an empty new form.
        """
        self.problems = problems
        by_field: dict[str, list[Problem]] = {}
        general: list[Problem] = []
        for p in problems:
            if quiet and self.record_id is None:
                continue
            (by_field.setdefault(p.field, []) if p.field in self.editors else general).append(p)
        for key, editor in self.editors.items():
            found = by_field.get(key, [])
            error = any(p.is_error for p in found)
            text = "\n".join(p.message for p in found)
            mark(editor, error, text)
            label = self.messages[key]
            label.setText(text)
            restyle(label, "color: #d32f2f;" if error else "color: #b35c00;")
            label.setVisible(bool(found))
        self.banner.setText("\n".join(p.message for p in general))
        is_err = any(p.is_error for p in general)
        restyle(self.banner, "color: #d32f2f;" if is_err else "color: #b35c00;")
        self.banner.setVisible(bool(general))
        for rel, table in self.children.items():
            found = (child_problems or {}).get(rel, [])
            table.show_problems([] if quiet and self.record_id is None else found)
        # lay the shown messages out now (the form grows in its scroll area at once), so a
        # message never moves what is under the pointer a moment after the keystroke
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    # ---------------------------------------------------------------- saving

    def _detach(self) -> None:
        """Make the form a new record holding the same values (its original was deleted)."""
        self.record_id = None
        self.base = None
        for table in self.children.values():
            table.rows = [(None, editors) for _ident, editors in table.rows]

    def save(self) -> int | None:
        """Validate and save through the one write path; the saved id, or None with messages."""
        self.last_error = ""
        commit_input()
        try:
            valid = self.revalidate_now()
        except DureError as exc:  # the rules could not read the database (connection lost)
            self.last_error = str(exc)
            return None
        if not valid:
            self.last_error = "입력값에 오류가 있습니다. 빨간 표시가 있는 항목을 고치세요."
            return None
        resolutions: dict[str, str] = {}
        retries = 3
        while True:
            obj, _problems, _kids = self.build()
            try:
                saved = service.save(self.database, obj, base=self.base, resolutions=resolutions,
                                     initiator=self)
                break
            except versions.ConflictError as exc:  # another desk changed it: the clerk decides
                if not exc.conflicts and not exc.deleted and retries:
                    retries -= 1  # written between our read and write: merge again
                    continue
                # deferred: a dialog: loads when first opened (start-up)
                from gui.conflict_dialog import resolve

                chosen = resolve(self, exc)
                if chosen is None:
                    self.last_error = str(exc)
                    return None
                if chosen.get("*") == "new":  # deleted elsewhere: keep my values as a new record
                    self._detach()
                    continue
                resolutions.update(chosen)
            except ValidationFailed as exc:
                self.show_problems(list(exc.problems))
                self.last_error = str(exc)
                return None
            except DureError as exc:
                self.last_error = str(exc)
                return None
        self.load(saved.id)
        self.saved.emit(saved.id)
        return saved.id

    # ---------------------------------------------------------------- deleting

    def record_title(self) -> str:
        """The shown record's name as lists of other entities show it ('마을숲', '2021')."""
        editor = self.editors.get(title_key(self.spec.model))
        if editor is None:
            return ""
        try:
            value = editor.value()
        except DureError:
            return ""
        if hasattr(editor, "currentText") and not isinstance(value, str):
            return editor.currentText()
        return "" if value is None else str(value)

    def confirm_delete(self, parent: QWidget) -> bool:
        """Ask before the record goes to the 휴지통, naming it and what goes with it.

        A record other records still refer to is refused before asking (the question used to
        come first and the refusal after the clerk said yes).
        """
        if self.record_id is None:
            return False
        with self.database.session() as s:
            found = trash.closure(s, self.spec.table, self.record_id)
            refused = trash.refusal(s, self.spec.model, found)
            record = s.get(self.spec.model, self.record_id)
            name = naming.title(record) if record is not None else ""
        if refused:
            QMessageBox.warning(parent, "삭제할 수 없음", refused)
            return False
        children = sum(len(ids) for ids in found.values()) - 1
        text = f"{self.spec.label} ‘{name}’ 기록을 삭제할까요?" if name else \
            f"이 {self.spec.label} 기록을 삭제할까요?"
        if children:
            text += f"\n딸린 세부 기록 {children:,}건도 함께 휴지통으로 옮깁니다."
        else:
            text += "\n기록은 휴지통으로 옮깁니다."
        text += "\n휴지통(파일 ▸ 휴지통…)에서 다시 살릴 수 있습니다."
        answer = QMessageBox.question(
            parent, "휴지통으로 삭제", text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
