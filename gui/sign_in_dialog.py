"""두레 로그인: signing in to a shared PostgreSQL server when Dure opens on one.

Dure opened on a server URL (`--db postgresql+psycopg://…`, DURE_DATABASE_URL) asks for the
Dure user (the clerk's PostgreSQL login) and password before anything is read; the session
then runs as that login, so the server enforces its role (열람 / 입력 / 관리) and the change
history names them. A single-PC SQLite database opens without this. The password comes from
and goes to the OS keyring only (db.office.connection), never to a file, a log or the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.office import connection as conn


def error_label(parent: QWidget) -> QLabel:
    """The red, wrapped, first hidden line where a dialog tells why it could not connect."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #d32f2f;")
    label.hide()
    return label


class SignInDialog(QDialog):
    """Dure user and password for the server at `url`; `database` is open after 로그인."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.server = conn.settings_of(url)
        self.database: Any = None
        self.user: Any = None  # the signed-in db.office.users.OfficeUser (None: no Dure users)
        self.keyring_problem = ""
        self.setWindowTitle("두레 로그인")
        lay = QVBoxLayout(self)
        where = f"{self.server.host}:{self.server.port}/{self.server.database}"
        intro = QLabel(f"사무실 공유 서버({where})의 데이터베이스입니다. 내 두레 사용자 이름과 "
                       "비밀번호로 로그인하세요. 역할(열람·입력·관리)은 서버가 지킵니다.", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.login = QLineEdit(self.server.user, self)
        self.login.setPlaceholderText("내 로그인 이름")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("사용자", self.login)
        form.addRow("비밀번호", self.password)
        lay.addLayout(form)
        self.remember = QCheckBox("비밀번호를 이 컴퓨터의 비밀번호 보관함(키링)에 저장", self)
        lay.addWidget(self.remember)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        lay.addWidget(self.keyring_note)
        if not conn.has_keyring():  # headless Linux and the like: asked at each sign-in
            self.remember.setEnabled(False)
            self.keyring_note.setText(conn.NO_KEYRING)
        self.keyring_note.setVisible(bool(self.keyring_note.text()))
        self.status = error_label(self)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("로그인", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = buttons.addButton("취소", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.login.editingFinished.connect(self._fill_password)
        self._fill_password()
        (self.password if self.login.text() else self.login).setFocus()
        self.setMinimumWidth(440)

    def _settings(self) -> conn.ServerSettings:
        s = self.server
        return conn.ServerSettings(s.host, s.port, s.database, self.login.text().strip(),
                                   s.sslmode)

    def _fill_password(self) -> None:
        """The password kept in the keyring for this user and server, if any."""
        if not self.login.text().strip() or self.password.text():
            return
        stored = conn.stored_password(self._settings())
        if stored:
            self.password.setText(stored)
            self.remember.setChecked(True)

    def try_sign_in(self) -> bool:
        password = self.password.text()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.database, self.user = conn.sign_in(self.url, self.login.text(), password)
        except DureError as exc:
            self.status.setText(str(exc))
            self.status.show()
            self.adjustSize()
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        settings = self._settings()
        if self.remember.isChecked() and password:
            self.keyring_problem = conn.remember(settings, password)
        elif not self.remember.isChecked():
            conn.forget(settings)
        self.accept()
        return True


def sign_in(parent: QWidget | None, url: str) -> Any:
    """Ask for the Dure user of the server at `url`; the open Database, or None if cancelled."""
    dialog = SignInDialog(url, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.database
