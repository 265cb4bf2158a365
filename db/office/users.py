"""People, not PCs: Dure users on a shared PostgreSQL server, enforced by the server itself.

Each clerk signs in with their own PostgreSQL login. A Dure user is that login plus a name,
a 부서 and a role; the role is membership in one of three group roles of this database:

- 열람 (`<db>_reader`): SELECT only. A write is refused by the server (permission denied).
- 입력 (`<db>_editor`): enter and edit records, trash and restore what they trashed (a trigger
  refuses removing another's trash item; row-level security keeps snapshots unchanged), add
  history rows.
  History rows can never be changed or deleted by them; settings are read only.
- 관리 (`<db>_manager`): all of the above for every row, settings, emptying the trash, users
  (their logins get CREATEROLE).

Triggers fill the history's `dure_user` and the trash's `deleted_by` from the server session
(`session_user` looked up in `dure_office_user`), so a desk cannot write another name.
`setup(engine)` creates all this (idempotent; run by the database owner, `main.py users setup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, MetaData, String, Table, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ..errors import DatabaseError, DureError
from ..models import Base

ROLES = ("열람", "입력", "관리")
_SUFFIX = {"열람": "reader", "입력": "editor", "관리": "manager"}
USER_TABLE = "dure_office_user"

office_metadata = MetaData()
user_table = Table(
    USER_TABLE, office_metadata,
    Column("login", String(63), primary_key=True),
    Column("name", String, nullable=False),
    Column("department", String),
    Column("role", String(10), nullable=False),
)

# A connection lost mid-session (raised for every path by _refused below).
LOST = ("서버와 연결이 끊겨 저장하지 못했습니다. 입력한 내용은 이 창에 그대로 있습니다.\n"
        "서버가 다시 연결되면 저장을 한 번 더 누르세요(다시 연결은 자동입니다).")
# The server refusing connections after it was reached once (down: every try says so).
DOWN = ("서버에 연결할 수 없어 저장하지 못했습니다. 입력한 내용은 이 창에 그대로 있습니다.\n"
        "서버 컴퓨터가 켜져 있는지, 네트워크가 연결되어 있는지 확인하세요. 서버가 다시 켜지면 "
        "저장을 한 번 더 누르세요(다시 연결은 자동입니다).")
# Tables only 관리 writes; tables nobody rewrites (history); everything else is a record table.
MANAGER_ONLY = ("setting",)
APPEND_ONLY = ("change_log",)


@dataclass(frozen=True)
class OfficeUser:
    login: str
    name: str
    department: str | None
    role: str
    active: bool = True

    @property
    def label(self) -> str:
        return f"{self.name} ({self.department})" if self.department else self.name


def _require_pg(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise DureError("사용자와 권한은 공유 서버(PostgreSQL)에서만 씁니다. "
                        "이 컴퓨터 한 대의 SQLite 데이터베이스는 로그인 없이 씁니다.")


def group_role(engine_or_db: Any, role: str) -> str:
    """The group role of `role` in this database, e.g. `dure_office_editor`."""
    url = getattr(engine_or_db, "url", engine_or_db)
    name = make_url(str(url) if not isinstance(url, str) else url).database or "dure"
    return f"{name}_{_SUFFIX[role]}"[:63]


def _q(conn: Any, ident: str) -> str:
    return str(conn.dialect.identifier_preparer.quote(ident))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def is_setup(conn: Any) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(text("SELECT to_regclass(:t)"), {"t": USER_TABLE}).scalar() is not None


def setup(engine: Engine) -> None:
    """Create the group roles, grants, row-level security and triggers (idempotent)."""
    _require_pg(engine)
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        db = str(conn.execute(text("SELECT current_database()")).scalar())
        reader, editor, manager = (_q(conn, group_role(engine, r)) for r in ROLES)
        for role in (reader, editor, manager):
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE quote_ident(rolname) = :r"),
                                  {"r": role}).first()
            if not exists:
                conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        conn.execute(text(f"GRANT {reader} TO {editor}"))
        conn.execute(text(f"GRANT {editor} TO {manager}"))
        office_metadata.create_all(conn)
        conn.execute(text(f'REVOKE ALL ON DATABASE {_q(conn, db)} FROM PUBLIC'))
        conn.execute(text(f'GRANT CONNECT, TEMPORARY ON DATABASE {_q(conn, db)} TO {reader}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {reader}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {editor}"))
        for name in tables:
            t = _q(conn, name)
            if name in MANAGER_ONLY:
                conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {manager}"))
            elif name in APPEND_ONLY:
                conn.execute(text(f"GRANT INSERT ON {t} TO {editor}"))
            else:
                conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {editor}"))
        conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {USER_TABLE} TO {manager}"))
        conn.execute(text(_FUNCTIONS))
        conn.execute(text(
            "CREATE OR REPLACE TRIGGER dure_change_log_user BEFORE INSERT ON change_log "
            "FOR EACH ROW EXECUTE FUNCTION dure_stamp_change_log()"))
        conn.execute(text(
            "CREATE OR REPLACE TRIGGER dure_trash_item_user BEFORE INSERT ON trash_item "
            "FOR EACH ROW EXECUTE FUNCTION dure_stamp_trash_item()"))
        # Row-level security on the trash: editors read and add items but never rewrite a
        # snapshot (no UPDATE policy); deleting (restoring) someone else's item is refused by
        # dure_trash_guard with an error (a policy would just skip the row, and the restore
        # would then leave the item behind).
        conn.execute(text("ALTER TABLE trash_item ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(
            "CREATE OR REPLACE TRIGGER dure_trash_item_guard BEFORE DELETE ON trash_item FOR EACH "
            f"ROW EXECUTE FUNCTION dure_guard_trash_item({_literal(group_role(engine, '관리'))})"))
        for policy, body in (
            ("dure_trash_read", f"FOR SELECT TO {reader} USING (true)"),
            ("dure_trash_add", f"FOR INSERT TO {editor} WITH CHECK (true)"),
            ("dure_trash_remove", f"FOR DELETE TO {editor} USING (true)"),
            ("dure_trash_manage", f"FOR ALL TO {manager} USING (true) WITH CHECK (true)"),
        ):
            conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON trash_item"))
            conn.execute(text(f"CREATE POLICY {policy} ON trash_item {body}"))


_FUNCTIONS = """
CREATE OR REPLACE FUNCTION dure_user_label() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT COALESCE((SELECT name FROM dure_office_user WHERE login = session_user),
                  session_user::text)
