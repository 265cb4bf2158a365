"""관리 → 사용자 관리: the Dure users of a shared server (name, 부서, role), for a 관리 user.

Everything it does is done by the server (db/office/users.py): a clerk without CREATEROLE
(열람, 입력) gets the server's refusal in Korean. SQLite has no users: the window says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import DureError
from db.office import users


class UsersDialog(QDialog):
    COLUMNS = ("로그인", "이름", "부서", "역할", "상태")

    def __init__(self, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("사용자 관리")
        lay = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        lay.addWidget(self.table)
        add = QFormLayout()
        self.login = QLineEdit(self)
        self.name = QLineEdit(self)
        self.department = QLineEdit(self)
        self.role = QComboBox(self)
        self.role.addItems(list(users.ROLES))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for text, widget in (("로그인 이름", self.login), ("이름", self.name),
                             ("부서", self.department),
                             ("역할", self.role), ("처음 비밀번호", self.password)):
            add.addRow(text, widget)
        lay.addLayout(add)
        row = QHBoxLayout()
        self.add_button = QPushButton("사용자 추가", self)
        self.role_button = QPushButton("선택한 사용자 역할을 위 역할로", self)
        self.toggle_button = QPushButton("로그인 막기/허용", self)
        for b in (self.add_button, self.role_button, self.toggle_button):
            row.addWidget(b)
        lay.addLayout(row)
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.toggle_button.clicked.connect(self.toggle_active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.shown: list[users.OfficeUser] = []
        self.server = database.engine.dialect.name == "postgresql"
        for w in (self.add_button, self.role_button, self.toggle_button):
            w.setEnabled(self.server)
        if not self.server:
            self.status.setText("이 컴퓨터 한 대의 데이터베이스(SQLite)는 로그인 없이 씁니다. "
                                "사용자와 역할은 공유 서버(PostgreSQL)에서 관리합니다.")
        else:
            self.reload()
        self.resize(640, 480)

    def _do(self, fn: Any, *args: Any, done: str = "") -> bool:
        try:
            fn(self.database.engine, *args)
        except DureError as exc:
            self.status.setStyleSheet("color: #d32f2f;")
            self.status.setText(str(exc))
            return False
        self.status.setStyleSheet("")
        self.status.setText(done)
        self.reload(keep_status=True)
        return True

    def reload(self, keep_status: bool = False) -> None:
        try:
            self.shown = users.list_users(self.database.engine)
        except DureError as exc:
            self.status.setText(str(exc))
            return
        self.table.setRowCount(len(self.shown))
        for r, u in enumerate(self.shown):
            for c, text in enumerate((u.login, u.name, u.department or "", u.role,
                                      "사용" if u.active else "로그인 막음")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if not keep_status and not self.shown:
            self.status.setText("등록된 사용자가 없습니다. 아래에서 추가하세요.")

    def selected(self) -> users.OfficeUser | None:
        r = self.table.currentRow()
        return self.shown[r] if 0 <= r < len(self.shown) else None

    def add_user(self) -> bool:
        login = self.login.text().strip()
        ok = self._do(users.add_user, login, self.name.text(), self.role.currentText(),
                      self.password.text(), self.department.text(),
                      done=f"'{login}' 사용자를 추가했습니다.")
        if ok:
            self.password.clear()
        return ok

    def change_role(self) -> bool:
        u = self.selected()
        if u is None:
            self.status.setText("역할을 바꿀 사용자를 표에서 고르세요.")
            return False
        role = self.role.currentText()
        return self._do(users.set_role, u.login, role,
                        done=f"{u.name}의 역할을 {role}(으)로 바꿨습니다.")

    def toggle_active(self) -> bool:
        u = self.selected()
        if u is None:
            self.status.setText("사용자를 표에서 고르세요.")
            return False
        return self._do(users.set_active, u.login, not u.active,
                        done=f"{u.name}의 로그인을 {'허용했' if not u.active else '막았'}습니다.")
