"""설정 dialog: office names, report title, pledge term, the report's 기준일, export folder,
warning days, and the lines printed above each provider's table of the tenant-space roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.models.choices import SPACE_PROVIDERS
from db.settings import load_settings, roster_notes, save_settings, validate_settings

DATE_FORMAT = "yyyy. M. d."


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class SettingsDialog(QDialog):
    """Edit the office settings kept in the database; OK stays disabled while invalid."""

    saved = Signal()

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.database = database
        self.setWindowTitle("설정")
        with database.session() as s:
            self.settings = load_settings(s)
            self.notes = roster_notes(s)
        self._build()
        self._fill()
        self._revalidate()

    def _build(self) -> None:
        self.city = QLineEdit()
        self.city.setPlaceholderText("예: 고양시")
        self.office = QLineEdit()
        self.office.setPlaceholderText("예: 사회적경제과")
        self.center = QLineEdit()
        self.center.setPlaceholderText("예: 고양시 사회적경제지원센터")
        self.pledge = QLineEdit()
        self.pledge.setPlaceholderText("예: 사회적경제 지원시스템 구축 및 공공기관 우선구매")
        self.report_title = QLineEdit()
        self.term_start = self._date_edit()
        self.term_end = self._date_edit()
        term = QHBoxLayout()
        term.addWidget(self.term_start)
        term.addWidget(QLabel("~"))
        term.addWidget(self.term_end)
        term.addStretch(1)
        # 기준일: a report of a period still running is computed as of it; unchecked = today.
        self.report_day_set = QCheckBox("정해 둠")
        self.report_day_set.setToolTip("끄면 오늘을 기준일로 씁니다. 기간이 끝난 보고서는 "
                                       "언제나 기간 끝 날짜 기준입니다.")
        self.report_day = self._date_edit()
        self.report_day.setToolTip("진행 중인 기간의 보고서를 이 날짜 기준으로 계산합니다 "
                                   "(예: 2021. 11. 16. 기준). 내보내기 창이 이 날짜로 시작합니다.")
        self.report_day_set.toggled.connect(self.report_day.setEnabled)
        report_day = QHBoxLayout()
        report_day.addWidget(self.report_day_set)
        report_day.addWidget(self.report_day)
        report_day.addStretch(1)
        self.export_dir = QLineEdit()
        self.export_dir.setPlaceholderText("비워 두면 문서 폴더")
        self.browse = QPushButton("찾아보기…")
        self.browse.clicked.connect(self._pick_folder)
        folder = QHBoxLayout()
        folder.addWidget(self.export_dir, 1)
        folder.addWidget(self.browse)
        self.report_template = QLineEdit()
        self.report_template.setPlaceholderText("비워 두면 두레 서식 (한글 .hwpx 보고서)")
        self.report_template.setToolTip(
            "한글 보고서(.hwpx)를 이 양식에 채웁니다: '하반기 추진 실적' 같은 이름의 칸 옆이나 "
            "{{추진 실적}}, {{기준일}} 자리에 넣고 나머지는 그대로 둡니다.")
        self.pick_template = QPushButton("찾아보기…")
        self.pick_template.clicked.connect(self._pick_template)
        template = QHBoxLayout()
        template.addWidget(self.report_template, 1)
        template.addWidget(self.pick_template)
        self.warn_days = QSpinBox()
        self.warn_days.setRange(0, 366)
        self.warn_days.setSuffix("일 전")
        self.warn_days.setToolTip("입주 계약·지정 만료를 며칠 전부터 현황에 띄울지 정합니다.")

        form = QFormLayout()
        form.addRow("시·군(&C)", self.city)
        form.addRow("담당 부서(&O)", self.office)
        form.addRow("지원센터(&N)", self.center)
        form.addRow("공약명(&P)", self.pledge)
        form.addRow("보고서 제목(&T)", self.report_title)
        form.addRow("공약 임기", term)
        label = QLabel("보고서 기준일(&R)")
        label.setBuddy(self.report_day_set)
        form.addRow(label, report_day)
        form.addRow("기본 내보내기 폴더", folder)
        form.addRow("보고서 양식(HWPX)", template)
        form.addRow("만료 알림(&W)", self.warn_days)

        # Per provider: 임대료 / 입주기간 lines printed above its roster table (one per line).
        self.roster_notes: dict[str, QPlainTextEdit] = {}
        for provider in SPACE_PROVIDERS:
            edit = QPlainTextEdit()
            edit.setPlaceholderText("예: - 임대료 : 임대료 없음, 월 관리비 기업부담 "
                                    "(줄마다 한 항목)")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(60)
            edit.setToolTip("입주공간 현황 표 위에 그대로 인쇄됩니다. 비워 두면 인쇄하지 않습니다.")
            self.roster_notes[provider] = edit
            form.addRow(f"입주공간 안내({provider})", edit)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("저장")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("취소")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problems)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(560)

        for line in (self.city, self.office, self.center, self.pledge, self.report_title,
                     self.export_dir, self.report_template):
            line.textChanged.connect(self._revalidate)
        self.term_start.dateChanged.connect(self._revalidate)
        self.term_end.dateChanged.connect(self._revalidate)
        self.report_day_set.toggled.connect(self._revalidate)
        self.report_day.dateChanged.connect(self._revalidate)
        self.warn_days.valueChanged.connect(self._revalidate)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setDateRange(QDate(1990, 1, 1), QDate(2100, 12, 31))
        return edit

    def _fill(self) -> None:
        s = self.settings
        self.city.setText(s.city)
        self.office.setText(s.office)
        self.center.setText(s.center)
        self.pledge.setText(s.pledge)
        self.report_title.setText(s.report_title)
        self.term_start.setDate(_qdate(s.term_start))
        self.term_end.setDate(_qdate(s.term_end))
        day = s.report_day
        self.report_day_set.setChecked(day is not None)
        self.report_day.setDate(_qdate(day or dt.date.today()))
        self.report_day.setEnabled(day is not None)
        self.export_dir.setText(s.export_dir)
        self.report_template.setText(s.report_template)
        self.warn_days.setValue(s.warn_days)
        for provider, edit in self.roster_notes.items():
            edit.setPlainText(self.notes.get(provider, ""))

    def values(self) -> Any:
        """The settings as currently typed (db.settings.OfficeSettings); the one the dialog
        does not show (the dashboard's fixed date) is kept as loaded."""
        day = _pydate(self.report_day.date()).isoformat() if self.report_day_set.isChecked() \
            else ""
        return replace(
            self.settings, city=self.city.text().strip(), office=self.office.text().strip(),
            center=self.center.text().strip(), pledge=self.pledge.text().strip(),
            report_title=self.report_title.text().strip(),
            term_start=_pydate(self.term_start.date()), term_end=_pydate(self.term_end.date()),
            warn_days=self.warn_days.value(), export_dir=self.export_dir.text().strip(),
            report_template=self.report_template.text().strip(), report_date=day,
        )

    def problem_messages(self) -> list[str]:
        """Korean messages for what is wrong now (empty when the settings can be saved)."""
        values = self.values()
        problems = validate_settings(values)
        if values.report_template and not Path(values.report_template).is_file():
            problems.append(f"보고서 양식 '{values.report_template}'이(가) 없습니다. "
                            "찾아보기로 있는 .hwpx 파일을 고르거나 칸을 비우세요.")
        return problems

    @Slot()
    def _revalidate(self) -> None:
        problems = self.problem_messages()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    @Slot()
    def _pick_folder(self) -> None:
        start = self.export_dir.text() or ""
        chosen = QFileDialog.getExistingDirectory(self, "기본 내보내기 폴더 선택", start)
        if chosen:
            self.export_dir.setText(chosen)

    @Slot()
    def _pick_template(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "보고서 양식 선택",
                                                self.report_template.text(), "한글 문서 (*.hwpx)")
        if chosen:
            self.report_template.setText(chosen)

    def accept(self) -> None:
        """Save and close; a refusal from the database layer is shown and the dialog stays."""
        if self.problem_messages():
            return
        notes = {p: e.toPlainText() for p, e in self.roster_notes.items()}
        try:
            save_settings(self.database, self.values(), notes, initiator=self)
        except DureError as exc:
            QMessageBox.warning(self, "설정을 저장할 수 없습니다", str(exc))
            return
        self.settings = self.values()
        self.notes = {p: t.strip() for p, t in notes.items() if t.strip()}
        self.saved.emit()
        super().accept()
