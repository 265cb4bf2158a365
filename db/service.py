"""The one write path: validate, write in one transaction, announce what changed.

Screens subscribe to `changes` (the GUI bridges it to a Qt signal `records_changed`), so a
save in one tab refreshes every tab that shows the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import rules
from .errors import DureError, ValidationFailed
from .office import notify as _notify  # noqa: F401 (announces writes on PostgreSQL)
from .office import users as _users  # noqa: F401 (the server's refusals in Korean)
from .office import versions
from .session import Database

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """What a write touched: table names, the operation and the affected primary keys."""

    tables: frozenset[str]
    op: str  # "save" | "delete" | "restore" | "import" | "revert"
    ids: tuple[int, ...] = ()


@dataclass
class ChangeBus:
    """A plain observer list (no Qt here: the db layer runs headless too)."""

    listeners: list[Callable[[Change], None]] = field(default_factory=list)

    def subscribe(self, fn: Callable[[Change], None]) -> None:
        self.listeners.append(fn)

    def unsubscribe(self, fn: Callable[[Change], None]) -> None:
        if fn in self.listeners:
            self.listeners.remove(fn)

    def publish(self, change: Change) -> None:
        for fn in list(self.listeners):
            fn(change)


changes = ChangeBus()


def _tables_of(objs: Iterable[Any]) -> frozenset[str]:
    return frozenset(sa_inspect(type(o)).local_table.name for o in objs)


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


def check(obj: Any, session: Any = None) -> list[rules.Problem]:
    """All problems of `obj` (errors and warnings) without writing anything."""
    _load_rule_modules()
    return rules.validate(obj, session)


def save(db: Database, obj: T, *, children: Iterable[Any] = (), base: Any = None,
         resolutions: dict[str, str] | None = None) -> T:
    """Validate `obj` (and `children`) and write them in one transaction; returns the saved obj.

    Raises ValidationFailed with Korean messages when a rule is broken; nothing is written then.
    `base` is the db.office.versions.Snapshot the form read: another desk's changes since are
    merged in, and a field both changed raises ConflictError (unless `resolutions` decides).
    """
    _load_rule_modules()
    with _writing(db) as s:
        # Rules run before the flush so the clerk gets their Korean message rather than
        # the database's CHECK/UNIQUE refusal (validators read the session unflushed).
        with s.no_autoflush:
            versions.prepare_save(s, obj, base, resolutions)
            merged = s.merge(obj)
            versions.bump_parent(s, merged)
            problems = rules.errors(rules.validate(merged, s))
            for child in owned_children(merged):  # sub-table rows set on obj's collections
                problems += rules.errors(rules.validate(child, s))
            for child in children:
                problems += rules.errors(rules.validate(s.merge(child), s))
        if problems:
            raise ValidationFailed(problems)
        s.commit()
        tables = _tables_of([merged, *owned_children(merged), *children])
        ident = sa_inspect(merged).identity or ()
    changes.publish(Change(tables, "save", tuple(i for i in ident if isinstance(i, int))))
    return merged


def delete(db: Database, model: type, ident: int, *, version: int | None = None) -> None:
    """Move one record and its child records to the trash (휴지통), in one transaction.

    Refused with a Korean DureError naming the referring records while others refer to it;
    nothing is changed then. A missing record is not an error (already deleted). `version`
    (the one the clerk saw) refuses with ConflictError when another desk changed it since.
    """
    from .safety import trash

    with _writing(db) as s:
        versions.prepare_delete(s, model, ident, version)
        if isinstance(ident, int):
            if trash.trash_record(s, model, ident) is None:
                return
        else:  # a record keyed by text (Setting) has no children: delete it outright
            obj = s.get(model, ident)
            if obj is None:
                return
            s.delete(obj)
        s.commit()
    changes.publish(Change(frozenset({sa_inspect(model).local_table.name}), "delete", (ident,)))


@contextmanager
def _writing(db: Database) -> Iterator[Session]:
    """One session for one write: rolled back on any error, refusals told in Korean."""
    with db.session() as s:
        try:
            yield s
        except IntegrityError as exc:
            s.rollback()
            raise DureError(integrity_message(exc)) from exc
        except Exception as exc:
            if versions.is_stale(exc):  # another desk wrote the row between read and write
                s.rollback()
                raise versions.ConflictError(versions.stale_message()) from exc
            s.rollback()
            raise


def integrity_message(exc: IntegrityError) -> str:
    """A Korean explanation of a constraint the database refused."""
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "같은 내용의 기록이 이미 있습니다(중복). 기존 기록을 찾아 수정하세요."
    if "foreign key" in text:
        return "다른 기록이 이 기록을 참조하고 있어 처리할 수 없습니다. 참조하는 기록을 먼저 정리하세요."
    if "check" in text:
        return "입력값이 규칙에 맞지 않습니다(음수 금액, 끝이 시작보다 앞선 날짜 등). 값을 확인하세요."
    if "not null" in text:
        return "꼭 입력해야 하는 항목이 비어 있습니다."
    return f"데이터베이스가 저장을 거부했습니다: {exc.orig}"


_loaded = False


def _load_rule_modules() -> None:
    """Import the shared checks and every registered area's rules once (@rule registrations)."""
    global _loaded
    if _loaded:
        return
    import importlib

    from . import registry

    for name in ("db.rules.checks", *(a.rules for a in registry.AREAS)):
        importlib.import_module(name)
    _loaded = True
