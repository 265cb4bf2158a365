"""Taking a record out: a deleted record and its child records snapshot into one TrashItem.

Deleting walks the ON DELETE CASCADE foreign keys (the same set the database would delete),
refuses while RESTRICT references from other records exist, snapshots every row with SQLAlchemy
Core (dates as ISO text, so SQLite and PostgreSQL give the same JSON) and then deletes the rows
through the ORM, so the change history sees each one. db/service.py's delete calls
`trash_record` inside its write; listing and restoring are db/safety/trash.py's, which runs
its own writes through db/service.py (this module is below both, so neither cycles).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, Time, select
from sqlalchemy.orm import Session

from ..errors import DureError
from ..formats import josa
from ..models import Base
from ..models.safety import TrashItem
from ..naming import label as entity_label
from ..naming import model_for_table, table_of, title
from .account import os_account

SHOWN_PER_KIND = 3  # referring records named in a refusal before "…"


def os_user() -> str:
    """The logged-in OS user from the system (not $USER), or a placeholder (account.py)."""
    return os_account()


# ---------------------------------------------------------------- values and tables


def to_json(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO text, decimals as text, bytes (an
    image) as base64 text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def from_json(column: Any, value: Any) -> Any:
    """Back from JSON to the column's Python type."""
    if value is None or not isinstance(value, str):
        return value
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value[:10])
    if isinstance(column.type, Time):
        return dt.time.fromisoformat(value)
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    return value


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _order() -> dict[str, int]:
    """Parents before children (the metadata's dependency order)."""
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


def _fks_into(table_name: str) -> Iterable[tuple[Table, Any]]:
    """(referring table, foreign key) for every foreign key that points at `table_name`."""
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name and table.name != table_name:
                yield table, fk


def _rule(fk: Any) -> str:
    return (fk.ondelete or "NO ACTION").upper()


def describe(session: Session, table_name: str, row: Any) -> str:
    """The title of the record a Core row of `table_name` holds (db/naming.py)."""
    obj = session.get(model_for_table(table_name), row._mapping["id"])
    return title(obj) if obj is not None else f"{entity_label(table_name)} {row._mapping['id']}"


# ---------------------------------------------------------------- what a delete takes with it


def closure(session: Session, table_name: str, ident: int) -> dict[str, set[int]]:
    """The record and every row that ON DELETE CASCADE would remove with it."""
    found: dict[str, set[int]] = {table_name: {ident}}
    todo = [(table_name, {ident})]
    while todo:
        name, ids = todo.pop()
        for child, fk in _fks_into(name):
            if _rule(fk) != "CASCADE":
                continue
            col = child.c[fk.parent.name]
            new = set(session.scalars(select(child.c.id).where(col.in_(ids)))) - found.get(
                child.name, set()
            )
            if new:
                found.setdefault(child.name, set()).update(new)
                todo.append((child.name, new))
    return found


def _outside(found: dict[str, set[int]], rule_kinds: tuple[str, ...], session: Session
             ) -> list[tuple[Table, Any, Any]]:
    """Rows outside `found` that point into it by a foreign key with one of `rule_kinds`."""
    out = []
    for name, ids in found.items():
        for child, fk in _fks_into(name):
            if _rule(fk) not in rule_kinds:
                continue
            col = child.c[fk.parent.name]
            query = select(child).where(col.in_(ids))
            if found.get(child.name):
                query = query.where(child.c.id.not_in(found[child.name]))
            out += [(child, fk, row) for row in session.execute(query)]
    return out


def refusal(session: Session, model: type[Base], found: dict[str, set[int]]) -> str | None:
    """The Korean refusal when other records still refer to the record (RESTRICT), else None."""
    refs = _outside(found, ("RESTRICT", "NO ACTION"), session)
    if not refs:
        return None
    by_table: dict[str, list[Any]] = {}
    for child, _fk, row in refs:
        by_table.setdefault(child.name, []).append(row)
    parts = []
    for name, rows in by_table.items():  # only the records named are read
        shown = ", ".join(describe(session, name, r) for r in rows[:SHOWN_PER_KIND])
        more = " …" if len(rows) > SHOWN_PER_KIND else ""
        parts.append(f"{entity_label(name)} {len(rows)}건({shown}{more})")
    what = entity_label(model)
    return (f"이 {josa(what, '을/를')} 참조하는 기록이 있어 삭제할 수 없습니다: "
            + ", ".join(parts) + ". 참조하는 기록을 먼저 삭제하거나 다른 "
            + f"{josa(what, '으로/로')} 바꾸세요.")


def trash_record(session: Session, model: type[Base], ident: int) -> int | None:
    """Move a record and its children into the trash within `session`; returns the trash id.

    Returns None when the record does not exist. Raises DureError (nothing changed) when other
    records refer to it. The caller commits.
    """
    table_name = table_of(model)
    root_table = _table(table_name)
    root = session.execute(select(root_table).where(root_table.c.id == ident)).first()
    if root is None:
        return None
    found = closure(session, table_name, ident)
    message = refusal(session, model, found)
    if message:
        raise DureError(message)
    order = _order()
    rows: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(found, key=order.__getitem__):
        table = _table(name)
        query = select(table).where(table.c.id.in_(found[name])).order_by(table.c.id)
        result = session.execute(query)
        rows[name] = [{k: to_json(v) for k, v in r._mapping.items()} for r in result]
    nulled = [[child.name, row.id, fk.parent.key, row._mapping[fk.parent.key]]
              for child, fk, row in _outside(found, ("SET NULL",), session)]
    count = sum(len(v) for v in rows.values())
    item = TrashItem(table_name=table_name, record_id=ident,
                     label=describe(session, table_name, root),
                     deleted_at=dt.datetime.now().replace(microsecond=0), deleted_by=os_user(),
                     row_count=count, payload={"rows": rows, "nulled": nulled})
    session.add(item)
    session.flush()
    session.info["trash_id"] = item.id
    # Through the ORM, so the change history records every row.
    for name, ident_, key, _value in nulled:
        obj = session.get(model_for_table(name), ident_)
        if obj is not None:
            setattr(obj, key, None)
    for name in sorted(found, key=order.__getitem__, reverse=True):
        cls = model_for_table(name)
        for rid in sorted(found[name]):
            obj = session.get(cls, rid)
            if obj is not None and obj not in session.deleted:
                session.delete(obj)
    session.flush()
    session.info.pop("trash_id", None)
    return item.id
