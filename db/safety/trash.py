"""휴지통: a deleted record and its child records kept as one JSON snapshot until emptied.

Deleting (db/safety/discard.py, called by db/service.py's delete) snapshots the rows;
restoring inserts them back with their ids, parents first, in a write of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from ..errors import DureError
from ..formats import josa
from ..models.safety import TrashItem
from ..naming import label as entity_label
from ..naming import model_for_table
from ..service import Op, write
from .discard import SHOWN_PER_KIND as SHOWN_PER_KIND
from .discard import _order, _table, from_json
from .discard import closure as closure
from .discard import describe as describe
from .discard import os_user as os_user
from .discard import refusal as refusal
from .discard import to_json as to_json
from .discard import trash_record as trash_record

__all__ = ["SHOWN_PER_KIND", "TrashEntry", "closure", "describe", "empty", "entity_label",
           "from_json", "list_items", "model_for_table", "os_user", "refusal", "restore",
           "restore_into", "to_json", "trash_record"]

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
        return [TrashEntry(
            id=i.id, table_name=i.table_name, record_id=i.record_id,
            what=entity_label(i.table_name), label=i.label, deleted_at=i.deleted_at,
            deleted_by=i.deleted_by, row_count=i.row_count,
        ) for i in items]
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
    with write(database, Op.RESTORE, initiator=initiator, source="restore") as w:
        item = restore_into(w.session, trash_id)
        entry = TrashEntry(
            id=item.id, table_name=item.table_name, record_id=item.record_id,
            what=entity_label(item.table_name), label=item.label, deleted_at=item.deleted_at,
            deleted_by=item.deleted_by, row_count=item.row_count,
        )
        w.about(entry.record_id)
    return entry


def empty(database: Any, older_than: dt.datetime | dt.timedelta | None = None, *,
          initiator: object | None = None) -> int:
    """Delete trash items for good (all, or those deleted before `older_than`); returns how many."""
    query = delete(TrashItem)
    if older_than is not None:
        cutoff = dt.datetime.now() - older_than if isinstance(older_than, dt.timedelta) else older_than
        query = query.where(TrashItem.deleted_at < cutoff)
    with write(database, Op.EMPTY_TRASH, initiator=initiator) as w:
        result: Any = w.session.execute(query)  # a CursorResult: a DELETE's row count
        count = result.rowcount or 0
        w.touch("trash_item")  # a Core DELETE: the flush does not see it
    return count
