"""The window's menus: 파일, 내보내기, 설정, 도움말. Each dialog's module is imported when its
action is first used (start-up speed); an import error there is a bug and fails loudly.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

MAX_RECENT = 8
DB_FILTER = "두레 데이터베이스 (*.sqlite *.db);;모든 파일 (*)"


def load_class(module: str, name: str) -> Any:
    """The class `name` of `module`, imported on first use (the dialogs load Qt widgets and
    SQLAlchemy: not at start-up)."""
    return getattr(importlib.import_module(module), name)


def set_shortcut(window: Any, action: QAction, key: Any) -> None:
    """Give `action` its shortcut now, or once the window has shown when it defers them.

    Qt's first shortcut builds the Python enums of the whole Qt namespace (about 20 ms), which
    the start (gui/app.py) spends after the window is on screen: `install_shortcuts()`.
    """
    pending = getattr(window, "pending_shortcuts", None)
    if pending is None:
        action.setShortcut(key)
    else:
        pending.append((action, key))


def install_shortcuts(window: Any) -> None:
    """The shortcuts `set_shortcut` kept back, set now; later ones are set at once."""
    pending = getattr(window, "pending_shortcuts", None) or []
    window.pending_shortcuts = None
    for action, key in pending:
        action.setShortcut(key)


class FileMenu:
    """파일 menu: database files, safety dialogs, recent files."""

    def __init__(self, window: Any) -> None:
        self.window = window
        bar = window.menuBar()
        menu = bar.addMenu("파일(&F)")
        self.menu = menu
        self._add(menu, "새 데이터베이스…", self.new_database)
        self._add(menu, "열기…", self.open_file, QKeySequence.StandardKey.Open)
        self.recent = menu.addMenu("최근 파일")
        menu.addSeparator()
        self.dialog_actions: list[tuple[QAction, str]] = []
        for text, module, cls, after in (
            ("백업…", "gui.backup_dialog", "BackupDialog", None),
            ("복원…", "gui.backup_dialog", "RestoreDialog", "reopen"),
            ("휴지통…", "gui.trash_dialog", "TrashDialog", None),
            ("가져오기…", "gui.import_dialog", "ImportDialog", None),
            ("서버에 연결…", "gui.connect_dialog", "ConnectDialog", "switch"),
            ("데이터베이스 옮기기…", "gui.connect_dialog", "TransferDialog", None),
            ("사용자 관리…", "gui.users_dialog", "UsersDialog", None),
        ):
            act = self._add(menu, text, lambda _c=False, m=module, c=cls, a=after:
                            self.run_dialog(m, c, a))
            self.dialog_actions.append((act, module))
        menu.addSeparator()
        printing = menu.addMenu("인쇄")
        self.print_actions = [
            self._add(printing, "지금 목록 인쇄…", lambda: print_current(window),
                      QKeySequence.StandardKey.Print),
            self._add(printing, "입주공간 현황 인쇄…", lambda: print_kind(window, "roster")),
            self._add(printing, "공약 이행 실적 보고서 인쇄…",
                      lambda: print_kind(window, "report")),
        ]
        menu.addSeparator()
        self._add(menu, "끝내기", window.close, QKeySequence.StandardKey.Quit)
        self.fill_recent()

    def _add(self, menu: QMenu, text: str, slot: Any, key: Any = None) -> QAction:
        act = QAction(text, self.window)
        if key is not None:
            set_shortcut(self.window, act, key)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    # ---------------------------------------------------------------- recent files

    def _settings(self) -> QSettings:
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.window_store import settings_store

        return settings_store()

    def recent_files(self) -> list[str]:
        value: Any = self._settings().value("recent/files", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v]

    def add_recent(self, path: str) -> None:
        items = [path] + [p for p in self.recent_files() if p != path]
        settings = self._settings()
        settings.setValue("recent/files", items[:MAX_RECENT])
        settings.sync()
        self.fill_recent()

    def fill_recent(self) -> None:
        self.recent.clear()
        items = self.recent_files()
        for path in items:
            act = self.recent.addAction(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        self.recent.setEnabled(bool(items))

    # ---------------------------------------------------------------- files

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "새 데이터베이스", "dure.sqlite",
                                              DB_FILTER)
        if not path:
            return
        if Path(path).exists():
            QMessageBox.warning(self.window, "새 데이터베이스",
                                "같은 이름의 파일이 이미 있습니다. 다른 이름을 쓰거나 "
                                "[열기]로 여세요.")
            return
        self.open_path(path)

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "데이터베이스 열기", "", DB_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Close the current database (asking about unsaved edits) and open another."""
        # deferred: loads after the window shows (start-up, gui/app.py)
        from gui.opening import open_with_dialogs, startup_backup_in_background

        if not self.window.unsaved_ok():
            return
        self.window.close_database()
        database = open_with_dialogs(self.window, path)
        if database is None:
            self.window.reopen_previous()
            return
        self.window.open_database(database)
        startup_backup_in_background(self.window, database)

    def run_dialog(self, module: str, cls: str, after: str | None) -> None:
        """Show one of the helper dialogs; after a restore, close and reopen the database."""
        dialog_class = load_class(module, cls)
        if self.window.database is None or (after and not self.window.unsaved_ok()):
            return
        dialog = dialog_class(self.window.database, self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted and after == "reopen":
            self.window.reopen()
        if accepted and after == "switch":  # connected to a server: show it instead
            self.window.close_database()
            self.window.open_database(dialog.database)


def install_menus(window: Any) -> FileMenu:
    """Build every menu of the window; returns the file menu (it keeps the recent list)."""
    files = FileMenu(window)
    export = window.menuBar().addMenu("내보내기(&E)")
    export.setObjectName("내보내기")
    window.export_menu = export
    placeholder = export.addAction("내보내기 기능 준비 중")
    placeholder.setEnabled(False)
    window.export_placeholder = placeholder
    settings = window.menuBar().addMenu("설정(&S)")
    act = settings.addAction("설정…")
    act.triggered.connect(lambda: open_settings(window))
    help_menu = window.menuBar().addMenu("도움말(&H)")
    manual = help_menu.addAction("사용 설명서…")
    set_shortcut(window, manual, QKeySequence.StandardKey.HelpContents)
    manual.triggered.connect(lambda: open_help(window))
    window.help_action = manual
    about = help_menu.addAction("정보…")
    about.triggered.connect(lambda: open_about(window))
    return files


def fill_export_menu(window: Any) -> None:
    """Fill 내보내기 (gui.export_dialog.install_export_menu), after the first data shows."""
    install = load_class("gui.export_dialog", "install_export_menu")
    window.export_menu.clear()
    install(window.export_menu, window)


def open_settings(window: Any) -> None:
    dialog_class = load_class("gui.settings_dialog", "SettingsDialog")
    if window.database is None:
        return
    if dialog_class(window.database, window).exec() == QDialog.DialogCode.Accepted:
        window.refresh_title()


def open_about(window: Any) -> None:
    """정보: version, paths and licences (gui.about_dialog)."""
    dialog_class = load_class("gui.about_dialog", "AboutDialog")
    url = window.database.url if window.database is not None else ""
    dialog_class(url, window).exec()


def open_help(window: Any) -> Any:
    """도움말 → 사용 설명서 (F1): the Korean manual in a window of the app."""
    # deferred: loads after the window shows (start-up, gui/app.py)
    from db.paths import data_dir
    from gui.help_dialog import HelpDialog

    database = window.database
    where = str(getattr(database, "path", None) or getattr(database, "url", "") or "")
    dialog = HelpDialog(str(data_dir()), where, window)
    dialog.show()
    window.help_dialog = dialog
    return dialog


def print_current(window: Any) -> Any:
    """인쇄 (Ctrl+P): the list of the current tab; on 현황 the report."""
    # deferred: loads after the window shows (start-up, gui/app.py)
    from gui.pdf_preview import print_list

    if window.database is None:
        return None
    area = window.current_area()
    if area is None:
        return print_kind(window, "report")
    return print_list(area.current_page(), window)


def print_kind(window: Any, kind: str) -> Any:
    """인쇄 of the roster or the report (as of the 기준일 setting)."""
    # deferred: loads after the window shows (start-up, gui/app.py)
    from gui import pdf_preview

    if window.database is None:
        return None
    make = pdf_preview.print_roster if kind == "roster" else pdf_preview.print_report
    return make(window.database, window)
