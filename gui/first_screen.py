"""The first screen of a list tab through plain sqlite3, before SQLAlchemy has loaded (issue 13.3).

SQLAlchemy, the models and their mapper set-up take most of a start (0.6-0.7 s of CPU here),
and a list cannot be read through them before they have loaded. So when the desk closes on a
list tab, it writes down how that list's first screen is read and drawn (`remember`): the SQL
SQLAlchemy compiled for it (the same statements db/listing.py runs), how each column's values
come back from the driver and how the list formats them, and the header state it saved. At the
next start, if nothing that recipe depends on has changed (the code, the schema revision, the
file, the tab and its header state), `show` reads that list's first rows with sqlite3 and draws
them read-only in the tab, while SQLAlchemy loads on a thread; the real tab then takes its place.

Anything else (PostgreSQL, the demo, the dashboard first, a migration due, an unknown column
type or formatter, any error at all) shows nothing here: the start goes the usual way.
tests/test_first_screen.py checks that these rows are the rows the real list shows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.paths import data_dir
from gui.widgets.display import month_text, text_of

RECIPE = "first_screen.json"
FORMAT = 1  # the recipe's own layout; a recipe of another format is ignored
MAX_ROWS = 120  # rows read for the first screen (a 4K screen shows ~80 rows of 26 px)
ROW_HEIGHT = 26  # gui/widgets/entity_page.py: the list's row height
_ROOT = QModelIndex()
# value conversions of the driver's SQLite values, as SQLAlchemy's result processors do them
_CONVERT = {
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "time": dt.time.fromisoformat,
    "bool": bool,
}
_DISPLAY, _ALIGNMENT = 0, 7  # Qt.ItemDataRole.DisplayRole, TextAlignmentRole


# ---------------------------------------------------------------- what the recipe depends on


def code_stamp(root: Path | None = None) -> str:
    """A stamp of the code that reads and draws lists: the size and time of every source file
    of db/ and gui/ (the executable itself in a frozen build). Any edit, upgrade or new
    migration changes it, and an old recipe is then not used."""
    digest = hashlib.sha1(sys.version.encode())
    if getattr(sys, "frozen", False):
        st = os.stat(sys.executable)
        digest.update(f"{sys.executable}|{st.st_size}|{st.st_mtime_ns}".encode())
        return digest.hexdigest()
    root = Path(__file__).resolve().parent.parent if root is None else root
    for package in ("db", "gui"):
        for folder, dirs, files in os.walk(root / package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def _state_text(value: Any) -> str | None:
    """A saved header state (QByteArray) as text, to compare with the one in the recipe."""
    if value is None:
        return None
    return base64.b64encode(bytes(value)).decode("ascii")


# ---------------------------------------------------------------- writing (SQLAlchemy loaded)


def remember(window: Any, settings: Any) -> None:
    """Write the recipe of the list on screen (or remove an old one when there is none)."""
    where = data_dir() / RECIPE
    try:
        recipe = recipe_of(window, settings)
    except Exception:  # noqa: BLE001 - a recipe is an optimisation: never a reason to fail
        recipe = None
    try:
        if recipe is None:
            where.unlink(missing_ok=True)
            return
        partial = where.with_name(where.name + ".writing")
        partial.write_text(json.dumps(recipe, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, where)
    except OSError:
        pass  # an unwritable data folder: the next start goes the usual way


def recipe_of(window: Any, settings: Any) -> dict[str, Any] | None:
    """The recipe of the current list tab's first screen, or None when it cannot have one."""
    database = window.database
    index = window.tabs.currentIndex()
    tab = window.current_area()
    if database is None or index < 1 or tab is None or not database.is_sqlite \
            or database.path is None:
        return None
    page = tab.current_page()
    model = page.model
    if page.stale or model.database is None:
        return None
    columns = _columns(model)
    if columns is None:
        return None
    header_key = f"area/{tab.area}/{page.spec.table}/header"  # EntityPage.save_state
    statements = _statements(model)
    if statements is None:
        return None
    # deferred: the recipe is written when the desk closes, SQLAlchemy long loaded
    from db.migrations.runner import head_revision

    return {
        "format": FORMAT,
        "code": code_stamp(),
        "revision": head_revision(),
        "database": str(Path(database.path).resolve()),
        "tab": index,
        "area": tab.area,
        "inner": tab.current_index() if tab.inner is not None else None,
        "pages": [spec.label for spec in tab.specs],
        "header_key": header_key,
        "header": _state_text(settings.value(header_key)),
        "captions": [f.caption for f in model.fields],
        "columns": columns,
        "months": {str(c): flag for c, flag in model._months.items()},
        **statements,
    }


