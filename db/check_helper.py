"""Half of `main.py check`'s record checks in a forked process (issue 13, point 2).

The rules run in Python, under one lock, so the record checks of a large database used one
core for all of their ~10 s at 1,000,000 records while the other did only SQLite's own file
checks (~3 s). Forked once the models and rules have loaded (`CheckHelper.start`), a helper
process inherits them at no cost; once the file is open (and migrated, if it had to be) it is
handed whole families (`hand_over`: the largest first, until about half of the rows are its),
reads them through its own read-only connection, checks them with the same code
(db.commands.check_family) and sends back the findings (`results`).

Only where it is safe and worth it: SQLite, a file of at least SPLIT_BYTES, `os.fork` (Linux;
not on Windows, and not on macOS, where a forked process may not use the system's
frameworks), and no other thread alive at the fork (a child has only the forking thread).
Anything the helper does not hand back (it failed, died or sent something unreadable) is
checked by the command itself, so the findings are the same either way; only the time differs.
The helper ends with os._exit: it never runs the parent's exit handlers or closes connections
it inherited.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from .session import Database, make_engine

SPLIT_BYTES = 8 * 1024 * 1024  # smaller files check in about a second: a fork is not worth it
SHARE = 0.5  # of the rows handed to the helper (the command also runs the file checks' thread)

# model -> (records checked, [(parent id or 0, finding)]): what db.commands.check_family gives
Done = dict[Any, tuple[int, list[tuple[Any, Any]]]]
# (the helper's read-only database, the plan, the roots' table names) -> their findings by
# table name (db.commands.check_families)
Families = Callable[[Database, Any, list[str]], dict[str, tuple[int, list[tuple[Any, Any]]]]]


def _read_all(fd: int) -> bytes:
    parts = []
    while chunk := os.read(fd, 1 << 20):
        parts.append(chunk)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class CheckHelper:
    """A forked process that checks the families it is handed (see the module's text)."""

    def __init__(self, pid: int, orders: int, answers: int, plan: Any) -> None:
        self.pid = pid
        self.plan = plan
        self._orders = orders  # ours to write: the helper's families, then closed
        self._answers = answers  # ours to read: the helper's findings
        self.handed: set[type] = set()
        self.returned: set[type] = set()  # families whose findings came back (tests read it)

    @classmethod
    def start(cls, path: Path | None, plan: Any, families: Families) -> CheckHelper | None:
        """A helper for checking `path` by `plan` (db.commands.CheckPlan, its models and rules
        loaded: the helper inherits them), running `families` on the families it is handed;
        or None where that is not safe or not worth it."""
        if path is None or not hasattr(os, "fork") or sys.platform == "darwin":
            return None
        try:
            if path.stat().st_size < SPLIT_BYTES:
                return None
        except OSError:
            return None
        if not _alone():
            return None
        opened: list[int] = []
        try:
            orders_r, orders_w = os.pipe()
            opened += (orders_r, orders_w)
            answers_r, answers_w = os.pipe()
            opened += (answers_r, answers_w)
            pid = os.fork()
        except OSError:  # no descriptor, memory or process left: the command checks alone
            for fd in opened:
                os.close(fd)
            return None
        if pid == 0:  # the helper
            code = 1
            try:
                os.close(orders_w)
                os.close(answers_r)
                _serve(lambda db, roots: families(db, plan, roots), orders_r, answers_w)
                code = 0
            finally:
                os._exit(code)
        os.close(orders_r)
        os.close(answers_w)
        return cls(pid, orders_w, answers_r, plan)

    def hand_over(self, database: Any) -> set[type]:
        """Give the helper about SHARE of the rows, whole families, largest first; the roots
        of the families it now checks. An empty set (and the helper told to stop) where the
        database is not a writable SQLite file or anything goes wrong."""
        try:
            if not database.is_sqlite or database.path is None or database.read_only:
                raise OSError("no helper for this database")
            with database.engine.connect() as conn:
                rows = {root: sum(_rows(conn, model) for model in self.plan.members(root))
                        for root in self.plan.roots}
            total, share, given = sum(rows.values()), 0, []
            for root in sorted(rows, key=lambda r: (-rows[r], _name(r))):
                if share + rows[root] <= total * SHARE:
                    given.append(root)
                    share += rows[root]
            order = {"url": database.url, "roots": [_name(r) for r in given]}
            _write_all(self._orders, json.dumps(order).encode())
            self.handed = set(given)
        except OSError:
            self.handed = set()
        finally:
            os.close(self._orders)
            self._orders = -1
        return self.handed

    def results(self) -> Done:
        """The helper's findings of the families handed to it (waits for it to end); those it
        did not send are missing here (the caller checks them itself)."""
        data = _read_all(self._answers)
        self.close()
        try:
            sent = pickle.loads(data)  # noqa: S301 - our own fork's answer
        except Exception:  # noqa: BLE001 - died half-way, or sent nothing: checked here instead
            return {}
        tables = {_name(model): model for model in self.plan.order}
        done: Done = {}
        for root in self.handed:
            members = self.plan.members(root)
            if all(_name(m) in sent for m in members):
                done.update({m: sent[_name(m)] for m in members})
                self.returned.add(root)
        assert all(model in tables.values() for model in done)
        return done

    def close(self) -> None:
        """Stop the helper (if it still runs) and reap it; safe to call again."""
        if self._orders >= 0:
            os.close(self._orders)
            self._orders = -1
        if self._answers >= 0:
            os.close(self._answers)
            self._answers = -1
        if self.pid:
            try:
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    os.kill(self.pid, signal.SIGTERM)
                    os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


def _alone() -> bool:
    """No other Python thread alive: a forked child holds only the thread that forked, and a
    lock another thread held at that moment would stay held there for ever."""
    return threading.active_count() == 1


def _name(model: Any) -> str:
    """A model's table name (the key of the helper's answers)."""
    return str(model.__tablename__)


def _rows(conn: Any, model: type) -> int:
    """About how many rows `model`'s table holds: its largest rowid (found in the index at
    once; a count would read the whole table), enough to share the work."""
    return int(conn.exec_driver_sql(f'SELECT max(rowid) FROM "{_name(model)}"').scalar() or 0)


def _serve(families: Callable[[Database, list[str]], Any], orders: int, answers: int
           ) -> None:
    """The helper's whole life: read its families, check them, send the findings."""
    data = _read_all(orders)
    os.close(orders)
    if not data:
        return  # told to stop
    order = json.loads(data)
    engine = make_engine(order["url"], read_only=True)
    database = Database(order["url"], engine, sessionmaker(engine, expire_on_commit=False),
                        read_only=True)
    found = families(database, order["roots"])
    _write_all(answers, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    os.close(answers)
