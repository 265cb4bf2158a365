"""Korean everywhere: Qt's own dialogs translated, every question Dure asks with Korean buttons,
the window title naming 두레 once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QWidget,
)

from db import models as m
from db import service
from gui.app import install_translations
from tests import sources
from tests.gui_helpers import area_page, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture: a dirty form closing would ask and hang

GUI = Path(__file__).resolve().parent.parent / "gui"
HANGUL = re.compile("[가-힣]")
ENGLISH_WORD = re.compile("[A-Za-z]{2,}")
ALLOWED_ASCII = {"PDF", "Ctrl", "Del", "Esc"}


def english_words(text: str) -> set[str]:
    return set(ENGLISH_WORD.findall(text)) - ALLOWED_ASCII


class BoxWatcher(QObject):
    """Records every QMessageBox as it is shown, then answers it (No/Cancel, or Yes)."""

    def __init__(self, answer_yes: bool = False) -> None:
        super().__init__()
        self.answer_yes = answer_yes
        self.seen: list[tuple[str, str, list[str]]] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QMessageBox):
            self.seen.append((obj.windowTitle(), obj.text(), [b.text() for b in obj.buttons()]))
            QTimer.singleShot(0, lambda box=obj: self._answer(box))
        return False

    def _answer(self, box: QMessageBox) -> None:
        wanted = ((QMessageBox.ButtonRole.YesRole, QMessageBox.ButtonRole.AcceptRole)
                  if self.answer_yes else
                  (QMessageBox.ButtonRole.NoRole, QMessageBox.ButtonRole.RejectRole))
        button = next((b for b in box.buttons() if box.buttonRole(b) in wanted),
                      box.buttons()[0])
        button.click()


@pytest.fixture
def boxes(qapp):
    install_translations(qapp)
    watcher = BoxWatcher()
    qapp.installEventFilter(watcher)
    yield watcher
    qapp.removeEventFilter(watcher)
    for _title, _text, buttons in watcher.seen:
        for text in buttons:
            assert HANGUL.search(text) and not english_words(text), (buttons, watcher.seen)


def standard_buttons_used() -> set[str]:
    """Every `StandardButton.X` named anywhere in gui/."""
    names: set[str] = set()
    for path in GUI.rglob("*.py"):
        for node in sources.nodes(sources.tree(path)):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "StandardButton":
                names.add(node.attr)
    return names


def added_button_texts() -> list[tuple[str, str]]:
    """The literal text of every `box.addButton("…", role)` in gui/."""
    found = []
    for path in GUI.rglob("*.py"):
        for node in sources.nodes(sources.tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "addButton" and node.args \
                    and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                found.append((path.name, node.args[0].value))
    return found


def test_every_standard_button_dure_uses_reads_korean(qapp):
    install_translations(qapp)
    used = standard_buttons_used()
    assert {"Yes", "No"} <= used  # the scan does find the questions
    flags = QMessageBox.StandardButton.NoButton
    for name in used:
        flags |= getattr(QMessageBox.StandardButton, name)
    box = QMessageBox(QMessageBox.Icon.Question, "질문", "내용", flags)
    texts = {b.text() for b in box.buttons()}
    assert len(texts) == len(used)
    for text in texts:
        assert HANGUL.search(text) and not english_words(text), texts
    assert {"예(&Y)", "아니요(&N)"} <= texts
    ok = QMessageBox(QMessageBox.Icon.Information, "알림", "내용",
                     QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert {b.text() for b in ok.buttons()} == {"확인", "취소"}
    for where, text in added_button_texts():
        assert HANGUL.search(text), (where, text)


def visible_texts(dialog: QWidget) -> list[str]:
    texts = []
    for child in dialog.findChildren(QWidget):
        if isinstance(child, (QLabel, QPushButton)):
            texts.append(child.text())
        elif isinstance(child, QTabWidget):
            texts += [child.tabText(i) for i in range(child.count())]
        elif isinstance(child, QComboBox) and not child.isEditable():
            texts += [child.itemText(i) for i in range(child.count())
                      if not child.itemText(i).startswith("/")]
    return [t for t in texts if t]


def test_file_and_print_dialogs_are_korean(qtbot, qapp):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    install_translations(qapp)
    files = QFileDialog(None, "열기")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    files.show()
    texts = visible_texts(files)
    assert "찾는 위치(&L):" in texts and "파일 이름(&N):" in texts
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts += visible_texts(dialog)
    assert "인쇄(&P)" in texts and "취소" in texts
    assert not [t for t in texts if english_words(t)], texts


def test_delete_question_has_korean_buttons(qtbot, db, boxes):
    org = service.save(db, m.Organization(name="지울까말까")).id
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    assert page.select_record(org)
    page.delete_current()  # answered 아니요: the record stays
    assert boxes.seen and "지울까말까" in boxes.seen[0][1]
    with db.session() as s:
        assert s.get(m.Organization, org) is not None


def test_open_errors_and_overwrite_warning_have_korean_buttons(qtbot, db, boxes, tmp_path,
                                                               monkeypatch):
    from gui.opening import open_with_dialogs

    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 50)
    assert open_with_dialogs(None, bad) is None
    window = make_window(qtbot, db)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(bad), "")))
    window.file_menu.new_database()
    assert len(boxes.seen) >= 2
    assert any("이미 있습니다" in text for _t, text, _b in boxes.seen)


def test_trash_and_history_questions_have_korean_buttons(qtbot, db, boxes):
    from gui.history_panel import HistoryDialog
    from gui.trash_dialog import TrashDialog

    org = service.save(db, m.Organization(name="이력기업"))
    service.delete(db, m.Organization, org.id)
    trash = TrashDialog(db)
    qtbot.addWidget(trash)
    trash.empty_all()  # answered 아니요
    assert trash.table.rowCount() == 1
    history = HistoryDialog(db, "organization", org.id)
    qtbot.addWidget(history)
    history.table.selectRow(0)
    history.revert_selected()
    assert len(boxes.seen) == 2


def test_window_title_names_dure_once(qtbot, db):
    window = make_window(qtbot, db)
    title = window.windowTitle()
    assert title == f"두레 — {db.path.name}"
    shown = title
    display = QApplication.applicationDisplayName()
    if display and not title.endswith(display):  # what Qt adds to the title bar
        shown += " — " + display
    assert shown.count("두레") == 1


def test_carried_figure_form_shows_korean_items_and_units(qtbot, db):
    import datetime as dt

    service.save(db, m.CarriedFigure(area="startup", metric="teams_selected",
                                     period_start=dt.date(2018, 1, 1),
                                     period_end=dt.date(2018, 12, 31), value=9))
    window = make_window(qtbot, db)
    page = area_page(window, "governance", 3)
    form = page.form
    assert form.editors["area"].currentText() == ""  # no default 분야 (was 기업)
    metric_col = [f.key for f in page.model.fields].index("metric")
    value_col = [f.key for f in page.model.fields].index("value")
    assert page.model.data(page.model.index(0, metric_col)) == "선정 팀 수(팀)"
    assert page.model.headerData(value_col, Qt.Orientation.Horizontal) == "값"
    page.view.selectRow(0)
    assert form.editors["metric"].currentText() == "선정 팀 수(팀)"
    assert form.captions["value"].text() == "값(팀) *"
    area = form.editors["area"]
    area.setCurrentIndex(area.findData("sales"))
    metric = form.editors["metric"]
    offered = [metric.itemText(i) for i in range(metric.count())]
    assert offered == ["", "판로지원 횟수(회)", "매출액(원)"]
    metric.setCurrentIndex(2)
    assert form.captions["value"].text() == "값(원) *"
    for key in ("area", "metric"):
        combo = form.editors[key]
        for i in range(combo.count()):
            text = combo.itemText(i)
            assert not re.fullmatch(r"[\x00-\x7f]+", text) or not text, text


def test_business_number_shown_with_hyphens_and_only_digits_typed(qtbot, db):

    service.save(db, m.Organization(name="번호기업", brn="1234567891"))
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    col = [f.key for f in page.model.fields].index("brn")
    assert page.model.data(page.model.index(0, col)) == "123-45-67891"
    page.view.selectRow(0)
    editor = page.form.editors["brn"]
    assert editor.text() == "123-45-67891"
    editor.clear()
    qtbot.keyClicks(editor, "12a3-4b5")
    assert editor.text() == "123-45"


def test_amount_and_date_fields_refuse_letters(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "finance")
    money = page.form.editors["approved_amount"]
    money.clear()
    qtbot.keyClicks(money, "8,000x,000")
    assert money.text() == "8,000,000"
    date = area_page(window, "organization").form.editors["designated_on"]
    date.clear()
    qtbot.keyClicks(date, "2021.7q.9")
    assert date.text() == "2021.7.9"
    assert money.accessibleName() and date.accessibleName()


def test_required_message_uses_the_right_particle(db):
    from db.rules import core

    problems = service.check(m.CarriedFigure())
    texts = [p.message for p in problems]
    assert "분야를 입력하세요." in texts and "항목을 입력하세요." in texts
    assert not any("(를)" in t or "(는)" in t for t in texts)
    assert core.josa("날짜", "을/를") == "날짜를"