$$;
CREATE OR REPLACE FUNCTION dure_stamp_change_log() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.dure_user := dure_user_label();
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION dure_guard_trash_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dure_office_user WHERE login = session_user)
     AND NOT pg_has_role(session_user, TG_ARGV[0], 'MEMBER')
     AND OLD.deleted_by IS DISTINCT FROM dure_user_label() THEN
    RAISE EXCEPTION 'permission denied: trash item % was deleted by %', OLD.id, OLD.deleted_by
      USING ERRCODE = '42501';
  END IF;
  RETURN OLD;
END $$;
CREATE OR REPLACE FUNCTION dure_stamp_trash_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.deleted_by := dure_user_label();
  RETURN NEW;
END $$;
"""


def add_user(engine: Engine, login: str, name: str, role: str, password: str,
             department: str | None = None) -> OfficeUser:
    """Create a login for a clerk with one of ROLES (the caller is the owner or a 관리)."""
    _require_pg(engine)
    _check_role(role)
    if not login or len(login) > 63 or not name.strip():
        raise DureError("로그인 이름(63자 이하)과 사용자 이름을 입력하세요.")
    if len(password) < 8:
        raise DureError("비밀번호는 8자 이상으로 정하세요.")
    with engine.begin() as conn:
        _require_setup(conn)
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first():
            raise DureError(f"로그인 이름 '{login}'은(는) 이미 서버에 있습니다. 다른 이름을 "
                            "쓰세요.")
        extra = " CREATEROLE" if role == "관리" else ""
        conn.execute(text(f"CREATE ROLE {_q(conn, login)} LOGIN{extra} PASSWORD "
                          f"{_literal(password)} IN ROLE {_q(conn, group_role(engine, role))}"))
        conn.execute(user_table.insert().values(login=login, name=name.strip(),
                                                department=(department or "").strip() or None,
                                                role=role))
    return OfficeUser(login, name.strip(), (department or "").strip() or None, role)


def set_role(engine: Engine, login: str, role: str) -> None:
    """Move a user to another role (their group membership and their row)."""
    _check_role(role)
    with engine.begin() as conn:
        _require_setup(conn)
        user = _row(conn, login)
        for other in ROLES:
            if other != role:
                conn.execute(text(f"REVOKE {_q(conn, group_role(engine, other))} "
                                  f"FROM {_q(conn, login)}"))
        conn.execute(text(f"GRANT {_q(conn, group_role(engine, role))} TO {_q(conn, login)}"))
        conn.execute(text(f"ALTER ROLE {_q(conn, login)} "
                          f"{'CREATEROLE' if role == '관리' else 'NOCREATEROLE'}"))
        conn.execute(user_table.update().where(user_table.c.login == user.login).values(role=role))


def set_active(engine: Engine, login: str, active: bool) -> None:
    """Stop (or allow again) a user's sign-in; their name stays in the history."""
    with engine.begin() as conn:
        _require_setup(conn)
        _row(conn, login)
        conn.execute(text(f"ALTER ROLE {_q(conn, login)} {'LOGIN' if active else 'NOLOGIN'}"))


