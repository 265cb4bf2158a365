"""Optimistic concurrency: what a form read (a Snapshot), three-way merge and ConflictError.

A form keeps the Snapshot of the record as it loaded it (values and versions of the record and
of its sub-table rows). When it saves, the write path locks the stored row and compares: the
same version → the form's values are written; another desk wrote in between → each field is
merged three ways (원래 값 = the snapshot, 내 값 = the form, 다른 책상의 값 = the stored row):
a field changed on one side only takes that side's value without a question; a field changed
on both sides to different values is a conflict, told field by field in a ConflictError unless
the clerk already chose (`resolutions`). Sub-table rows merge the same way by id: a row added
elsewhere is kept, a row deleted elsewhere stays deleted unless edited here (a conflict).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ..errors import DureError
from ..models.safety import TrashItem
from ..rules.core import label_of

if TYPE_CHECKING:
    from ..models.base import Base

MINE, THEIRS = "mine", "theirs"
_MISSING = object()


@dataclass(frozen=True)
class RowState:
    """One stored row as read: its version and column values (by attribute key)."""

    id: int | None
    version: int | None
    values: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """A record and its loaded sub-table rows as a form read them."""

    table: str
    row: RowState
    children: dict[str, dict[int, RowState]] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldConflict:
    """One field changed on both desks to different values."""

    key: str  # "note" for the record, "dates[12].day" for a sub-table row, "dates[12]" for a row
    label: str  # Korean: "비고", "교육 일시 2 · 날짜"
    mine: Any
    theirs: Any
    base: Any


class ConflictError(DureError):
    """A write based on an older version of a record another desk changed or deleted.

    `conflicts` lists the fields both desks changed (empty when the record was deleted or the
    write cannot merge, e.g. a delete); `current` is the stored record now (None when it was
    deleted); `deleted` says the other desk moved it to the trash.
    """

    def __init__(self, message: str, *, conflicts: list[FieldConflict] | None = None,
                 current: Snapshot | None = None, deleted: bool = False,
                 what: str = "") -> None:
        self.conflicts = conflicts or []
        self.current = current
        self.deleted = deleted
        self.what = what
        super().__init__(message)


def _value_keys(mapper: Any) -> list[str]:
    """Attribute keys of the record's own values (not the id, stamps or version)."""
    out = []
    for prop in mapper.column_attrs:
        col = prop.columns[0]
        if col.primary_key or col.info.get("system"):
            continue
        out.append(prop.key)
    return out


def _version_key(mapper: Any) -> str | None:
    col = mapper.version_id_col
    return None if col is None else mapper.get_property_by_column(col).key


def row_state(obj: Any) -> RowState:
    """The RowState of a loaded (persistent) object."""
    mapper = sa_inspect(obj).mapper
    vkey = _version_key(mapper)
    return RowState(getattr(obj, "id", None), getattr(obj, vkey) if vkey else None,
                    {k: getattr(obj, k) for k in _value_keys(mapper)})


def row_from_columns(model: type[Base], values: dict[str, Any], convert: Any) -> RowState:
    """A RowState from a row kept by column name (a trash payload); `convert(column, value)`."""
    mapper: Any = sa_inspect(model)
    vcol = mapper.version_id_col
    out: dict[str, Any] = {}
    for prop in mapper.column_attrs:
        col = prop.columns[0]
        if not col.primary_key and not col.info.get("system") and col.name in values:
            out[prop.key] = convert(col, values[col.name])
    return RowState(values.get("id"), None if vcol is None else values.get(vcol.name), out)


def owned_relations(model: type[Base]) -> list[str]:
    """Relationship keys of the sub-tables saved with a record (delete-orphan collections)."""
    mapper: Any = sa_inspect(model)
    return [r.key for r in mapper.relationships if r.cascade.delete_orphan and r.uselist]


def snapshot(obj: Any, relations: list[str] | None = None) -> Snapshot:
    """What a form read: the record and its sub-table rows (loads the collections)."""
    mapper = sa_inspect(obj).mapper
    rels = owned_relations(mapper.class_) if relations is None else relations
    return Snapshot(mapper.local_table.name, row_state(obj),
                    {rel: {c.id: row_state(c) for c in getattr(obj, rel)} for rel in rels})


