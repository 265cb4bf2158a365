"""The one write path: validate, write in one transaction, log, announce what changed.

Every write of Dure — a form's save and delete, a revert, a trash restore or emptying, an
import, the demo load and the settings — runs inside `write()`:

    with service.write(database, Op.REVERT, initiator=self) as w:
        ...  # change rows through w.session (validated by the caller or with w.validate)
    # committed; the change history rows went into the same transaction; `changes` announced

`write()` opens one session, records every table each flush touches, runs the `before_commit`
hooks (the place for checks that need the whole write, such as optimistic-concurrency version
checks against `Write.loaded`; docs/ARCHITECTURE.md), commits, and publishes one typed
`Change` on db/changes.py's bus. Any error rolls everything back; the database's refusals
come back as Korean DureErrors.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, UOWTransaction

from . import registry, rules
from .changes import Change, Op, RecordId, changes
from .errors import DureError, ValidationFailed
from .office import notify as _notify  # noqa: F401 (announces writes on PostgreSQL)
from .office import users as _users  # noqa: F401 (the server's refusals in Korean)
from .office import versions
from .safety import discard

if TYPE_CHECKING:
    from .models.base import Base
    from .session import Database

T = TypeVar("T")
RowKey = tuple[str, RecordId]  # (table name, primary key)

__all__ = ["Change", "Op", "Write", "before_commit", "changes", "check", "delete", "save",
           "write"]


@dataclass
class Write:
    """One write in progress: its session and what it has touched so far.

    `loaded` maps (table, id) to what the screen loaded before the clerk edited (a version
    number or a snapshot of values): a `before_commit` hook compares the rows this write
    changes with it and raises to refuse a write based on an older version.
    """

    session: Session
    op: Op
    initiator: object | None = None
    loaded: Mapping[RowKey, Any] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)
    ids: list[RecordId] = field(default_factory=list)
    rows: set[RowKey] = field(default_factory=set)  # every (table, id) flushed, for the hooks

    def touch(self, *tables: str) -> None:
        """Name tables changed outside the ORM (a Core DELETE is invisible to the flush)."""
        self.tables.update(tables)

    def about(self, *ids: RecordId) -> None:
        """The records this write is about (announced as `Change.ids`)."""
        self.ids.extend(ids)

    def validate(self, *objs: Any) -> None:
        """Run the rules on `objs` against this session; ValidationFailed on any error."""
        _load_rule_modules()
        problems: list[rules.Problem] = []
        with self.session.no_autoflush:
            for obj in objs:
                problems += rules.errors(rules.validate(obj, self.session))
        if problems:
            raise ValidationFailed(problems)

    def change(self) -> Change:
        return Change(frozenset(self.tables), self.op, tuple(self.ids), self.initiator)

    def _after_flush(self, session: Session, ctx: UOWTransaction) -> None:
        for obj in (*session.new, *session.dirty, *flushed_deletes(session, ctx)):
            state = sa_inspect(obj)
            table = state.mapper.local_table.name
            self.tables.add(table)
            ident = state.mapper.primary_key_from_instance(obj)  # new rows: no identity yet
            if len(ident) == 1 and ident[0] is not None:
                self.rows.add((table, ident[0]))


# Called with every write after its last flush, before its commit; raising refuses the write.
before_commit: list[Callable[[Write], None]] = []


@contextmanager
def write(db: Database, op: Op, *, initiator: object | None = None, source: str | None = None,
          loaded: Mapping[RowKey, Any] | None = None) -> Iterator[Write]:
    """One write in one transaction, committed and announced when the block ends without error.

    `source` is what the change history records as the origin ("revert", "import" …).
    """
    with db.session() as s:
        w = Write(s, op, initiator, loaded or {})
        s.info["dure_write"] = w
        if source is not None:
            s.info["history_source"] = source
        event.listen(s, "after_flush", w._after_flush)
        try:
            yield w
            s.flush()
            for hook in list(before_commit):
                hook(w)
            s.commit()
        except IntegrityError as exc:
            s.rollback()
            raise DureError(integrity_message(exc)) from exc
        except BaseException as exc:
            s.rollback()
            if versions.is_stale(exc):  # another desk wrote the row between read and write
                raise versions.ConflictError(versions.stale_message()) from exc
            raise
        finally:
            event.remove(s, "after_flush", w._after_flush)
    if w.tables:
        changes.publish(w.change())


def flushed_deletes(session: Session, ctx: UOWTransaction) -> list[Any]:
    """Objects a flush deletes, orphans removed from a collection included.

    Orphans are found inside the flush, so they never appear in `session.deleted`; the unit of
    work's own state list has them.
    """
    out = {id(o): o for o in session.deleted}
    for state, (isdelete, listonly) in getattr(ctx, "states", {}).items():
        if isdelete and not listonly and state.obj() is not None:
            out.setdefault(id(state.obj()), state.obj())
    return list(out.values())


def owned_children(obj: Any) -> list[Any]:
    """Children in `obj`'s loaded delete-orphan collections (sub-tables saved with a parent).

    Pass children this way (obj.rounds = [...]) rather than as `children=` when the parent is
    new: merging a transient child on its own would insert it a second time.
    """
    state = sa_inspect(obj)
    out: list[Any] = []
    for rel in state.mapper.relationships:
        if rel.cascade.delete_orphan and rel.uselist and rel.key in state.dict:
            out.extend(state.dict[rel.key])
    return out


def check(obj: Any, session: Session | None = None) -> list[rules.Problem]:
    """All problems of `obj` (errors and warnings) without writing anything."""
    _load_rule_modules()
    return rules.validate(obj, session)


def save(db: Database, obj: T, *, children: Iterable[Any] = (), base: Any = None,
         resolutions: dict[str, str] | None = None, initiator: object | None = None) -> T:
    """Validate `obj` (and `children`) and write them in one transaction; returns the saved obj.

    Raises ValidationFailed with Korean messages when a rule is broken; nothing is written then.
    `base` is the db.office.versions.Snapshot the form read: another desk's changes since are
    merged in, and a field both changed raises ConflictError (unless `resolutions` decides).
    """
    with write(db, Op.SAVE, initiator=initiator) as w:
        s = w.session
        # Rules run before the flush so the clerk gets their Korean message rather than
        # the database's CHECK/UNIQUE refusal (validators read the session unflushed).
        with s.no_autoflush:
            versions.prepare_save(s, obj, base, resolutions)
            merged = s.merge(obj)
            versions.bump_parent(s, merged)
            merged_children = [s.merge(child) for child in children]
        w.validate(merged, *owned_children(merged), *merged_children)
        s.flush()
        state = sa_inspect(merged)
        ident = (state.identity if state is not None else None) or ()
        w.about(*(i for i in ident if isinstance(i, int)))
    return merged


def delete(db: Database, model: type[Base], ident: RecordId, *, version: int | None = None,
           initiator: object | None = None) -> None:
    """Move one record and its child records to the trash (휴지통), in one transaction.

    Refused with a Korean DureError naming the referring records while others refer to it;
    nothing is changed then. A missing record is not an error (already deleted). `version`
    (the one the clerk saw) refuses with ConflictError when another desk changed it since.
    """
    with write(db, Op.DELETE, initiator=initiator) as w:
        s = w.session
        versions.prepare_delete(s, model, ident, version)
        if isinstance(ident, int):
            if discard.trash_record(s, model, ident) is None:
                return
        else:  # a record keyed by text (Setting) has no children: delete it outright
            obj = s.get(model, ident)
            if obj is None:
                return
            s.delete(obj)
        w.about(ident)


def integrity_message(exc: IntegrityError) -> str:
    """A Korean explanation of a constraint the database refused."""
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "같은 내용의 기록이 이미 있습니다(중복). 기존 기록을 찾아 수정하세요."
    if "foreign key" in text:
        return ("다른 기록이 이 기록을 참조하고 있어 처리할 수 없습니다. "
                "참조하는 기록을 먼저 정리하세요.")
    if "check" in text:
        return ("입력값이 규칙에 맞지 않습니다(음수 금액, 끝이 시작보다 앞선 날짜 등). "
                "값을 확인하세요.")
    if "not null" in text:
        return "꼭 입력해야 하는 항목이 비어 있습니다."
    return f"데이터베이스가 저장을 거부했습니다: {exc.orig}"


_loaded = False


def _load_rule_modules() -> None:
    """Import the shared checks and every registered area's rules once (@rule registrations)."""
    global _loaded
    if _loaded:
        return
    for name in ("db.rules.checks", *(a.rules for a in registry.AREAS)):
        importlib.import_module(name)
    _loaded = True
