"""The 현황 tab's last figures, shown at once at the next start while the real ones compute (13.3).

The dashboard's figures are ORM queries and rule code (db/queries/dashboard.py): nothing can
read them before SQLAlchemy and the models have loaded (about 0.7 s of CPU here), so no SQL
recipe can stand in for them as gui/first_screen.py does for a list. Instead, when the desk
closes on 현황 and what the tab shows is provably what the database holds (read in full, and
the database's files unchanged since that read began), `capture` keeps those figures and
`seal`, once the file is closed, saves them with a stamp of everything they depend on: the
file itself (device, inode, size, times and first bytes of the file, its -wal and -journal:
SQLite's header carries a change counter), the code, the schema revision, every setting kept
in the database, and the day they were counted from (due-soon warnings move with the date).
With them go the figures the tab would show on each of the next days (DashboardTab.ahead,
read on its worker after everything showed, with the same queries): a morning's first start
after a close the evening, a weekend or a holiday before shows that day's own figures.

At the next start `show` puts them into the real DashboardTab at once when every part of the
stamp still holds and today is one of the days saved; the tab then gets the database
(`DashboardTab.attach`), reads it, and its own figures replace the saved ones in place. Any
doubt shows nothing here and the start goes the usual way: PostgreSQL, the demo, another tab,
a changed file, code, revision or setting, a day not saved, a damaged or edited saved file
(its digest, every value's type), any error.
tests/test_dashboard_screen.py checks each of these, and that the saved figures are the
figures the real tab shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from db.paths import data_dir
from db.safety.precheck import file_state
from gui.first_screen import code_stamp, place, window_settings

SAVED = "dashboard_screen.json"
# 2: the next days' figures ("ahead") beside the day's ("data"); 3: the digest is the file's
# first line, of the text after it (checked without writing the JSON out again: ~10 ms for the
# next days' 160 due items a day)
FORMAT = 3
# The fields of db.queries.dashboard's DueItem, Figure and YearBar the tab shows, with their
# types ("int?": an int or None, for a year with no record): a saved value of another type
# means an edited file, and nothing is shown.
DUE = (("kind", str), ("title", str), ("detail", str), ("due_on", dt.date),
       ("days_left", int), ("table", str), ("record_id", int))
FIGURE = (("group", str), ("label", str), ("unit", str), ("current", "int?"),
          ("previous", "int?"), ("table", str))
BAR = (("year", int), ("sales", int), ("finance", int), ("label", str))


# ---------------------------------------------------------------- saving (the desk closing)


def capture(window: Any) -> dict[str, Any] | None:
    """What to save of the dashboard on screen (the database still open), or None; an older
    saved file is removed either way (`seal` writes the new one once the file is closed)."""
    try:
        (data_dir() / SAVED).unlink(missing_ok=True)
    except OSError:
        pass
    try:
        return _payload(window)
    except Exception:  # noqa: BLE001 - saved figures are an optimisation: never a reason to fail
        return None


def _payload(window: Any) -> dict[str, Any] | None:
    database = window.database
    dash = window.tabs.widget(0)
    if database is None or database.path is None or not database.is_sqlite \
            or window.tabs.currentIndex() != 0 or not hasattr(dash, "proven_data"):
        return None
    data = dash.proven_data()
    if data is None:
        return None
    # deferred: the figures are saved as the desk closes, SQLAlchemy long loaded
    from sqlalchemy import select

    # deferred: as above
    from db.migrations.runner import head_revision
    from db.models import Setting

    with database.session() as s:
        settings = dict(s.execute(select(Setting.key, Setting.value)).tuples().all())
    fixed = dash.fixed_today()
    ahead = [] if fixed is not None else dash.proven_ahead()  # a 기준일: that day every day
    return {
        "format": FORMAT,
        "database": str(Path(database.path).resolve()),
        "code": code_stamp(),
        "revision": head_revision(),
        "settings": settings,
        "fixed_today": fixed.isoformat() if fixed is not None else None,
        "title": window.windowTitle(),
        "data": _encode_data(data),
        "ahead": [_encode_data(day) for day in ahead],
    }


def _encode_data(data: Any) -> dict[str, Any]:
    return {
        "today": data.today.isoformat(),
        "warn_days": data.warn_days,
        "due": [_encode(item, DUE) for item in data.due],
        "figures": [_encode(fig, FIGURE) for fig in data.figures],
        "bars": [_encode(bar, BAR) for bar in data.bars],
    }


def seal(payload: dict[str, Any] | None) -> None:
    """Save `payload` (from `capture`) with the state of the file now that it is closed."""
    if payload is None:
        return
    try:
        sealed = dict(payload, file=file_state(Path(payload["database"])))
        where = data_dir() / SAVED
        partial = where.with_name(where.name + ".writing")
        partial.write_text(sealed_text(sealed), encoding="utf-8")
        os.replace(partial, where)
    except OSError:
        pass  # an unwritable data folder: the next start goes the usual way


def sealed_text(saved: dict[str, Any]) -> str:
    """The saved file's text: the digest of the JSON on the first line, the JSON after it."""
    body = json.dumps(saved, ensure_ascii=False)
    return f"{_digest(body)}\n{body}"


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _encode(item: Any, fields: tuple[tuple[str, Any], ...]) -> list[Any]:
    out = []
    for name, kind in fields:
        value = getattr(item, name)
        out.append(value.isoformat() if kind is dt.date else value)
    return out