def _columns(model: Any) -> list[dict[str, Any]] | None:
    """How each column's value is converted and formatted, as the list model does it."""
    # deferred: SQLAlchemy is loaded when a recipe is written
    from sqlalchemy.dialects import sqlite

    # deferred: as above (db.listing imports SQLAlchemy)
    from db.listing import _query
    from gui.forms import spec as specs

    q = _query(model.listing)
    dialect = sqlite.dialect()
    out = []
    for i, f in enumerate(model.fields):
        column: dict[str, Any] = {"align": _flag_value(model._alignments[i])}
        sql_type = q.shown[f.key].type
        if sql_type.dialect_impl(dialect).result_processor(dialect, None) is None:
            column["convert"] = None
        else:
            name = type(sql_type).__name__.lower()
            convert = {"date": "date", "datetime": "datetime", "time": "time",
                       "boolean": "bool"}.get(name)
            if convert is None:
                return None  # a type whose values the driver does not give as they are shown
            column["convert"] = convert
        fmt = f.fmt
        if fmt is None:
            kind = "text" if f.kind in ("org", "record", "choice") else f.kind
            column["format"] = ["text", kind, f.unit]
        elif getattr(fmt, "func", None) is specs._shown_label and not fmt.keywords:
            labels = fmt.args[0]
            if not all(isinstance(k, (str, int)) and isinstance(v, str)
                       for k, v in labels.items()):
                return None
            column["format"] = ["labels", [[k, v] for k, v in labels.items()]]
        elif getattr(fmt, "func", None) is specs._zero_blank and not fmt.keywords:
            column["format"] = ["zero_blank", *fmt.args]
        else:
            return None  # a formatter of its own (a lambda in a form spec): not written down
        out.append(column)
    return out


def _flag_value(flag: Any) -> int:
    return int(getattr(flag, "value", flag))


def _statements(model: Any) -> dict[str, str] | None:
    """The SQL of the list's first screen as db/listing.py builds it, compiled for SQLite."""
    # deferred: SQLAlchemy is loaded when a recipe is written
    from sqlalchemy import func, select
    from sqlalchemy.dialects import sqlite

    # deferred: as above (db.listing imports SQLAlchemy)
    from db.listing import _ordered, _query

    listing, sort = model.listing, model._sort_key()
    table = listing.model
    dialect = sqlite.dialect()

    def sql(stmt: Any) -> str:
        return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    q = _query(listing, [sort[0]] if sort else [])
    ids = _ordered(listing, q.select_from(select(table.id).select_from(table)), q, sort)
    shown = _query(listing)
    rows = shown.select_from(select(table.id, *(shown.shown[c.key] for c in listing.columns))
                             .select_from(table))
    rows_sql = sql(rows)
    if " WHERE " in rows_sql or " ORDER BY " in rows_sql:
        return None
    return {
        "ids": sql(ids) + " LIMIT ?",
        "rows": rows_sql + f' WHERE "{table.__tablename__}".id IN ({{}})',
        "count": sql(select(func.count()).select_from(table)),
    }


# ---------------------------------------------------------------- reading (no SQLAlchemy)


