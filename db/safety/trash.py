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
from ..office import versions
from ..office.versions import Snapshot, row_from_columns
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
    snapshot: Snapshot | None = None  # the record as trashed (its version): what 복원 brings back

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
        return [_entry(i) for i in items]
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
                f"{josa(entity_label(name) + ' 번호 ' + ', '.join(map(str, taken[:5])), '이/가')} "
                f"이미 사용 중이라 {josa(repr_label, '을/를')} 복원할 수 없습니다. "
                "같은 번호의 기록을 확인하세요."
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
                    f"{josa(f'{repr_label}({what})', '이/가')} 참조하던 "
                    f"{entity_label(target.name)} "
                    f"{josa('(번호 ' + ', '.join(map(str, missing[:5])) + ')', '이/가')} 없어 "
                    f"복원할 수 없습니다. 그 {josa(entity_label(target.name), '을/를')} 먼저 "
                    "복원하거나 다시 등록하세요."
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


def payload_snapshot(item: TrashItem) -> Snapshot | None:
    """The trashed record's own row (values and version) from a trash item's payload."""
    try:
        model = model_for_table(item.table_name)
    except Exception:  # noqa: BLE001 - a table dropped since: nothing to compare
        return None
    rows = item.payload.get("rows", {}).get(item.table_name, [])
    root = next((r for r in rows if r.get("id") == item.record_id), None)
    return None if root is None else Snapshot(item.table_name,
                                              row_from_columns(model, root, from_json))


def _entry(item: TrashItem) -> TrashEntry:
    return TrashEntry(id=item.id, table_name=item.table_name, record_id=item.record_id,
                      what=entity_label(item.table_name), label=item.label,
                      deleted_at=item.deleted_at, deleted_by=item.deleted_by,
                      row_count=item.row_count, snapshot=payload_snapshot(item))


def restore(database: Any, trash_id: int, *, initiator: object | None = None,
            loaded: TrashEntry | None = None, resolutions: dict[str, str] | None = None
            ) -> TrashEntry:
    """Restore one trash item in its own transaction; returns what was restored.

    `loaded` is the entry as the trash window listed it (with the trashed record's version).
    When another desk restored that item meanwhile and changed the record since, bringing back
    the trashed values is a restore based on an older version: the fields changed since are a
    ConflictError (내 값 = the trashed value, 다른 책상의 값 = stored now, 원래 값 = the trashed
    value) unless `resolutions` decides them; 내 값 writes the trashed value back.
    """
    with write(database, Op.RESTORE, initiator=initiator, source="restore") as w:
        s = w.session
        if loaded is not None and loaded.snapshot is not None:
            w.loaded = {(loaded.table_name, loaded.record_id): loaded.snapshot}
            if s.get(TrashItem, trash_id) is None:
                _restored_elsewhere(s, loaded, loaded.snapshot, resolutions)
                w.about(loaded.record_id)
                return loaded
        item = restore_into(s, trash_id)
        entry = _entry(item)
        w.about(entry.record_id)
    return entry


def _restored_elsewhere(session: Session, entry: TrashEntry, seen: Snapshot,
                        resolutions: dict[str, str] | None) -> None:
    """The listed item is gone: refuse, or write the trashed values the clerk chose back."""
    model = model_for_table(entry.table_name)
    obj = versions.lock_current(session, model, entry.record_id)
    if obj is None:
        again = session.scalar(select(TrashItem.id).where(
            TrashItem.table_name == entry.table_name, TrashItem.record_id == entry.record_id))
        if again is not None:
            raise DureError(f"다른 책상에서 {entry.text}을(를) 복원한 뒤 다시 삭제했습니다. "
                            "휴지통 목록을 새로 불러와 가장 최근 항목을 복원하세요.")
        raise DureError("휴지통에 없는 항목입니다. 이미 복원했거나 휴지통을 비웠습니다.")
    if versions.stored_version(obj) == seen.row.version:
        raise DureError(f"다른 책상에서 {entry.text}을(를) 이미 복원했습니다. 그 뒤 고친 내용은 "
                        "없습니다.")
    conflicts = []
    for key, value in seen.row.values.items():
        current = getattr(obj, key)
        if current == value:
            continue
        choice = (resolutions or {}).get(key)
        if choice == versions.MINE:
            setattr(obj, key, value)
        elif choice != versions.THEIRS:
            conflicts.append(versions.FieldConflict(key, versions.label(model, key), value,
                                                    current, value))
    if conflicts:
        names = ", ".join(c.label for c in conflicts[:6]) + (" …" if len(conflicts) > 6 else "")
        raise versions.ConflictError(
            f"다른 책상에서 {entry.text}을(를) 이미 복원해 고쳤습니다. 복원하면 그 뒤 고친 항목이 "
            f"휴지통에 있던 값으로 돌아갑니다: {names}.\n항목마다 휴지통의 값(내 값)과 다른 "
            "책상의 값 중 하나를 고르세요. 아무것도 바꾸지 않았습니다.",
            conflicts=conflicts, current=versions.snapshot(obj, []), what=entry.what)


def empty(database: Any, older_than: dt.datetime | dt.timedelta | None = None, *,
          initiator: object | None = None) -> int:
    """Delete trash items for good (all, or those deleted before `older_than`); returns how many."""
    query = delete(TrashItem)
    if older_than is not None:
        cutoff = (dt.datetime.now() - older_than if isinstance(older_than, dt.timedelta)
                  else older_than)
        query = query.where(TrashItem.deleted_at < cutoff)
    with write(database, Op.EMPTY_TRASH, initiator=initiator) as w:
        result: Any = w.session.execute(query)  # a CursorResult: a DELETE's row count
        count = result.rowcount or 0
        w.touch("trash_item")  # a Core DELETE: the flush does not see it
    return count