# ---------------------------------------------------------------- reading (no SQLAlchemy)


def load(path: Path, tab: int) -> tuple[Any, dict[str, Any]] | None:
    """(the saved DashboardData, the saved file) for a start on `path` opening on tab `tab`,
    or None unless every part of its stamp still holds."""
    if tab != 0:
        return None
    try:
        head, _line, body = (data_dir() / SAVED).read_text(encoding="utf-8").partition("\n")
        if head != _digest(body):
            return None  # cut short, damaged or edited
        saved = json.loads(body)
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        return None
    if saved.get("database") != str(Path(path).resolve()) or saved.get("code") != code_stamp():
        return None
    if saved.get("file") != file_state(Path(path)):
        return None  # written since (by Dure or any other program), replaced or moved
    fixed = saved.get("fixed_today")
    day = dt.date.fromisoformat(fixed) if isinstance(fixed, str) else today()
    data = _decode(saved["data"])
    if data is not None and data.today != day:
        data = _day_ahead(saved.get("ahead"), day)
    if data is None or data.today != day:
        return None  # a day not saved: what falls due has moved
    if not _same_schema_and_settings(Path(path), saved):
        return None
    return data, saved


def today() -> dt.date:
    """The real today (the day the figures were counted from must be it, or a day saved
    ahead): the 현황 tab's own clock (gui.dashboard.clock)."""
    # deferred: the tab's module (no SQLAlchemy in it) loads with the saved figures
    from gui.dashboard import clock

    return clock()


def _day_ahead(ahead: Any, day: dt.date) -> Any:
    """The saved figures of `day` among the next days' (a DashboardData), or None."""
    if not isinstance(ahead, list):
        return None
    for raw in ahead:
        if isinstance(raw, dict) and raw.get("today") == day.isoformat():
            return _decode(raw)
    return None


def _same_schema_and_settings(path: Path, saved: dict[str, Any]) -> bool:
    """The file is at the code's schema revision (no migration due) and holds the settings
    the figures were counted with (read with sqlite3, without changing the file)."""
    # deferred: sqlite3 and the revision graph load only for saved figures (start-up)
    from db.migrations.runner import head_revision
    from db.safety.integrity import ro_connect

    con = ro_connect(path, snapshot=True)
    try:
        revision = [r[0] for r in con.execute("SELECT version_num FROM alembic_version")]
        settings = dict(con.execute("SELECT key, value FROM setting").fetchall())
    finally:
        con.close()
    return revision == [saved.get("revision")] == [head_revision()] \
        and settings == saved.get("settings")


def _decode(raw: Any) -> Any:
    """A DashboardData from the saved values, or None when any value is not of its type."""
    # deferred: the tab's module loads with the saved figures (start-up)
    from gui.dashboard import DashboardData

    try:
        today = dt.date.fromisoformat(raw["today"])
        warn = raw["warn_days"]
        if not _is(warn, int):
            return None
        due = [_item(values, DUE) for values in raw["due"]]
        if any(d.days_left != (d.due_on - today).days for d in due):
            return None
        figures = [_item(values, FIGURE) for values in raw["figures"]]
        bars = [_item(values, BAR) for values in raw["bars"]]
    except (KeyError, TypeError, ValueError):
        return None
    return DashboardData(today, warn, due, figures, bars)


def _item(values: Any, fields: tuple[tuple[str, Any], ...]) -> SimpleNamespace:
    if not isinstance(values, list) or len(values) != len(fields):
        raise ValueError("saved item of another shape")
    out = {}
    for (name, kind), value in zip(fields, values, strict=True):
        if kind is dt.date:
            value = dt.date.fromisoformat(value)
        elif not _is(value, kind):
            raise ValueError(f"saved {name} of another type")
        out[name] = value
    return SimpleNamespace(**out)


def _is(value: Any, kind: Any) -> bool:
    if kind == "int?":
        return value is None or _is(value, int)
    return isinstance(value, kind) and (kind is not int or not isinstance(value, bool))


def show(window: Any, path: Path) -> Any:
    """Put the saved figures into the window's 현황 tab; the DashboardTab, or None."""
    try:
        found = load(path, int(window_settings().value("window/tab", 0) or 0))
        if found is None:
            return None
        data, saved = found
        fixed = saved["fixed_today"]
        # deferred: the tab's module (no SQLAlchemy in it) loads with the saved figures
        from gui.dashboard import DashboardTab

        dash = DashboardTab(None, today=dt.date.fromisoformat(fixed) if fixed else None)
        dash.show_saved(data)
        title = saved["title"]
    except Exception:  # noqa: BLE001 - any doubt: the usual start says what is wrong
        return None
    place(window, 0, dash)
    dash.open_record.connect(window.open_record)
    if isinstance(title, str):
        window.setWindowTitle(title)
    window.file_label.setText(f"데이터베이스: {path}")  # as MainWindow.open_database words it
    return dash