def _mine_keys(obj: Any) -> list[str]:
    """The value fields the clerk's transient object carries (those a merge would copy)."""
    state = sa_inspect(obj)
    return [k for k in _value_keys(state.mapper) if k in state.dict]


def label(model: type[Base], key: str) -> str:
    return label_of(model, key)


def _entity(model: type[Base]) -> str:
    return getattr(model, "__label__", "") or model.__name__


class _Merge:
    def __init__(self, resolutions: dict[str, str] | None) -> None:
        self.resolutions = resolutions or {}
        self.conflicts: list[FieldConflict] = []

    def fields(self, model: type[Base], mine: Any, base: RowState, theirs: RowState, prefix: str,
               caption: str) -> None:
        """Three-way merge of one row's fields into `mine` (a transient object)."""
        for key in _mine_keys(mine):
            if key not in base.values or key not in theirs.values:
                continue
            b, m, t = base.values[key], getattr(mine, key), theirs.values[key]
            if t == b or m == t:
                continue  # the other desk left it alone (keep mine), or both agree
            if m == b:
                setattr(mine, key, t)  # only the other desk changed it: take theirs quietly
                continue
            ckey = prefix + key
            choice = self.resolutions.get(ckey)
            if choice == THEIRS:
                setattr(mine, key, t)
            elif choice != MINE:
                self.conflicts.append(FieldConflict(ckey, caption + label(model, key), m, t, b))


def merge_into(mine: Any, base: Snapshot, current: Any,
               resolutions: dict[str, str] | None = None) -> list[FieldConflict]:
    """Merge the other desk's changes (`current`, the stored row, locked) into `mine`.

    `mine` is the clerk's transient object (children on its collections); afterwards it carries
    the merged values and the stored versions, ready for Session.merge. Returns the conflicts
    not covered by `resolutions` (nothing is decided for them: the caller refuses the write).
    """
    model = type(mine)
    job = _Merge(resolutions)
    theirs = snapshot(current, list(base.children))
    job.fields(model, mine, base.row, theirs.row, "", "")
    for rel, base_rows in base.children.items():
        child_model = sa_inspect(model).relationships[rel].mapper.class_
        what = _entity(child_model)
        stored = theirs.children.get(rel, {})
        mine_rows = list(getattr(mine, rel))
        mine_ids = {getattr(c, "id", None) for c in mine_rows}
        kept: list[Any] = []
        for n, child in enumerate(mine_rows, start=1):
            cid = getattr(child, "id", None)
            caption = f"{what} {n} · "
            if cid is None or cid not in base_rows:
                kept.append(child)  # a row added here
                continue
            if cid not in stored:  # deleted on the other desk
                edited = any(getattr(child, k) != base_rows[cid].values.get(k)
                             for k in _mine_keys(child))
                key = f"{rel}[{cid}]"
                choice = job.resolutions.get(key)
                if edited and choice is None:
                    job.conflicts.append(FieldConflict(key, f"{what} {n}", "(고친 행)", "(삭제됨)",
                                                       "(원래 행)"))
                    kept.append(child)
                elif edited and choice == MINE:
                    child.id = None  # bring it back as a new row
                    kept.append(child)
                continue
            job.fields(child_model, child, base_rows[cid], stored[cid], f"{rel}[{cid}].", caption)
            vkey = _version_key(sa_inspect(child_model))
            if vkey:
                setattr(child, vkey, stored[cid].version)
            kept.append(child)
        for cid, row in stored.items():
            if cid in mine_ids:
                continue
            if cid not in base_rows:  # added on the other desk: keep it as stored
                kept.append(_copy(child_model, row))
                continue
            if row.version != base_rows[cid].version:  # deleted here, edited there
                key = f"{rel}[{cid}]"
                choice = job.resolutions.get(key)
                if choice == THEIRS:
                    kept.append(_copy(child_model, row))
                elif choice != MINE:
                    job.conflicts.append(FieldConflict(key, f"{what} (번호 {cid})", "(삭제함)",
                                                       "(고친 행)", "(원래 행)"))
        setattr(mine, rel, kept)
    vkey = _version_key(sa_inspect(model))
    if vkey:
        setattr(mine, vkey, theirs.row.version)
    return job.conflicts