def load_recipe(path: Path, settings: Any) -> dict[str, Any] | None:
    """The recipe for a start on `path` with these window settings, or None."""
    try:
        recipe = json.loads((data_dir() / RECIPE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(recipe, dict) or recipe.get("format") != FORMAT:
        return None
    tab = int(settings.value("window/tab", 0) or 0)
    if recipe.get("tab") != tab or recipe.get("database") != str(Path(path).resolve()):
        return None
    inner = settings.value(f"area/{recipe['area']}/inner")
    if recipe["inner"] is not None and int(inner or 0) != recipe["inner"]:
        return None
    if _state_text(settings.value(recipe["header_key"])) != recipe["header"]:
        return None  # the page's header (sort, widths) is not the one the recipe was read with
    if recipe.get("code") != code_stamp():
        return None
    return recipe


def read(path: Path, recipe: dict[str, Any], rows: int) -> tuple[int, list[list[str]]] | None:
    """(how many records, the first `rows` rows as the list shows them), read with sqlite3;
    None when the file is not at the recipe's schema revision."""
    # deferred: the integrity module (sqlite3 only) is loaded with the first screen
    from db.safety.integrity import ro_connect

    con = ro_connect(Path(path))
    try:
        found = con.execute("SELECT version_num FROM alembic_version").fetchall()
        if [r[0] for r in found] != [recipe["revision"]]:
            return None
        total = int(con.execute(recipe["count"]).fetchone()[0])
        ids = [r[0] for r in con.execute(recipe["ids"], (rows,))]
        values: dict[int, tuple[Any, ...]] = {}
        if ids:
            sql = recipe["rows"].format(",".join("?" * len(ids)))
            for r in con.execute(sql, ids):
                values[r[0]] = r[1:]
    finally:
        con.close()
    text = _Texts(recipe)
    return total, [text(values[i]) for i in ids if i in values]


class _Texts:
    """One row's cells as the list model (gui/widgets/table_model.py data()) shows them; the
    recipe's month flags and label maps read once, not per row and cell."""

    def __init__(self, recipe: dict[str, Any]) -> None:
        self.columns = recipe["columns"]
        self.months = {int(k): v for k, v in recipe["months"].items()}
        self.labels = {i: {k: v for k, v in c["format"][1]}
                       for i, c in enumerate(self.columns) if c["format"][0] == "labels"}

    def __call__(self, raw: tuple[Any, ...]) -> list[str]:
        values: list[Any] = []
        for c, value in zip(self.columns, raw, strict=True):
            convert = c["convert"]
            values.append(_CONVERT[convert](value) if convert and value is not None else value)
        out = []
        for i, (c, value) in enumerate(zip(self.columns, values, strict=True)):
            if i in self.months and values[self.months[i]] and value is not None:
                out.append(month_text(value))
                continue
            how = c["format"]
            if how[0] == "text":
                out.append(text_of(value, how[1], how[2]))
            elif value is None:
                out.append("")
            elif how[0] == "labels":
                out.append(self.labels[i].get(value, str(value)))
            else:  # zero_blank
                out.append("" if value == 0 else text_of(value, how[1], how[2]))
        return out


class _Rows(QAbstractTableModel):
    """The first screen's rows as text (read-only)."""

    def __init__(self, captions: list[str], rows: list[list[str]], aligns: list[int],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.captions, self.rows, self.aligns = captions, rows, aligns

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.captions)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY:
            return self.rows[index.row()][index.column()]
        if role == _ALIGNMENT:
            return self.aligns[index.column()]
        return None

    def headerData(self, section: int, orientation: Any, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation.value == 1 and 0 <= section < len(self.captions):
            return self.captions[section]  # Qt.Orientation.Horizontal is 1
        return None


class FirstScreen(QWidget):
    """The list's first rows, read-only, in the tab the real one will take."""

    def __init__(self, recipe: dict[str, Any], total: int, rows: list[list[str]],
                 header: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area: str = recipe["area"]
        self.total = total
        self.model = _Rows(recipe["captions"], rows, [c["align"] for c in recipe["columns"]],
                           self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.verticalHeader().hide()
        if header is not None:
            self.view.horizontalHeader().restoreState(header)
        self.count_label = QLabel(f"{total:,}건", self)
        bar = QHBoxLayout()
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.inner: QTabWidget | None = None
        if len(recipe["pages"]) > 1:  # an area of several lists: its inner tabs, this one open
            self.inner = QTabWidget(self)
            self.inner.setDocumentMode(True)
            for i, label in enumerate(recipe["pages"]):
                self.inner.addTab(page if i == recipe["inner"] else QLabel(""), label)
            self.inner.setCurrentIndex(recipe["inner"])
            self.inner.tabBar().setEnabled(False)
            outer.addWidget(self.inner)
        else:
            outer.addWidget(page)

    def shown_rows(self) -> list[list[str]]:
        return [list(r) for r in self.model.rows]


def show(window: Any, path: Path) -> FirstScreen | None:
    """Put the first screen of the list the window will open on into its tab, or None."""
    try:
        settings = window_settings()
        recipe = load_recipe(path, settings)
        if recipe is None:
            return None
        height = max(window.tabs.height(), 400)
        result = read(path, recipe, min(MAX_ROWS, height // ROW_HEIGHT + 2))
        if result is None:
            return None
        total, rows = result
        header = settings.value(recipe["header_key"])
        screen = FirstScreen(recipe, total, rows, header)
    except Exception:  # noqa: BLE001 - a damaged file, a changed schema: the usual start says
        return None
    place(window, recipe["tab"], screen)
    window.count_label.setText(f"기록 {total:,}건")
    return screen


def place(window: Any, index: int, screen: QWidget) -> None:
    """Put a first screen into tab `index` and show it; the other tabs and the menus stay off
    until the database is open (gui/app.py's Startup hands over to the real tab then)."""
    tabs = window.tabs
    tabs.blockSignals(True)
    old = tabs.widget(index)
    label = tabs.tabText(index)
    tabs.removeTab(index)
    tabs.insertTab(index, screen, label)
    tabs.setCurrentIndex(index)
    tabs.blockSignals(False)
    old.deleteLater()
    tabs.setEnabled(True)
    tabs.tabBar().setEnabled(False)
    window.menuBar().setEnabled(False)


def window_settings() -> Any:
    # deferred: gui.window_store is loaded with the window (here for the tests' data folder)
    from gui.window_store import settings_store

    return settings_store()
