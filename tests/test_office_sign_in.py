"""Signing in on a shared server and the password in a real keyring (issue 12).

Dure opened on a PostgreSQL URL asks who signs in (두레 로그인); the session then runs as that
login on the real server the tests start, so the server enforces the role and the history
names the clerk. The password goes to a real keyring backend (keyrings.alt's file keyring, set
with keyring.set_keyring: this machine has no Secret Service) and nowhere else.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from db import models as m
from db import service
from db.errors import DureError
from db.office import connection as conn
from db.office import users
from db.session import open_database
from gui.opening import open_with_dialogs
from gui.sign_in_dialog import SignInDialog
from tests.pg_server import fresh_database

PASSWORD = "로그인-비번-4321"


def _hba_file(engine) -> Path | None:
    with engine.connect() as c:
        path = Path(c.execute(text("SHOW hba_file")).scalar())
    return path if path.exists() and os.access(path, os.W_OK) else None  # a local test server


@pytest.fixture(scope="module")
def server(pg_admin_url):
    """A server database set up for Dure users: (URL with no user, {role: login}, checks_pw).

    The test server trusts loopback logins; these logins are made to need their password
    (scram-sha-256 lines put first in pg_hba.conf, reloaded) so a wrong password is refused.
    """
    url = fresh_database(pg_admin_url)
    owner = open_database(url)
    users.setup(owner.engine)
    tag = uuid.uuid4().hex[:6]
    logins = {"입력": f"kim_{tag}", "열람": f"lee_{tag}"}
    users.add_user(owner.engine, logins["입력"], "김하나", "입력", PASSWORD, "사회적경제과")
    users.add_user(owner.engine, logins["열람"], "이두리", "열람", PASSWORD, "감사팀")
    with owner.engine.begin() as c:
        c.execute(text(f'CREATE ROLE "plain_{tag}" LOGIN'))
    hba = _hba_file(owner.engine)
    old = hba.read_text() if hba is not None else None
    if hba is not None:
        lines = [f"host all {login} {net} scram-sha-256\n" for login in logins.values()
                 for net in ("127.0.0.1/32", "::1/128")]
        hba.write_text("".join(lines) + old)
        with owner.engine.connect() as c:
            c.execute(text("SELECT pg_reload_conf()"))
    bare = make_url(url).set(username=None, password=None).render_as_string(hide_password=False)
    yield bare, logins, tag, hba is not None
    if hba is not None:
        hba.write_text(old)
        with owner.engine.connect() as c:
            c.execute(text("SELECT pg_reload_conf()"))
    owner.close()


@pytest.fixture
def file_keyring(tmp_path):
    """A real keyring backend (a file outside the data folder) for this test."""
    before = keyring.get_keyring()
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    conn.set_backend(ring)
    yield ring
    keyring.set_keyring(before)
    conn._chosen = None


def when_shown(cls, act):
    """Run `act(dialog)` once a modal `cls` dialog is on screen (polled); returns what it saw."""
    seen: dict = {"count": 0}

    def poll():
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
        if not shown:
            QTimer.singleShot(30, poll)
            return
        seen["count"] += 1
        act(shown[0], seen)

    QTimer.singleShot(30, poll)
    return seen


def test_opening_a_server_asks_who_signs_in_and_the_history_names_them(qtbot, server,
                                                                         file_keyring, tmp_path):
    url, logins, _tag, checks_pw = server

    def answer(dialog, seen):
        seen["title"] = dialog.windowTitle()
        dialog.login.setText(logins["입력"])
        if checks_pw and "wrong" not in seen:  # first a wrong password: refused in Korean
            dialog.password.setText("틀린-비밀번호")
            seen["wrong"] = dialog.try_sign_in()
            seen["message"] = dialog.status.text()
        dialog.password.setText(PASSWORD)
        dialog.remember.setChecked(True)
        dialog.ok.click()

    seen = when_shown(SignInDialog, answer)
    database = open_with_dialogs(None, url)
    try:
        assert database is not None and seen["title"] == "두레 로그인"
        if checks_pw:
            assert seen["wrong"] is False and "비밀번호가 맞지 않습니다" in seen["message"]
            assert PASSWORD not in seen["message"]
        assert make_url(database.url).username == logins["입력"]
        assert users.current_user(database.engine).name == "김하나"
        ident = service.save(database, m.Organization(name="로그인기업")).id
        with database.session() as s:
            log = s.scalars(select(m.ChangeLog).where(m.ChangeLog.table_name == "organization",
                                                      m.ChangeLog.record_id == str(ident))).one()
            assert log.dure_user == "김하나"
        where = conn.settings_of(url)
        key = conn.ServerSettings(where.host, where.port, where.database, logins["입력"]).key
        assert keyring.get_password(conn.KEYRING_SERVICE, key) == PASSWORD  # in the keyring
        for path in (tmp_path / "data").rglob("*"):  # never in the settings file or a log
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes(), path
        assert PASSWORD not in database.where  # what the status bar shows
    finally:
        database.close()

    filled = {}  # the next start: the password comes back from the keyring

    def look(dialog, seen):
        dialog.login.setText(logins["입력"])
        dialog.login.editingFinished.emit()
        filled["password"] = dialog.password.text()
        filled["remember"] = dialog.remember.isChecked()
        dialog.cancel.click()

    when_shown(SignInDialog, look)
    assert open_with_dialogs(None, url) is None  # cancelled: nothing opened
    assert filled == {"password": PASSWORD, "remember": True}


def test_a_reader_signed_in_is_refused_by_the_server(qtbot, server):
    url, logins, _tag, _checks = server
    dialog = SignInDialog(url)
    qtbot.addWidget(dialog)
    dialog.login.setText(logins["열람"])
    dialog.password.setText(PASSWORD)
    assert dialog.try_sign_in(), dialog.status.text()
    try:
        assert dialog.user.role == "열람"
        with pytest.raises(DureError, match="서버가 이 작업을 거부했습니다"):
            service.save(dialog.database, m.Organization(name="열람기업"))
    finally:
        dialog.database.close()


def test_a_login_that_is_no_dure_user_is_refused_and_the_owner_may_sign_in(qtbot, server,
                                                                             pg_admin_url):
    url, _logins, tag, _checks = server
    dialog = SignInDialog(url)
    qtbot.addWidget(dialog)
    dialog.login.setText(f"plain_{tag}")
    assert not dialog.try_sign_in()
    assert "두레 사용자가 아닙니다" in dialog.status.text() and dialog.database is None
    owner = make_url(pg_admin_url)
    database, user = conn.sign_in(url, owner.username, owner.password or "")
    database.close()
    assert user is None  # the owner sets Dure up: no Dure user of its own


def test_an_sqlite_file_opens_without_signing_in(qtbot, tmp_path):
    seen = when_shown(SignInDialog, lambda dialog, seen: dialog.cancel.click())
    database = open_with_dialogs(None, tmp_path / "desk.sqlite")
    try:
        assert database is not None and database.url.startswith("sqlite")
        qtbot.wait(100)
        assert seen["count"] == 0
    finally:
        database.close()


# ---------------------------------------------------------------- the keyring


def test_the_connect_dialog_keeps_reads_and_forgets_the_password_in_the_keyring(
        qtbot, pg_admin_url, file_keyring, tmp_path):
    from gui.connect_dialog import ConnectDialog

    u = make_url(fresh_database(pg_admin_url))
    server = conn.ServerSettings(u.host, u.port, u.database, u.username)
    dialog = ConnectDialog(server=server)
    qtbot.addWidget(dialog)
    assert dialog.fields.remember.isEnabled() and not dialog.fields.keyring_note.isVisible()
    dialog.fields.password.setText(PASSWORD)
    dialog.fields.remember.setChecked(True)
    assert dialog.try_connect(), dialog.status.text()
    dialog.database.close()
    assert dialog.keyring_problem == ""
    assert file_keyring.get_password(conn.KEYRING_SERVICE, server.key) == PASSWORD
    assert PASSWORD not in dialog.windowTitle()
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path

    again = ConnectDialog()  # the saved server, the password from the keyring
    qtbot.addWidget(again)
    assert again.fields.password.text() == PASSWORD and again.fields.remember.isChecked()
    again.fields.remember.setChecked(False)  # the clerk no longer wants it kept
    assert again.try_connect(), again.status.text()
    again.database.close()
    assert file_keyring.get_password(conn.KEYRING_SERVICE, server.key) is None
    assert conn.stored_password(server) is None


@pytest.mark.parametrize("backend", ["none", "unasked file"])
def test_without_a_usable_keyring_the_password_is_asked_with_a_korean_note(qtbot, backend):
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring() if backend == "none" else PlaintextKeyring())
    try:
        assert not conn.has_keyring()  # a file keyring Dure did not choose is not used
        server = conn.ServerSettings("127.0.0.1", 5432, "dure", "kim")
        assert conn.remember(server, PASSWORD) == conn.NO_KEYRING
        assert conn.stored_password(server) is None
        dialog = SignInDialog("postgresql+psycopg://kim@127.0.0.1:5432/dure")
        qtbot.addWidget(dialog)
        assert not dialog.remember.isEnabled()
        assert "키링" in dialog.keyring_note.text() and "입력하세요" in dialog.keyring_note.text()
        assert dialog.password.text() == ""
    finally:
        keyring.set_keyring(before)