def merge_values(model: type, mine: dict[str, Any], base: dict[str, Any],
                 theirs: dict[str, Any], resolutions: dict[str, str] | None = None, *,
                 prefix: str = "", caption: str = "") -> tuple[dict[str, Any], list[FieldConflict]]:
    """Three-way merge of plain field values (a revert, a restore, an import row).

    `mine` is what this write wants to set, `base` what the clerk saw when they chose it and
    `theirs` the stored values now. Returns the values to write and the fields both sides
    changed to different values that `resolutions` (keyed `prefix + key`) does not decide.
    """
    out: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for key, m in mine.items():
        b, t = base.get(key, _MISSING), theirs.get(key)
        if b is _MISSING or t == b:
            out[key] = m  # nobody else changed it since the clerk looked: mine
            continue
        if m in (t, b):
            continue  # both agree, or only the other desk changed it: theirs stays
        choice = (resolutions or {}).get(prefix + key)
        if choice == MINE:
            out[key] = m
        elif choice != THEIRS:
            conflicts.append(FieldConflict(prefix + key, caption + label(model, key), m, t, b))
    return out, conflicts


def lock_current(session: Any, model: type, ident: Any) -> Any:
    """The stored row, read fresh and locked (FOR UPDATE on PostgreSQL) until the commit."""
    return session.get(model, ident, with_for_update=True, populate_existing=True)


def stored_version(obj: Any) -> int | None:
    vkey = _version_key(sa_inspect(obj).mapper)
    return getattr(obj, vkey) if vkey else None


def loaded_version(loaded: Any) -> int | None:
    """The version in what a screen loaded (a Snapshot or a bare version number)."""
    if isinstance(loaded, Snapshot):
        return loaded.row.version
    return loaded if isinstance(loaded, int) else None


def _copy(model: type, row: RowState) -> Any:
    obj = model(**row.values)
    obj.id = row.id
    vkey = _version_key(sa_inspect(model))
    if vkey:
        setattr(obj, vkey, row.version)
    return obj


# What a refused write did not do, and what to do again
# ("아직 저장하지 않았습니다 … 다시 저장하세요").
ACTIONS = {"save": ("저장하지", "저장하세요"), "revert": ("되돌리지", "되돌리세요"),
           "restore": ("복원하지", "복원하세요"), "import": ("가져오지", "가져오세요")}


def conflict_message(what: str, conflicts: list[FieldConflict], action: str = "save") -> str:
    names = ", ".join(c.label for c in conflicts[:6]) + (" …" if len(conflicts) > 6 else "")
    undone, again = ACTIONS[action]
    target = f"이 {what} 기록" if what else "기록"
    return (f"다른 책상에서 {target}을 먼저 고쳤습니다. 두 책상이 같은 항목을 다르게 고쳐서 "
            f"아직 {undone} 않았습니다: {names}.\n항목마다 내 값과 다른 책상의 값 중 하나를 "
            f"고른 뒤 다시 {again}.")


def deleted_message(what: str) -> str:
    return (f"다른 책상에서 이 {what} 기록을 휴지통으로 옮겼거나 삭제해 저장하지 않았습니다.\n"
            "휴지통에서 복원한 뒤 다시 고치거나, 내 값을 새 기록으로 저장하세요.")


def stale_message(what: str = "") -> str:
    target = f"이 {what} 기록" if what else "이 기록"
    return (f"다른 책상에서 {target}을(를) 방금 고쳐 저장하지 않았습니다.\n"
            "기록을 다시 불러와 확인한 뒤 다시 시도하세요. 이미 저장된 내용은 그대로입니다.")