def set_password(engine: Engine, login: str, password: str) -> None:
    if len(password) < 8:
        raise DureError("비밀번호는 8자 이상으로 정하세요.")
    with engine.begin() as conn:
        _row(conn, login)
        conn.execute(text(f"ALTER ROLE {_q(conn, login)} PASSWORD {_literal(password)}"))


def list_users(engine: Engine) -> list[OfficeUser]:
    _require_pg(engine)
    with engine.connect() as conn:
        if not is_setup(conn):
            return []
        rows = conn.execute(text(
            f"SELECT u.login, u.name, u.department, u.role, r.rolcanlogin FROM {USER_TABLE} u "
            "JOIN pg_roles r ON r.rolname = u.login ORDER BY u.department, u.name"))
        return [OfficeUser(r.login, r.name, r.department, r.role, bool(r.rolcanlogin))
                for r in rows]


def current_user(engine_or_conn: Any) -> OfficeUser | None:
    """The signed-in Dure user of this connection (None on SQLite or for the owner)."""
    def read(conn: Any) -> OfficeUser | None:
        if conn.dialect.name != "postgresql" or not is_setup(conn):
            return None
        r = conn.execute(select(user_table)
                         .where(user_table.c.login == text("session_user"))).first()
        return None if r is None else OfficeUser(r.login, r.name, r.department, r.role)

    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            return read(conn)
    return read(engine_or_conn)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise DureError(f"역할은 {', '.join(ROLES)} 중 하나입니다 ('{role}'은(는) 없습니다).")


def _require_setup(conn: Any) -> None:
    if not is_setup(conn):
        raise DureError("이 서버 데이터베이스에는 아직 사용자 설정이 없습니다. "
                        "데이터베이스 관리자가 `main.py users setup`을 먼저 실행하세요.")


def _row(conn: Any, login: str) -> Any:
    r = conn.execute(select(user_table).where(user_table.c.login == login)).first()
    if r is None:
        raise DureError(f"'{login}' 사용자가 없습니다. `main.py users list`로 확인하세요.")
    return r


def permission_message(exc: BaseException) -> str | None:
    """A Korean message for the server's refusal of a write (None for other errors)."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlstate", None)
    if code == "42501" or "permission denied" in str(orig).lower() \
            or "row-level security" in str(orig).lower():
        return ("서버가 이 작업을 거부했습니다: 로그인한 사용자의 역할로는 할 수 없는 작업입니다 "
                "(열람 역할은 저장할 수 없고, 설정·휴지통 비우기·남이 지운 기록의 복원은 관리 "
                "역할만 합니다).\n관리 역할의 직원에게 권한을 요청하세요. "
                "아무것도 바뀌지 않았습니다.")
    return None


def _refused(ctx: Any) -> None:
    """Every path (forms, trash, history, CLI): the server's refusal, or a connection lost
    mid-session (the pool drops the dead connection; the next try connects again), in Korean."""
    exc = ctx.original_exception
    if ctx.engine is not None and ctx.engine.dialect.name == "postgresql":
        message = permission_message(exc)
        if message is not None:
            raise DureError(message) from exc
        if ctx.is_disconnect and ctx.connection is not None:  # lost mid-session: pool renews
            raise DureError(LOST) from exc
        if ctx.connection is None and getattr(ctx.engine, "_dure_was_up", False) \
                and isinstance(ctx.sqlalchemy_exception, OperationalError):  # down since then
            raise DatabaseError(DOWN) from exc


def _up(conn: Any) -> None:
    """Mark an engine that reached its server once (a later refused connect: the server is down)."""
    if conn.engine.dialect.name == "postgresql":
        conn.engine._dure_was_up = True


event.listen(Engine, "handle_error", _refused)
event.listen(Engine, "engine_connect", _up)
