"""변경 이력: every ORM insert, update and delete is logged by a Session event; one can be undone.

Importing this module hooks `after_flush` on SQLAlchemy's Session class (db.models imports it), so
every write path that goes through the ORM is covered — forms, imports, trash, reverts — and the
log rows are written in the same transaction as the change they describe. A session may set
`session.info["history"] = False` to skip logging (bulk generators, dry-run previews).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import event, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from ..errors import DureError
from ..models.safety import ChangeLog, ImportMapping, TrashItem
from ..naming import model_for_table
from ..office import versions
from ..rules.core import label_of
from ..service import Op, flushed_deletes, write
from . import trash
from .discard import os_user, to_json

SKIP_TABLES = frozenset(t.__tablename__ for t in (ChangeLog, TrashItem, ImportMapping))
OP_LABELS = {"insert": "추가", "update": "수정", "delete": "삭제"}
_user: str | None = None


def _os_user() -> str:
    global _user
    if _user is None:
        _user = os_user()
    return _user


def _json(value: Any) -> Any:
    return to_json(value)


def _columns(mapper: Any) -> list[tuple[str, Any]]:
    """(attribute key, column) for the fields worth logging (system stamps left out)."""
    out = []
    for prop in mapper.column_attrs:
        col = prop.columns[0]
        if not col.info.get("system") and not col.primary_key:
            out.append((prop.key, col))
    return out


def _pk(mapper: Any, state: Any) -> str:
    return ",".join(str(state.dict.get(mapper.get_property_by_column(c).key))
                    for c in mapper.primary_key)


def _entries(session: Session, ctx: Any = None) -> list[dict[str, Any]]:
    """One change_log row per new, modified and deleted object of this flush."""
    now = dt.datetime.now()
    info = session.info
    base = {"changed_at": now, "os_user": _os_user(), "source": info.get("history_source"),
            "reverts_id": info.get("reverts_id"), "trash_id": None}
    out: list[dict[str, Any]] = []
    deleted = flushed_deletes(session, ctx)
    for op, objs in (("insert", session.new), ("update", session.dirty), ("delete", deleted)):
        for obj in objs:
            state = sa_inspect(obj)
            mapper = state.mapper
            table = mapper.local_table.name
            if table in SKIP_TABLES:
                continue
            changes: dict[str, list[Any]] = {}
            for key, _col in _columns(mapper):
                if op == "update":
                    hist = state.attrs[key].history
                    if not hist.has_changes():
                        continue
                    old = hist.deleted[0] if hist.deleted else None
                    new = hist.added[0] if hist.added else None
                    if old != new:
                        changes[key] = [_json(old), _json(new)]
                else:
                    value = state.dict.get(key)
                    if value is not None:
                        pair = [None, _json(value)] if op == "insert" else [_json(value), None]
                        changes[key] = pair
            if op == "update" and not changes:
                continue
            row = dict(base, table_name=table, record_id=_pk(mapper, state), op=op,
                       changes=changes)
            if op == "delete":
                row["trash_id"] = info.get("trash_id")
            out.append(row)
    return out


def _log_exists(session: Session) -> bool:
    """Whether this database has the change_log table (a file from before it gets no log).

    Asked once per pooled DB-API connection (`Connection.info` lives as long as it does).
    """
    conn = session.connection()
    if "dure_change_log" not in conn.info:
        conn.info["dure_change_log"] = sa_inspect(conn).has_table(ChangeLog.__tablename__)
    return bool(conn.info["dure_change_log"])


def _after_flush(session: Session, ctx: Any) -> None:
    if session.info.get("history") is False or not _log_exists(session):
        return
    rows = _entries(session, ctx)
    if rows:
        session.connection().execute(insert(ChangeLog), rows)


_installed = False


def install() -> None:
    """Start logging every ORM write (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True


# ---------------------------------------------------------------- reading


def for_record(session: Session, table: str, ident: Any) -> list[ChangeLog]:
    """A record's changes, newest first."""
    return list(session.scalars(
        select(ChangeLog).where(ChangeLog.table_name == table, ChangeLog.record_id == str(ident))
        .order_by(ChangeLog.id.desc())
    ))


def field_label(table: str, key: str) -> str:
    """The Korean label of a field (from the model's column info)."""
    try:
        model = model_for_table(table)
    except Exception:  # noqa: BLE001 - a table dropped since: show the raw key
        return key
    return label_of(model, key)


def shown(value: Any) -> str:
    """A logged value as text for the history window."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, (bytes, memoryview)):  # an image (a video's 썸네일)
        from ..images import shown as image_shown  # deferred: only for an image value

        return image_shown(bytes(value))
    return str(value)


# ---------------------------------------------------------------- reverting


def revert(database: Any, change_id: int, *, initiator: object | None = None,
           loaded: Any = None, resolutions: dict[str, str] | None = None) -> None:
    """Undo one change in its own transaction (itself logged as a change).

    update → the old values back; insert → the record goes to the trash; delete → restored
    from the trash. Refused with a Korean message when the record changed since in the same
    fields, or is gone.

    `loaded` is what the history window read of the record (a versions.Snapshot, or its
    version): when another desk changed the record after that, the write is based on an older
    version. A field the other desk changed too is then a ConflictError (내 값 = the value the
    revert brings back, 다른 책상의 값 = stored now, 원래 값 = what the window read) unless
    `resolutions` decides it; a field only the other desk changed is not touched. Moving a
    record changed since to the trash (reverting its insert) is refused until the clerk looked.
    """
    with write(database, Op.REVERT, initiator=initiator, source="revert") as w:
        s = w.session
        entry = s.get(ChangeLog, change_id)
        if entry is None:
            raise DureError("되돌릴 변경 이력을 찾을 수 없습니다.")
        s.info["reverts_id"] = change_id
        model = trash.model_for_table(entry.table_name)
        what = trash.entity_label(entry.table_name)
        ident = int(entry.record_id) if entry.record_id.isdigit() else entry.record_id
        if loaded is not None:
            w.loaded = {(entry.table_name, ident): loaded}
        if entry.op == "delete" and entry.trash_id is not None:
            trash.restore_into(s, entry.trash_id)
        elif entry.op == "delete":  # a row removed inside a form: back from the logged values
            if s.get(model, ident) is not None:
                raise DureError(f"번호 {ident}인 {what} 기록이 이미 있어 되돌릴 수 없습니다.")
            cols = sa_inspect(model).columns
            values = {k: trash.from_json(cols[k], old) for k, (old, _new) in entry.changes.items()
                      if k in cols}
            key = str(sa_inspect(model).primary_key[0].key)
            s.add(model(**{key: ident}, **values))
            s.flush()
        else:
            obj = versions.lock_current(s, model, ident)
            if obj is None:
                raise DureError(f"이 {what} 기록은 이미 삭제되어 되돌릴 수 없습니다. "
                                "휴지통을 확인하세요.")
            cols = sa_inspect(model).columns
            keys = [k for k in entry.changes if k in cols]
            stored = {k: getattr(obj, k) for k in keys}
            seen_version = versions.loaded_version(loaded)
            moved = seen_version is not None and versions.stored_version(obj) not in (
                None, seen_version)
            seen = stored
            if moved:  # another desk wrote after the window read the record
                if isinstance(loaded, versions.Snapshot):
                    seen = {k: loaded.row.values.get(k) for k in keys}
                else:
                    seen = {k: trash.from_json(cols[k], entry.changes[k][1]) for k in keys}
            stale = [field_label(entry.table_name, k) for k in keys
                     if _json(seen[k]) != entry.changes[k][1]]
            if stale:
                raise DureError(
                    "이 변경 이후 같은 항목이 다시 바뀌어 되돌릴 수 없습니다: " + ", ".join(stale)
                    + ". 현재 값을 확인하고 양식에서 직접 고치세요."
                )
            if entry.op == "update":
                mine = {k: trash.from_json(cols[k], entry.changes[k][0]) for k in keys}
                out, conflicts = versions.merge_values(model, mine, seen, stored, resolutions)
                if conflicts:
                    raise versions.ConflictError(
                        versions.conflict_message(what, conflicts, "revert"),
                        conflicts=conflicts, current=versions.snapshot(obj, []), what=what)
                for k, value in out.items():
                    setattr(obj, k, value)
            else:
                if moved:
                    raise versions.ConflictError(
                        f"다른 책상에서 이 {what} 기록을 그사이 고쳐 휴지통으로 옮기지 "
                        "않았습니다.\n고친 내용을 확인한 뒤 그래도 되돌리려면 다시 "
                        "되돌리기를 누르세요.",
                        current=versions.snapshot(obj, []), what=what)
                trash.trash_record(s, model, cast(int, ident))  # inserts undone: numbered records
        w.about(ident)


install()  # on import: see db/models/__init__.py
