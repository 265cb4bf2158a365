"""People, not PCs: roles enforced by the PostgreSQL server, the history names the signed-in
user."""

from __future__ import annotations

import io
import uuid

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

import main
from db import models as m
from db import service
from db.errors import DureError
from db.office import users
from db.safety import trash
from db.session import open_database
from tests.pg_server import fresh_database

PASSWORD = "비밀번호1234"


def raw(url):
    from db.office.notify import conninfo

    return psycopg.connect(conninfo(url))


@pytest.fixture(scope="module")
def office(pg_admin_url):
    """A server database set up for an office: (owner URL, {role: signed-in URL})."""
    url = fresh_database(pg_admin_url)
    owner = open_database(url)
    users.setup(owner.engine)
    users.setup(owner.engine)  # idempotent
    tag = uuid.uuid4().hex[:6]
    people = {"입력": ("김하나", "사회적경제과"), "열람": ("이두리", "감사팀"),
              "관리": ("박세나", "사회적경제과")}
    signed = {}
    for role, (name, dept) in people.items():
        login = f"{users._SUFFIX[role]}_{tag}"
        users.add_user(owner.engine, login, name, role, PASSWORD, dept)
        signed[role] = make_url(url).set(username=login, password=PASSWORD).render_as_string(
            hide_password=False)
    owner.close()
    return url, signed


@pytest.fixture
def desk(office):
    opened = []

    def open_as(role):
        database = open_database(office[1][role])
        opened.append(database)
        return database

    yield open_as
    for d in opened:
        d.close()


def test_history_and_trash_name_the_signed_in_user(office, desk):
    clerk = desk("입력")
    assert users.current_user(clerk.engine).name == "김하나"
    org = service.save(clerk, m.Organization(name="이력기업"))
    service.save(clerk, m.Organization(id=org.id, name="이력기업", phone="031-000-0000"))
    service.delete(clerk, m.Organization, org.id)
    with clerk.session() as s:
        logs = s.scalars(select(m.ChangeLog).where(m.ChangeLog.table_name == "organization",
                                                   m.ChangeLog.record_id == str(org.id))).all()
        assert [entry.op for entry in logs] == ["insert", "update", "delete"]
        assert {entry.dure_user for entry in logs} == {"김하나"}
    assert [i.deleted_by for i in trash.list_items(clerk) if i.record_id == org.id] == ["김하나"]


def test_a_reader_write_is_refused_by_the_server(office, desk):
    reader = desk("열람")
    with pytest.raises(DureError, match="서버가 이 작업을 거부"):
        service.save(reader, m.Organization(name="열람자가 쓴 기업"))
    # not only the write path: the server itself refuses a raw INSERT (plain psycopg, no Dure)
    with raw(office[1]["열람"]) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO organization (name, kind) VALUES ('우회', '기타')")
    with desk("관리").session() as s:
        assert s.scalar(select(m.Organization.id).where(m.Organization.name.like("%우회%"))) is None
        assert s.scalar(select(m.Organization.id)
                        .where(m.Organization.name == "열람자가 쓴 기업")) is None


def test_an_editor_cannot_change_settings_or_history_a_manager_can(office, desk):
    clerk, manager = desk("입력"), desk("관리")
    with pytest.raises(DureError, match="거부"):
        service.save(clerk, m.Setting(key="office_name", value="편집자가 바꿈"))
    service.save(manager, m.Setting(key="office_name", value="관리자가 바꿈"))
    with raw(office[1]["입력"]) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM change_log")


def test_an_editor_restores_only_their_own_trash(office, desk):
    clerk, manager = desk("입력"), desk("관리")
    mine = service.save(clerk, m.Organization(name="내가 지운 기업")).id
    theirs = service.save(manager, m.Organization(name="관리자가 지운 기업")).id
    service.delete(clerk, m.Organization, mine)
    service.delete(manager, m.Organization, theirs)
    items = {i.record_id: i.id for i in trash.list_items(clerk)}
    trash.restore(clerk, items[mine])
    with pytest.raises(DureError, match="거부"):
        trash.restore(clerk, items[theirs])
    with clerk.session() as s:
        assert s.get(m.Organization, theirs) is None  # nothing half-restored
    trash.restore(manager, items[theirs])
    with manager.session() as s:
        assert s.get(m.Organization, theirs) is not None


def test_users_command_adds_lists_and_changes_roles(office, monkeypatch, capsys):
    url, _signed = office
    login = "cli_" + uuid.uuid4().hex[:6]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main.main(["--db", url, "users", "add", login, "--name", "최다온", "--dept", "총무과",
                      "--role", "열람"]) == 0
    assert main.main(["--db", url, "users", "role", login, "입력"]) == 0
    assert main.main(["--db", url, "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "최다온" in out and "총무과" in out
    line = next(x for x in out.splitlines() if x.startswith(login + " "))
    assert line.split()[-1] == "입력"
    signed = (make_url(url).set(username=login, password=PASSWORD)
              .render_as_string(hide_password=False))
    database = open_database(signed)
    try:
        assert service.save(database, m.Organization(name="역할 바꾼 뒤")).id  # now 입력
    finally:
        database.close()
    with pytest.raises(SystemExit):  # not a role: argparse's Korean error
        main.main(["--db", url, "users", "role", login, "관리자"])
    assert "잘못된 선택" in capsys.readouterr().err


def test_sqlite_has_no_users(tmp_path):
    database = open_database(tmp_path / "one.sqlite")
    try:
        with pytest.raises(DureError, match="SQLite"):
            users.setup(database.engine)
        assert users.current_user(database.engine) is None
    finally:
        database.close()


def test_users_window_adds_a_clerk_and_changes_a_role(qtbot, office, desk):
    from gui.users_dialog import UsersDialog

    manager = desk("관리")
    dialog = UsersDialog(manager)
    qtbot.addWidget(dialog)
    login = "win_" + uuid.uuid4().hex[:6]
    dialog.login.setText(login)
    dialog.name.setText("정새봄")
    dialog.department.setText("일자리과")
    dialog.role.setCurrentText("열람")
    dialog.password.setText("짧음")
    assert not dialog.add_user() and "8자" in dialog.status.text()  # refused, told why
    dialog.password.setText(PASSWORD)
    assert dialog.add_user(), dialog.status.text()
    assert dialog.password.text() == ""  # not left in the window
    row = next(r for r, u in enumerate(dialog.shown) if u.login == login)
    assert [dialog.table.item(row, c).text() for c in range(4)] == [login, "정새봄", "일자리과",
                                                                    "열람"]
    dialog.table.setCurrentCell(row, 0)
    dialog.role.setCurrentText("입력")
    assert dialog.change_role()
    assert next(u for u in users.list_users(manager.engine) if u.login == login).role == "입력"
    # an editor's window: the server refuses, the window says so in Korean
    clerk_dialog = UsersDialog(desk("입력"))
    qtbot.addWidget(clerk_dialog)
    clerk_dialog.login.setText("no_" + uuid.uuid4().hex[:6])
    clerk_dialog.name.setText("몰래")
    clerk_dialog.password.setText(PASSWORD)
    assert not clerk_dialog.add_user()
    assert "거부" in clerk_dialog.status.text() or "권한" in clerk_dialog.status.text()
