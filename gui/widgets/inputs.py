"""Field editors: every one has `value()` (raises DureError on unreadable text), `set_value()`
and an `edited` signal, so the form and the sub-tables treat all kinds alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from db import formats
from db.errors import DureError
from db.rules.organization import normalize_brn
from gui.forms.spec import Field
from gui.widgets.display import field_text, month_text


class LineEditor(QLineEdit):
    """Plain text; parsing kinds override `parse()` and reformat when the field is left."""

    edited = Signal()
    EXAMPLE = ""  # placeholder showing a kind's accepted spelling
    ALLOWED = ""  # regex of the characters the kind can hold ('' = any text)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setPlaceholderText(self.EXAMPLE)
        if self.ALLOWED:  # a letter in an amount is refused as typed, not at save
            self.setValidator(QRegularExpressionValidator(QRegularExpression(self.ALLOWED), self))
        self.setAccessibleName(field.caption)
        self.textEdited.connect(lambda _t: self.edited.emit())
        self.editingFinished.connect(self._reformat)
        if field.numeric:
            self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setReadOnly(field.read_only)

    def parse(self, text: str) -> Any:
        return text

    def value(self) -> Any:
        text = self.text().strip()
        if not text:  # a blank count whose column defaults to 0 is that 0
            return 0 if self.field.blank_zero else None
        return self.parse(text)

    def shown(self, value: Any) -> str:
        """The text a value is shown as (lists show the same)."""
        return field_text(self.field, value)

    def set_value(self, value: Any) -> None:
        self.setText(self.shown(value))
        self.setCursorPosition(0)  # show the start of a long text, not its end

    def _reformat(self) -> None:
        """Show what was understood (800만원 → 8,000,000); leave unreadable text for fixing."""
        try:
            value = self.value()
        except DureError:
            return
        shown = self.shown(value)
        if shown != self.text():
            self.setText(shown)


_MONTH = re.compile(r"(\d{4}|\d{2})\s*(?:[.\-/]|년)\s*(\d{1,2})\s*[.월]?")


def parse_month(text: str, label: str) -> dt.date:
    """A month from '2018. 12.', '2018.12', '2018-12', '18.12', '2018년 12월' (its 1st day);
    a whole date keeps its day."""
    try:
        return formats.parse_date(text, label)
    except DureError:
        pass
    s = unicodedata.normalize("NFKC", text).strip().lstrip("'‘’`")
    m = _MONTH.fullmatch(s)
    if m is None:
        raise DureError(f"{formats.josa(f'{label} {text!r}', '을/를')} 알아볼 수 없습니다. "
                        "2021. 7. 또는 2021.7.9처럼 입력하세요.")
    year, month = int(m.group(1)), int(m.group(2))
    if len(m.group(1)) == 2:
        year += 2000 if year < formats.TWO_DIGIT_PIVOT else 1900
    if not 1 <= month <= 12:
        raise DureError(f"{formats.josa(f'{label} {text!r}', '은/는')} 달력에 없는 달입니다. "
                        "월은 1~12로 입력하세요.")
    return dt.date(year, month, 1)


class DateEditor(LineEditor):
    """A date; shown and typed as a month ('2018. 12.') when the field is meant as one (kind
    month) or its row says so (월 단위). A month shown keeps the stored day it came from."""

    EXAMPLE = "예) 2021.7.9"
    ALLOWED = r"[0-9０-９.\-/' 년월일()화수목금토요]{0,24}"

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.month = field.kind == "month"
        self._loaded: tuple[str, Any] = ("", None)  # the text set_value showed, its value
        if self.month:
            self.setPlaceholderText("예) 2021.7")

    def set_month(self, on: bool) -> None:
        """Show the value as a month or as a day (the row's 월 단위 changed)."""
        if on == self.month:
            return
        try:
            value = self.value()
        except DureError:
            value = None
        self.month = on
        self.setPlaceholderText("예) 2021.7" if on else self.EXAMPLE)
        if value is not None:
            self.set_value(value)

    def shown(self, value: Any) -> str:
        if self.month and isinstance(value, dt.date):
            return month_text(value)
        return super().shown(value)

    def set_value(self, value: Any) -> None:
        super().set_value(value)
        self._loaded = (self.text().strip(), value)

    def parse(self, text: str) -> dt.date:
        if text == self._loaded[0] and self._loaded[1] is not None:
            return self._loaded[1]  # '2018. 12.' as loaded: the stored date, day and all
        if self.month:
            return parse_month(text, self.field.label)
        return formats.parse_date(text, self.field.label)


class TimeEditor(LineEditor):
    EXAMPLE = "예) 14:00"
    ALLOWED = r"[0-9０-９: 시분오전후]{0,12}"

    def parse(self, text: str) -> dt.time:
        return formats.parse_time(text, self.field.label)


class MoneyEditor(LineEditor):
    EXAMPLE = "예) 800만원"
    ALLOWED = r"[0-9０-９,.\- ₩조억만천백십원일이삼사오육칠팔구영]{0,30}"  # -5, 팔백: told why

    def parse(self, text: str) -> int:
        return formats.parse_money(text, self.field.label)


class IntEditor(LineEditor):
    def parse(self, text: str) -> int:
        return formats.parse_int(text, self.field.label, unit=self.field.unit)


class FloatEditor(LineEditor):
    def parse(self, text: str) -> float:
        return formats.parse_float(text, self.field.label, unit=self.field.unit)


class TextEditor(LineEditor):
    pass


class BrnEditor(LineEditor):
    """사업자등록번호: digits and hyphens only, shown 123-45-67890, stored as ten digits."""

    EXAMPLE = "예) 123-45-67890"
    ALLOWED = r"[0-9\- ]{0,14}"

    def parse(self, text: str) -> str | None:
        return normalize_brn(text)


class MultiLineEditor(QPlainTextEdit):
    """Free text over several lines; Tab leaves the field (Enter is a new line here)."""

    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.textChanged.connect(self._changed)
        self._loading = False
        self.setReadOnly(field.read_only)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def value(self) -> str | None:
        return self.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self._loading = True
        self.setPlainText("" if value is None else str(value))
        self._loading = False


class ChoiceEditor(QComboBox):
    """One of the column's choices; an empty first entry when the field may stay blank."""

    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        if not field.required:
            self.addItem("", None)
        labels = field.labels or {}
        for choice in field.choices or ():
            self.addItem(labels.get(choice, choice), choice)
        self.activated.connect(lambda _i: self.edited.emit())
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setEnabled(not field.read_only)

    def value(self) -> str | None:
        return self.currentData() or None

    def set_value(self, value: Any) -> None:
        i = self.findData(value) if value not in (None, "") else 0
        if i < 0:  # an old value no longer in the list stays visible (rules flag it)
            self.addItem(str(value), value)
            i = self.count() - 1
        self.setCurrentIndex(max(i, 0))


class BoolEditor(QCheckBox):
    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.toggled.connect(lambda _c: self.edited.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        self.setChecked(bool(value))
        self.blockSignals(False)


class RecordEditor(QComboBox):
    """A reference to a record of another entity (cohort, round, space …), chosen by name.

    Its list is the lookups' OptionsModel of that entity, shared by every picker of it and
    kept current by the lookups: at 1,000,000 records a 컨설팅 form's 창업팀 picker held 2,000
    teams, added one by one (25-28 ms) each time a form was built.
    """

    edited = Signal()

    def __init__(self, field: Field, lookups: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the lookups own the shared list model: held here so that the list lives as long
        # as the picker showing it (a Lookups made without a parent, as in tests)
        self.field, self.lookups = field, lookups
        # sizing to the longest of 2,000 names would measure every row on first show: as
        # wide as the form's column instead, as the enterprise picker
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        options = lookups.options_model(field.target)
        self.setModel(options)
        self.setCurrentIndex(0)
        self._kept: int | None = None
        options.modelAboutToBeReset.connect(self._keep)
        options.modelReset.connect(self._restore)
        self.activated.connect(lambda _i: self.edited.emit())
        self.setEnabled(not field.read_only)

    def _keep(self) -> None:
        self._kept = self.value()

    def _restore(self) -> None:
        """After the shared list changed (a record added, renamed or deleted): the same
        choice, or none when its record is gone; no `edited`, as nothing was chosen."""
        self.blockSignals(True)
        self.set_value(self._kept)
        self.blockSignals(False)

    def value(self) -> int | None:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        options: Any = self.model()  # the lookups' OptionsModel: None is its blank row 0
        self.setCurrentIndex(max(options.row_of(value), 0))


EDITORS: dict[str, type] = {
    "text": TextEditor, "multiline": MultiLineEditor, "choice": ChoiceEditor,
    "date": DateEditor, "month": DateEditor, "time": TimeEditor, "money": MoneyEditor,
    "int": IntEditor, "float": FloatEditor, "bool": BoolEditor, "brn": BrnEditor,
}
