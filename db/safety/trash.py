"""휴지통: a deleted record and its child records kept as one JSON snapshot until emptied.

Deleting walks the ON DELETE CASCADE foreign keys (the same set the database would delete),
refuses while RESTRICT references from other records exist, snapshots every row with SQLAlchemy
Core (dates as ISO text, so SQLite and PostgreSQL give the same JSON) and then deletes the rows
through the ORM, so the change history sees each one. Restoring inserts the rows back with their
ids, parents first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Table, Time, delete, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from ..errors import DureError
from ..formats import josa
from ..models import Base
from ..models.safety import TrashItem
from ..naming import label as entity_label
from ..naming import model_for_table, title
from .account import os_account

SHOWN_PER_KIND = 3  # referring records named in a refusal before "…"


def os_user() -> str:
    """The logged-in OS user from the system (not $USER), or a placeholder (account.py)."""
    return os_account()


# ---------------------------------------------------------------- values and tables


def to_json(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO text, decimals as text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
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


def refusal(session: Session, model: type, found: dict[str, set[int]]) -> str | None:
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


def trash_record(session: Session, model: type, ident: int) -> int | None:
    """Move a record and its children into the trash within `session`; returns the trash id.

    Returns None when the record does not exist. Raises DureError (nothing changed) when other
    records refer to it. The caller commits.
    """
    table_name = sa_inspect(model).local_table.name
    root = session.execute(select(_table(table_name)).where(_table(table_name).c.id == ident)).first()
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
        result = session.execute(select(table).where(table.c.id.in_(found[name])).order_by(table.c.id))
        rows[name] = [{k: to_json(v) for k, v in r._mapping.items()} for r in result]
    nulled = [[child.name, row.id, fk.parent.key, row._mapping[fk.parent.key]]
              for child, fk, row in _outside(found, ("SET NULL",), session)]
    count = sum(len(v) for v in rows.values())
    item = TrashItem(table_name=table_name, record_id=ident, label=describe(session, table_name, root),
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


# ---------------------------------------------------------------- listing, restoring, emptying


@dataclass(frozen=True)
class TrashEntry:
    """One trashed item as the trash window lists it."""

    id: int
    table_name: str
    record_id: int
    what: str  # entity label: 기업, 입주공간 …
    label: str
    deleted_at: dt.datetime
    deleted_by: str
    row_count: int

    @property
    def text(self) -> str:
        extra = f" (하위 기록 {self.row_count - 1}건 포함)" if self.row_count > 1 else ""
        return f"{self.what} '{self.label}'{extra}"


def _session_of(target: Any) -> tuple[Session, bool]:
    if isinstance(target, Session):
        return target, False
    return target.session(), True


def list_items(target: Any) -> list[TrashEntry]:
    """Everything in the trash, newest first (`target` is a Database or a Session)."""
    session, own = _session_of(target)
    try:
        items = session.scalars(select(TrashItem).order_by(TrashItem.deleted_at.desc(),
                                                           TrashItem.id.desc()))
        return [TrashEntry(i.id, i.table_name, i.record_id, entity_label(i.table_name), i.label,
                           i.deleted_at, i.deleted_by, i.row_count) for i in items]
    finally:
        if own:
            session.close()


def restore_into(session: Session, trash_id: int) -> TrashItem:
    """Re-insert a trash item's rows with their ids (parents first) within `session`."""
    item = session.get(TrashItem, trash_id)
    if item is None:
        raise DureError("휴지통에 없는 항목입니다. 이미 복원했거나 휴지통을 비웠습니다.")
    rows: dict[str, list[dict[str, Any]]] = item.payload.get("rows", {})
    ids_in = {name: {r["id"] for r in rs} for name, rs in rows.items()}
    what = entity_label(item.table_name)
    repr_label = f"'{item.label}'"
    for name, rs in rows.items():
        table = _table(name)
        taken = sorted(session.scalars(select(table.c.id).where(table.c.id.in_(ids_in[name]))))
        if taken:
            raise DureError(
                f"{josa(entity_label(name) + ' 번호 ' + ', '.join(map(str, taken[:5])), '이/가')} 이미 사용 중이라 "
                f"{josa(repr_label, '을/를')} 복원할 수 없습니다. 같은 번호의 기록을 "
                "확인하세요."
            )
        for fk in table.foreign_keys:
            target = fk.column.table
            wanted = {r[fk.parent.key] for r in rs if r.get(fk.parent.key) is not None}
            wanted -= ids_in.get(target.name, set())
            if not wanted:
                continue
            present = set(session.scalars(select(target.c.id).where(target.c.id.in_(wanted))))
            missing = sorted(wanted - present)
            if missing:
                raise DureError(
                    f"{josa(f'{repr_label}({what})', '이/가')} 참조하던 {entity_label(target.name)} "
                    f"{josa('(번호 ' + ', '.join(map(str, missing[:5])) + ')', '이/가')} 없어 복원할 수 없습니다. "
                    f"그 {josa(entity_label(target.name), '을/를')} "
                    "먼저 복원하거나 다시 등록하세요."
                )
    order = _order()
    for name in sorted(rows, key=order.__getitem__):
        model = model_for_table(name)
        cols = sa_inspect(model).columns
        for r in rows[name]:
            session.add(model(**{cols[k].key: from_json(cols[k], v) for k, v in r.items()
                                 if k in cols}))
        session.flush()  # parents first, one table at a time
    for name, ident, key, value in item.payload.get("nulled", []):
        obj = session.get(model_for_table(name), ident)
        if obj is not None and getattr(obj, key) is None:
            setattr(obj, key, value)
    session.delete(item)
    session.flush()
    return item


def restore(database: Any, trash_id: int, *, initiator: object | None = None) -> TrashEntry:
    """Restore one trash item in its own transaction; returns what was restored."""
    from ..service import Op, write

    with write(database, Op.RESTORE, initiator=initiator, source="restore") as w:
        item = restore_into(w.session, trash_id)
        entry = TrashEntry(item.id, item.table_name, item.record_id, entity_label(item.table_name),
                           item.label, item.deleted_at, item.deleted_by, item.row_count)
        w.about(entry.record_id)
    return entry


def empty(database: Any, older_than: dt.datetime | dt.timedelta | None = None, *,
          initiator: object | None = None) -> int:
    """Delete trash items for good (all, or those deleted before `older_than`); returns how many."""
    from ..service import Op, write

    query = delete(TrashItem)
    if older_than is not None:
        cutoff = dt.datetime.now() - older_than if isinstance(older_than, dt.timedelta) else older_than
        query = query.where(TrashItem.deleted_at < cutoff)
    with write(database, Op.EMPTY_TRASH, initiator=initiator) as w:
        count = w.session.execute(query).rowcount or 0
        w.touch("trash_item")  # a Core DELETE: the flush does not see it
    return count
