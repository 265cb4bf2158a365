"""파일 → 서버에 연결: host, port, database, user and password of a shared PostgreSQL server.

The password goes only to the OS keyring (when the clerk ticks it and a keyring exists) and
to the connection itself: never to the settings file (window.ini keeps host, port, database
and user), a log, a message or the window. TLS is used when the server offers it
(sslmode=prefer). A server that is down gets a Korean message and the dialog stays open.
Also here: 파일 → 데이터베이스 옮기기 (TransferDialog, `main.py transfer` in a window).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.office import connection as conn
from db.office.connection import ServerSettings
from db.office.transfer import transfer
from gui.sign_in_dialog import error_label
from gui.window_store import settings_store


def _settings() -> Any:
    return settings_store()


def saved_server() -> ServerSettings | None:
    """The last server connected to (no password: that is in the keyring, or asked)."""
    s = _settings()
    host = s.value("server/host", "")
    if not host:
        return None
    return ServerSettings(str(host), int(s.value("server/port", 5432)),
                          str(s.value("server/database", "dure")), str(s.value("server/user", "")))


def save_server(server: ServerSettings) -> None:
    s = _settings()
    for key, value in (("host", server.host), ("port", server.port),
                       ("database", server.database), ("user", server.user)):
        s.setValue(f"server/{key}", value)
    s.sync()


class ServerFields(QWidget):
    """The host / port / database / user / password fields (shared by the two dialogs)."""

    def __init__(self, parent: QWidget | None = None, *, ask_remember: bool = True) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("예: 192.168.0.10 또는 dure-server")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("dure", self)
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("내 로그인 이름")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("서버 주소", self.host)
        form.addRow("포트", self.port)
        form.addRow("데이터베이스", self.database)
        form.addRow("사용자", self.user)
        form.addRow("비밀번호", self.password)
        self.remember = QCheckBox("비밀번호를 이 컴퓨터의 비밀번호 보관함(키링)에 저장", self)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        if ask_remember:  # full-width rows: a wrapped label in a field column overlaps
            form.addRow(self.remember)
            form.addRow(self.keyring_note)
            if not conn.has_keyring():
                self.remember.setEnabled(False)
                self.keyring_note.setText(conn.NO_KEYRING)
        self.remember.setVisible(ask_remember)
        self.keyring_note.setVisible(ask_remember and bool(self.keyring_note.text()))

    def fill(self, server: ServerSettings | None) -> None:
        if server is None:
            return
        self.host.setText(server.host)
        self.port.setValue(server.port)
        self.database.setText(server.database)
        self.user.setText(server.user)
        stored = conn.stored_password(server)
        if stored:
            self.password.setText(stored)
            self.remember.setChecked(True)

    def server(self) -> ServerSettings:
        return ServerSettings(self.host.text().strip(), self.port.value(),
                              self.database.text().strip(), self.user.text().strip())


class ConnectDialog(QDialog):
    """Connect (sign in) to a shared server; `database` is the opened Database on success."""

    def __init__(self, _current: Any = None, parent: QWidget | None = None,
                 server: ServerSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("서버에 연결")
        self.database: Any = None
        lay = QVBoxLayout(self)
        intro = QLabel("사무실 공유 서버(PostgreSQL)에 내 계정으로 연결합니다. 서버가 요청하면 "
                       "암호화(TLS)로 연결합니다.", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.fields = ServerFields(self)
        self.fields.fill(server or saved_server())
        lay.addWidget(self.fields)
        self.status = error_label(self)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("연결", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("취소", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_connect)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(480)

    def try_connect(self) -> bool:
        server = self.fields.server()
        password = self.fields.password.text()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.database = conn.connect(server, password)
        except DureError as exc:
            self.status.setText(str(exc))
            self.status.show()
            self.adjustSize()  # room for the message
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        save_server(server)
        note = ""
        if self.fields.remember.isChecked() and password:
            note = conn.remember(server, password)
        elif not self.fields.remember.isChecked():
            conn.forget(server)
        self.keyring_problem = note
        self.accept()
        return True


class TransferDialog(QDialog):
    """파일 → 데이터베이스 옮기기: the open database into an empty server database or a new file."""

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = database
        self.result: Any = None
        self.setWindowTitle("데이터베이스 옮기기")
        lay = QVBoxLayout(self)
        intro = QLabel("지금 연 데이터베이스의 모든 기록(변경 이력, 휴지통 포함)을 빈 서버 "
                       "데이터베이스나 새 SQLite 파일로 옮깁니다. 한 번에 옮기고 표마다 기록 수를 "
                       "비교하며, 중간에 실패하면 대상에는 아무것도 남기지 않습니다.", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.fields = ServerFields(self, ask_remember=False)
        self.fields.fill(saved_server())
        lay.addWidget(self.fields)
        self.to_file = QPushButton("서버 대신 새 SQLite 파일로…", self)
        self.to_file.clicked.connect(self._pick_file)
        lay.addWidget(self.to_file)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("서버로 옮기기", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("닫기", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(
            lambda: self.run(self.fields.server().url(self.fields.password.text())))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "옮길 새 파일", "",
                                              "두레 데이터베이스 (*.sqlite)")
        if path:
            self.run(path)

    def run(self, target: str) -> bool:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = transfer(self.source.url, target)
        except DureError as exc:
            self.status.setStyleSheet("color: #d32f2f;")
            self.status.setText(str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.status.setStyleSheet("")
        self.status.setText(f"옮겼습니다: {self.result.target}\n기록 {self.result.total:,}건, "
                            f"표 {len(self.result.counts)}개 모두 기록 수가 같습니다.")
        return True
