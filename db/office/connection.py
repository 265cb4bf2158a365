"""Connection settings for a shared server: URL building, the password in the OS keyring.

The password is kept only in the OS keyring (`keyring` package on every platform: Windows
Credential Manager, macOS Keychain, Secret Service on Linux). Where no keyring backend is usable
(a headless Linux without Secret Service), `remember` says so (Korean) and the clerk types it at
each sign-in: it is never written to the settings file, a log, a message or the window title
(URLs are shown with `hide_password`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from ..errors import DatabaseError, DureError
from ..session import open_database
from . import users

KEYRING_SERVICE = "두레 (Dure) 서버"
NO_KEYRING = ("이 컴퓨터에는 비밀번호 보관함(키링)이 없어 비밀번호를 저장하지 않았습니다. "
              "연결할 때마다 비밀번호를 입력하세요. 비밀번호는 설정 파일에 쓰지 않습니다.")


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int = 5432
    database: str = "dure"
    user: str = ""
    sslmode: str = "prefer"  # TLS when the server offers it

    def url(self, password: str | None = None) -> str:
        url = URL.create("postgresql+psycopg", username=self.user or None,
                         password=password or None,
                         host=self.host, port=self.port, database=self.database,
                         query={"sslmode": self.sslmode, "connect_timeout": "5"})
        return url.render_as_string(hide_password=False)

    @property
    def shown(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def check(self) -> None:
        if not self.host.strip():
            raise DureError("서버 주소를 입력하세요 (예: 192.168.0.10 또는 dure-server).")
        if not 0 < int(self.port) < 65536:
            raise DureError("포트는 1~65535 사이의 숫자입니다 (PostgreSQL 기본값 5432).")
        if not self.database.strip() or not self.user.strip():
            raise DureError("데이터베이스 이름과 사용자(로그인 이름)를 입력하세요.")


_chosen: Any = None  # a backend Dure was told to use (set_backend): trusted as it is


def set_backend(backend: Any) -> None:
    """Use `backend` for the passwords (keyring.set_keyring), trusted even if it is a file.

    The tests hand keyrings.alt's file keyring here: a real backend on a machine without an OS
    keyring (CI, headless Linux). Dure itself never picks a file keyring on its own.
    """
    # deferred: keyring may be missing (a broken install); it loads at the first password
    import keyring

    global _chosen
    keyring.set_keyring(backend)
    _chosen = backend


def _usable(backend: Any) -> bool:
    """An OS keyring (or the backend set_backend chose); not the null or a home-made file one."""
    # deferred: keyring may be missing (a broken install); it loads at the first password
    from keyring.backends import chainer, fail

    if backend is _chosen and backend is not None:
        return True
    if isinstance(backend, chainer.ChainerBackend):  # writes to its first backend
        return bool(backend.backends) and _usable(backend.backends[0])
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return False
    # keyrings.alt's plaintext/encrypted files sit in the home folder: a password in a file is
    # what the settings file must not hold either, so an installed one is not used unasked
    return not type(backend).__module__.startswith("keyrings.alt")


def _keyring() -> Any | None:
    """The keyring module when a usable backend is there, else None (the clerk is asked)."""
    try:
        # deferred: keyring loads only when this runs (start-up)
        import keyring
    except ImportError:  # a broken install: ask instead
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a backend that fails to load: ask instead
        return None
    return keyring if _usable(backend) else None


def has_keyring() -> bool:
    return _keyring() is not None


def stored_password(settings: ServerSettings) -> str | None:
    ring = _keyring()
    if ring is None:
        return None
    try:
        password: str | None = ring.get_password(KEYRING_SERVICE, settings.key)
        return password
    except Exception:  # noqa: BLE001 - a locked or broken keyring: ask the clerk instead
        return None


def remember(settings: ServerSettings, password: str) -> str:
    """Keep the password in the keyring; '' when kept, else the Korean reason it was not."""
    ring = _keyring()
    if ring is None:
        return NO_KEYRING
    try:
        ring.set_password(KEYRING_SERVICE, settings.key, password)
    except Exception as exc:  # noqa: BLE001 - locked keyring, denied access
        return (f"비밀번호 보관함(키링)에 저장하지 못했습니다({type(exc).__name__}). "
                "연결할 때마다 입력하세요.")
    return ""


def forget(settings: ServerSettings) -> None:
    ring = _keyring()
    if ring is not None:
        try:
            ring.delete_password(KEYRING_SERVICE, settings.key)
        except Exception:  # noqa: BLE001, S110 - nothing stored: nothing to forget
            pass


def describe_failure(settings: ServerSettings, exc: BaseException) -> str:
    """A Korean message for a failed connection (server down, wrong password, no database)."""
    text = str(getattr(exc, "orig", None) or exc.__cause__ or exc).lower()
    where = f"{settings.host}:{settings.port}"
    if "password authentication failed" in text or "no password supplied" in text:
        return f"'{settings.user}' 사용자의 비밀번호가 맞지 않습니다. 비밀번호를 다시 입력하세요."
    if "does not exist" in text and "database" in text:
        return (f"서버({where})에 '{settings.database}' 데이터베이스가 없습니다. "
                "데이터베이스 이름을 확인하세요.")
    if "role" in text and "does not exist" in text:
        return (f"서버에 '{settings.user}' 사용자가 없습니다. 관리 역할의 직원에게 계정을 "
                "요청하세요.")
    if "not permitted to log in" in text:
        return (f"'{settings.user}' 사용자의 로그인이 막혀 있습니다. "
                "관리 역할의 직원에게 문의하세요.")
    if "permission denied for database" in text:  # Dure's setup: only its users connect
        return (f"'{settings.user}'은(는) 이 서버의 두레 사용자가 아닙니다. 관리 역할의 직원에게 "
                "두레 사용자 등록을 요청하세요(관리 ▸ 사용자).")
    if "permission denied" in text:
        return f"'{settings.user}' 사용자는 이 데이터베이스에 접속할 권한이 없습니다."
    return (f"서버({where})에 연결할 수 없습니다. 서버 컴퓨터가 켜져 있는지, 주소와 포트가 맞는지, "
            "네트워크가 연결되어 있는지 확인하세요. 잠시 후 다시 시도할 수 있습니다.")


def connect(settings: ServerSettings, password: str | None) -> Any:
    """Open the server database as `settings.user` (sign_in); DatabaseError in Korean."""
    settings.check()
    database, _user = sign_in(settings.url(), settings.user, password or "")
    return database


def settings_of(url: str) -> ServerSettings:
    """The host / port / database / user of a server URL (no password)."""
    u = make_url(url)
    return ServerSettings(u.host or "localhost", int(u.port or 5432), u.database or "dure",
                          u.username or "", str(u.query.get("sslmode", "prefer")))


def is_server_url(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def sign_in(url: str, login: str, password: str) -> tuple[Any, Any]:
    """Open the server database at `url` as the Dure user `login`: (Database, OfficeUser).

    The session then runs as that PostgreSQL login, so its role (열람 / 입력 / 관리) is the
    server's to enforce and the history names the user. On a server set up for Dure users
    (`main.py users setup`) a login that is not a Dure user is refused; on one that is not,
    the OfficeUser is None. DatabaseError / DureError with Korean messages.
    """
    login = login.strip()
    if not login:
        raise DureError("사용자(로그인 이름)를 입력하세요.")
    u = make_url(url).set(username=login, password=password or None)
    settings = settings_of(url)
    settings = ServerSettings(settings.host, settings.port, settings.database, login,
                              settings.sslmode)
    if "connect_timeout" not in u.query:
        u = u.update_query_dict({"connect_timeout": "5"})
    full = u.render_as_string(hide_password=False)
    probe = create_engine(full, poolclass=NullPool)  # who is this, before Dure reads anything
    try:
        with probe.connect() as c:
            office = c.execute(text(  # the catalog: readable by a login without schema rights
                "SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = :t AND relkind = 'r')"),
                {"t": users.USER_TABLE}).scalar()
            owner = c.execute(text(  # the database's owner (or a superuser) sets Dure up
                "SELECT r.rolsuper OR d.datdba = r.oid FROM pg_roles r, pg_database d "
                "WHERE r.rolname = session_user AND d.datname = current_database()")).scalar()
            try:
                user = users.current_user(c)
            except DureError:  # a login outside Dure's roles may not read the user list
                user = None
    except Exception as exc:  # noqa: BLE001 - down, wrong password, no such database or login
        cause = exc.__cause__ if isinstance(exc, DureError) else exc  # handle_error's Korean
        if cause is None:
            raise
        raise DatabaseError(describe_failure(settings, cause)) from exc
    finally:
        probe.dispose()
    if office and user is None and not owner:
        raise DureError(f"'{login}'은(는) 이 서버의 두레 사용자가 아닙니다. 관리 역할의 직원에게 "
                        "두레 사용자 등록을 요청하세요(관리 ▸ 사용자).")
    try:
        database = open_database(full)
    except DatabaseError as exc:
        raise DatabaseError(describe_failure(settings, exc.__cause__ or exc)) from exc
    return database, user
