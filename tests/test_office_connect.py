"""파일 → 서버에 연결: Korean message when the server is down, password kept out of files,
and a form's unsaved edits surviving a lost connection."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db import models as m
from db import service
from db.office import connection as conn
from db.office.connection import ServerSettings
from db.session import open_database
from gui.connect_dialog import ConnectDialog, saved_server
from tests.pg_server import fresh_database

SECRET = "숨길-비밀번호-9876"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


def test_a_server_that_is_down_gets_a_korean_message(qtbot):
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.fields.host.setText("127.0.0.1")
    dialog.fields.port.setValue(closed_port())
    dialog.fields.user.setText("kim")
    dialog.fields.password.setText(SECRET)
    assert not dialog.try_connect()
    status = dialog.status.text()
    assert "연결할 수 없습니다" in status and "서버 컴퓨터가 켜져" in status
    assert SECRET not in dialog.status.text() and dialog.database is None


def test_connecting_keeps_the_password_out_of_the_settings_file(qtbot, pg_admin_url, tmp_path):
    u = make_url(fresh_database(pg_admin_url))
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    f = dialog.fields
    f.host.setText(u.host)
    f.port.setValue(u.port)
    f.database.setText(u.database)
    f.user.setText(u.username)
    f.password.setText(SECRET)  # the test server trusts loopback: any password connects
    f.remember.setChecked(f.remember.isEnabled())
    assert dialog.try_connect(), dialog.status.text()
    try:
        assert make_url(dialog.database.url).query["sslmode"] == "prefer"  # TLS when offered
        assert saved_server() == ServerSettings(u.host, u.port, u.database, u.username)
        for path in (tmp_path / "data").rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path
        if not conn.has_keyring():  # this machine: no keyring backend, said in Korean
            assert not f.remember.isEnabled() and "키링" in f.keyring_note.text()
            assert conn.remember(saved_server(), SECRET) == conn.NO_KEYRING
            assert conn.stored_password(saved_server()) is None
    finally:
        dialog.database.close()


def test_a_lost_connection_keeps_the_forms_edits_and_the_next_save_reconnects(qtbot, pg_admin_url):
    from gui.forms.organization import ORGANIZATION
    from gui.widgets.lookups import Lookups
    from gui.widgets.record_form import RecordForm
    from tests.gui_helpers import type_into

    url = fresh_database(pg_admin_url)
    database = open_database(url)
    try:
        ident = service.save(database, m.Organization(name="끊김기업")).id
        form = RecordForm(ORGANIZATION, database, Lookups(database))
        qtbot.addWidget(form)
        assert form.load(ident)
        type_into(qtbot, form.editors["phone"], "031-987-6543")
        admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:  # what a server restart does to every desk's connections
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = :d AND pid <> pg_backend_pid()"),
                      {"d": make_url(url).database})
        admin.dispose()
        assert form.save() is None
        assert "연결이 끊겨" in form.last_error
        assert form.dirty and form.editors["phone"].value() == "031-987-6543"
        assert form.save() == ident, form.last_error  # the pool connects again
        with database.session() as s:
            assert s.get(m.Organization, ident).phone == "031-987-6543"
    finally:
        database.close()


def test_settings_check_says_what_is_missing():
    from db.errors import DureError

    with pytest.raises(DureError, match="서버 주소"):
        ServerSettings("", 5432, "dure", "kim").check()
    with pytest.raises(DureError, match="사용자"):
        ServerSettings("srv", 5432, "dure", "").check()


needs_local_server = pytest.mark.skipif(
    bool(__import__("os").environ.get("DURE_TEST_PG_URL")),
    reason="stops and starts the private test server (not a given one)")


@needs_local_server
def test_the_server_going_down_and_coming_back_keeps_the_forms_edits(qtbot, pg_admin_url):
    from gui.forms.organization import ORGANIZATION
    from gui.widgets.lookups import Lookups
    from gui.widgets.record_form import RecordForm
    from tests.gui_helpers import type_into
    from tests.pg_server import stop_while

    database = open_database(fresh_database(pg_admin_url))
    try:
        ident = service.save(database, m.Organization(name="정전기업")).id
        form = RecordForm(ORGANIZATION, database, Lookups(database))
        qtbot.addWidget(form)
        assert form.load(ident)
        type_into(qtbot, form.editors["phone"], "031-555-0000")

        def while_down():
            first, first_error = form.save(), form.last_error
            second, second_error = form.save(), form.last_error  # still down: said again
            return first, first_error, second, second_error

        first, first_error, second, second_error = stop_while(pg_admin_url, while_down)
        assert first is None and second is None
        for message in (first_error, second_error):
            assert "서버" in message and "그대로" in message, message
        assert form.dirty and form.editors["phone"].value() == "031-555-0000"
        assert form.save() == ident, form.last_error  # the server is back: the same form saves
        with database.session() as s:
            assert s.get(m.Organization, ident).phone == "031-555-0000"
    finally:
        database.close()


@needs_local_server
@pytest.mark.skipif(__import__("shutil").which("openssl") is None, reason="no openssl")
def test_tls_when_the_server_asks_for_it(pg_admin_url):
    """The server takes this login over TLS only: Dure's connection (sslmode=prefer) is
    encrypted, and one that refuses TLS is turned away by the server."""
    import uuid

    from db.errors import DatabaseError
    from tests.pg_server import tls_only_for

    u = make_url(fresh_database(pg_admin_url))
    login = f"tls_{uuid.uuid4().hex[:6]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE ROLE "{login}" LOGIN'))
        c.execute(text(f'ALTER DATABASE "{u.database}" OWNER TO "{login}"'))
    admin.dispose()
    server = ServerSettings(u.host, u.port, u.database, login)
    with tls_only_for(pg_admin_url, login):
        database = conn.connect(server, None)
        try:
            with database.engine.connect() as c:
                encrypted = c.execute(text(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar()
            assert encrypted is True
            service.save(database, m.Organization(name="암호화기업"))
        finally:
            database.close()
        plain = ServerSettings(u.host, u.port, u.database, login, sslmode="disable")
        with pytest.raises(DatabaseError, match="연결할 수 없습니다"):
            conn.connect(plain, None)
