"""Live refresh between desks: PostgreSQL LISTEN/NOTIFY on Dure's own channel.

Every ORM flush on PostgreSQL announces what it touched with `pg_notify('dure_changes', …)`
in the same transaction, so the announcement is delivered when (and only if) the write
commits. A `Listener` on each desk holds one connection that LISTENs on the channel and
hands each announcement from another desk to a callback (by default the change bus,
`db.service.changes`), which the GUI turns into its `records_changed` refresh. On SQLite
nothing is sent (one desk per file).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ..changes import Change, Op, changes
from ..models import Base

CHANNEL = "dure_changes"
ORIGIN = uuid.uuid4().hex[:16]  # this process: its own announcements are not echoed back
MAX_IDS = 50  # a NOTIFY payload must stay under 8000 bytes
QUIET_TABLES = frozenset({"change_log", "import_mapping"})


def _touched(session: Session, ctx: Any) -> tuple[set[str], set[int]]:
    tables: set[str] = set()
    ids: set[int] = set()
    states = [sa_inspect(o) for o in (*session.new, *session.dirty, *session.deleted)]
    states += [s for s, (isdelete, _listonly) in getattr(ctx, "states", {}).items() if isdelete]
    for state in states:
        name = state.mapper.local_table.name
        if name in QUIET_TABLES:
            continue
        tables.add(name)
        for col in state.mapper.primary_key:  # new rows have no identity key yet here
            value = state.dict.get(state.mapper.get_property_by_column(col).key)
            if isinstance(value, int):
                ids.add(value)
    return tables, ids


def _after_flush(session: Session, ctx: Any) -> None:
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    tables, ids = _touched(session, ctx)
    if not tables:
        return
    payload = json.dumps({"o": ORIGIN, "t": sorted(tables), "i": sorted(ids)[:MAX_IDS]})
    conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": payload})


def announce_tables(conn: Any, tables: set[str]) -> None:
    """Announce a write made without the ORM (Core deletes, empty trash) on PostgreSQL."""
    if conn.dialect.name == "postgresql" and tables:
        conn.execute(text("SELECT pg_notify(:c, :p)"),
                     {"c": CHANNEL, "p": json.dumps({"o": ORIGIN, "t": sorted(tables), "i": []})})


_installed = False


def install() -> None:
    """Announce every ORM write on PostgreSQL (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True


def conninfo(url: str) -> str:
    """A libpq connection string for a SQLAlchemy PostgreSQL URL (sslmode=prefer by default)."""
    # deferred: psycopg loads only when this runs (start-up)
    from psycopg.conninfo import make_conninfo

    u = make_url(url)
    parts: dict[str, Any] = {"host": u.host, "port": u.port, "dbname": u.database,
                             "user": u.username, "password": u.password}
    parts.update({k: v for k, v in u.query.items() if isinstance(v, str)})
    parts.setdefault("sslmode", "prefer")
    return make_conninfo(**{k: v for k, v in parts.items() if v is not None})


def parse(payload: str) -> tuple[str, frozenset[str], tuple[int, ...]] | None:
    try:
        data = json.loads(payload)
        return str(data["o"]), frozenset(data["t"]), tuple(int(i) for i in data.get("i", ()))
    except (ValueError, KeyError, TypeError):
        return None


class Listener:
    """LISTEN on Dure's channel in a background thread; calls `deliver(Change)` per announcement.

    `deliver` runs in the listener's thread: the GUI passes one that hops to the Qt thread.
    Announcements of this process (ORIGIN) are skipped: its own write path already published.
    After a lost connection it reconnects and delivers one Change naming every table (what
    was announced meanwhile is not known), so screens reload.
    """

    def __init__(self, url: str, deliver: Callable[[Any], None] | None = None,
                 *, skip_own: bool = True) -> None:
        self.url = url
        self.deliver = deliver or _publish
        self.skip_own = skip_own
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dure-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        # deferred: psycopg loads only when this runs (start-up)
        import psycopg

        lost = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo(self.url), autocommit=True,
                                     connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if lost:
                        self.deliver(_change(_all_tables(), ()))
                        lost = False
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._handle(note.payload)
            except psycopg.Error:
                self.listening.clear()
                lost = True
                self._stop.wait(2.0)

    def _handle(self, payload: str) -> None:
        parsed = parse(payload)
        if parsed is None:
            return
        origin, tables, ids = parsed
        if self.skip_own and origin == ORIGIN:
            return
        self.deliver(_change(tables, ids))


def _change(tables: frozenset[str], ids: tuple[int, ...]) -> Any:
    return Change(frozenset(tables), Op.REMOTE, ids)


def _all_tables() -> frozenset[str]:
    return frozenset(t.name for t in Base.metadata.sorted_tables) - QUIET_TABLES


def _publish(change: Any) -> None:
    changes.publish(change)


install()  # on import: db/models imports this module, as it does the history listener