# ---------------------------------------------------------------- inside the write path


def _in_trash(session: Any, table: str, ident: Any) -> bool:
    return session.scalar(select(TrashItem.id).where(TrashItem.table_name == table,
                                                     TrashItem.record_id == ident)) is not None


def prepare_save(session: Any, obj: Any, base: Snapshot | None,
                 resolutions: dict[str, str] | None = None) -> None:
    """Check `obj` against the stored row (locked FOR UPDATE) before the write path merges it.

    Raises ConflictError when the record was deleted elsewhere, or when both desks changed the
    same field (unless `resolutions` decides it); otherwise leaves `obj` merged three ways and
    carrying the stored versions. A new record (no id) and a write with no snapshot (scripts,
    bulk tools) are not compared, but a stale row still fails at the flush (version_id_col).
    """
    model = type(obj)
    mapper = sa_inspect(model)
    ident = getattr(obj, "id", None)
    if ident is None or mapper.version_id_col is None:
        return
    what = _entity(model)
    current = session.get(model, ident, with_for_update=True, populate_existing=True)
    if current is None:
        if base is not None or _in_trash(session, mapper.local_table.name, ident):
            raise ConflictError(deleted_message(what), deleted=True, what=what)
        return
    if base is None:
        return
    conflicts = merge_into(obj, base, current, resolutions)
    if conflicts:
        raise ConflictError(conflict_message(what, conflicts), conflicts=conflicts,
                            current=snapshot(current, list(base.children)), what=what)


def bump_parent(session: Any, merged: Any) -> None:
    """Give the record a new version when only its sub-table rows changed.

    A desk holding the record then sees its snapshot is old, so its next save merges instead
    of writing back the rows it read (which would delete a row added elsewhere).
    """
    state = sa_inspect(merged)
    if state.mapper.version_id_col is None or state.key is None or session.is_modified(merged):
        return
    changed = any(
        rel in state.dict and (state.attrs[rel].history.has_changes()
                               or any(session.is_modified(c) or c in session.new
                                      for c in state.dict[rel]))
        for rel in owned_relations(state.mapper.class_))
    if changed:
        flag_modified(merged, "updated_at")  # an UPDATE that checks and bumps the version


def is_stale(exc: BaseException) -> bool:
    return isinstance(exc, StaleDataError)


def prepare_delete(session: Any, model: type[Base], ident: Any, version: int | None) -> None:
    """Refuse (ConflictError) a delete based on an older version than the stored one."""
    mapper = sa_inspect(model)
    if version is None or mapper.version_id_col is None:
        return
    current = session.get(model, ident, with_for_update=True, populate_existing=True)
    if current is None:
        return
    stored = getattr(current, str(_version_key(mapper)))  # version_id_col is set (above)
    if stored != version:
        what = _entity(model)
        raise ConflictError(
            f"다른 책상에서 이 {what} 기록을 그사이 고쳐 휴지통으로 옮기지 않았습니다.\n"
            "고친 내용을 확인한 뒤 그래도 지우려면 다시 삭제하세요.",
            current=snapshot(current), what=what)


def changed_elsewhere(database: Any, model: type[Base], base: Snapshot) -> str:
    """A Korean notice when the stored record is no longer the one `base` read ('' if it is)."""
    mapper = sa_inspect(model)
    vkey = _version_key(mapper)
    if vkey is None:
        return ""
    with database.session() as s:
        stored = s.scalar(select(getattr(model, vkey)).where(model.id == base.row.id))
    what = _entity(model)
    if stored is None:
        return (f"다른 책상에서 이 {what} 기록을 휴지통으로 옮겼습니다. 고친 내용은 아직 이 창에만 "
                "있습니다. 저장하면 새 기록으로 남길지 묻습니다.")
    if stored != base.row.version:
        return (f"다른 책상에서 이 {what} 기록을 고쳐 저장했습니다. 고친 내용은 그대로 두었습니다. "
                "저장하면 서로 다른 항목은 합쳐지고, 같은 항목은 어느 값을 남길지 묻습니다.")
    return ""
