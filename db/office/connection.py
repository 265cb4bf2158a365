"""Connection settings for a shared server: URL building, the password in the OS keyring.

The password is kept only in the OS keyring (`keyring` package: Windows Credential Manager,
macOS Keychain, Secret Service on Linux). Where no keyring backend exists, `remember` says so
(Korean) and the clerk types it at each sign-in: it is never written to the settings file, a
log, a message or the window title (URLs are shown with `hide_password`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import URL

from ..errors import DatabaseError, DureError
from ..session import open_database

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
        url = URL.create("postgresql+psycopg", username=self.user or None, password=password or None,
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


def _keyring() -> Any | None:
    """The keyring module when a real backend is there, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


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
        return f"비밀번호 보관함(키링)에 저장하지 못했습니다({type(exc).__name__}). 연결할 때마다 입력하세요."
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
        return f"서버에 '{settings.user}' 사용자가 없습니다. 관리 역할의 직원에게 계정을 요청하세요."
    if "not permitted to log in" in text:
        return f"'{settings.user}' 사용자의 로그인이 막혀 있습니다. 관리 역할의 직원에게 문의하세요."
    if "permission denied" in text:
        return f"'{settings.user}' 사용자는 이 데이터베이스에 접속할 권한이 없습니다."
    return (f"서버({where})에 연결할 수 없습니다. 서버 컴퓨터가 켜져 있는지, 주소와 포트가 맞는지, "
            "네트워크가 연결되어 있는지 확인하세요. 잠시 후 다시 시도할 수 있습니다.")


def connect(settings: ServerSettings, password: str | None) -> Any:
    """Open the server database as `settings.user`; DatabaseError with a Korean message."""
    settings.check()
    try:
        return open_database(settings.url(password))
    except DatabaseError as exc:
        raise DatabaseError(describe_failure(settings, exc.__cause__ or exc)) from exc

