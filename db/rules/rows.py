"""Records as light rows for `main.py check`: the same rules over rows read in bulk.

The rules read attributes (`pay.amount`, `grant.payments`), so they run unchanged on slotted
objects built from Core rows: one class per model with a slot per column and per relationship,
streamed in chunks of `CHUNK` records ordered by id. The relatives a model's rules walk are
declared with the rule (`@rule(FinancePayment, reads=("grant.payments",))`) and read with one
query per relationship and chunk (`WHERE grant_id IN (...)`), never one per record. A parent's
collection holds the very row being checked (the rules compare by identity), in the
relationship's own order (then by id, as the ORM's selectinload gives it).

A relationship that was not read raises `NotLoaded` (not AttributeError, which `loaded()`
would turn into None): a rule that walks a path it did not declare fails loudly instead of
seeing nothing. A many-to-one whose key is empty reads as None without being declared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session

from ..models import Base

CHUNK = 2_000  # records per chunk: memory stays flat; one query per relationship per chunk
IN_BATCH = 2_000  # ids per IN (...): under every SQLite build's host-parameter limit

Tree = dict[str, "Tree"]


class NotLoaded(Exception):  # noqa: N818 (reads as what happened)
    """A rule read a relationship the check did not read for it (declare it in `reads`)."""


class Row:
    """Base of the light record classes; `__model__` is the mapped class it stands for."""

    __slots__ = ()
    __model__: type[Base]

    def __getattr__(self, name: str) -> Any:  # only for slots never set and unknown names
        model = type(self).__model__
        if name.startswith("_"):  # protocols and probes (sa_inspect's _sa_instance_state)
            raise AttributeError(name)
        rel = sa_inspect(model).relationships.get(name)
        if rel is not None and rel.direction.name == "MANYTOONE" and all(
            object.__getattribute__(self, str(c.key)) is None for c in rel.local_columns
        ):
            return None
        raise NotLoaded(f"{model.__name__}.{name} was not read for the check")

    def __repr__(self) -> str:
        return f"{type(self).__model__.__name__}Row({getattr(self, 'id', '?')})"


class _Kind:
    """What the check reads of one model: its row class, columns and how to build rows."""

    def __init__(self, model: type[Base]) -> None:
        mapper: Mapper[Any] = sa_inspect(model)
        self.model = model
        self.mapper = mapper
        self.keys = [key for key, col in mapper.columns.items() if not col.info.get("system")]
        self.columns = [mapper.columns[key] for key in self.keys]
        slots = (*self.keys, *mapper.relationships.keys())
        attrs: dict[str, Any] = {
            "__slots__": slots, "__model__": model, "__module__": __name__,
            "__label__": model.__label__, "__title__": model.__title__,
            "__title_context__": model.__title_context__,
        }
        self.cls = type(f"{model.__name__}Row", (Row,), attrs)
        self.pk = mapper.columns.get("id")
        assign = ", ".join(f"o.{k}" for k in self.keys)
        source = (
            "def build(rows, cls, new=object.__new__):\n"
            "    out = []\n"
            "    for r in rows:\n"
            "        o = new(cls)\n"
            f"        {assign}{',' if len(self.keys) == 1 else ''} = r\n"
            "        out.append(o)\n"
            "    return out\n"
        )
        space: dict[str, Any] = {}
        exec(source, space)  # noqa: S102 (attribute names from our own mapped columns)
        self._build = space["build"]

    def select(self) -> Select[Any]:
        return select(*self.columns)

    def build(self, rows: Any) -> list[Any]:
        return list(self._build(rows, self.cls))


_KINDS: dict[type, _Kind] = {}


def kind(model: type[Base]) -> _Kind:
    if model not in _KINDS:
        _KINDS[model] = _Kind(model)
    return _KINDS[model]


def tree_of(paths: Any) -> Tree:
    """('grant.payments', 'grant.organization') → {'grant': {'payments': {}, 'organization': {}}}"""
    tree: Tree = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
    return tree


def stream(session: Session, model: type[Base], reads: Tree) -> Iterator[list[Any]]:
    """Every record of `model` as rows, CHUNK at a time, with the relatives in `reads` set."""
    k = kind(model)
    stmt = k.select()
    if k.pk is not None:
        stmt = stmt.order_by(k.pk)
    conn = session.connection()
    result = conn.execute(stmt.execution_options(yield_per=CHUNK))
    for part in result.partitions(CHUNK):
        rows = k.build(part)
        resolve(session, model, rows, reads, {}, rows)
        yield rows
    result.close()


def resolve(session: Session, model: type[Base], rows: list[Any], tree: Tree, done: Tree,
            chunk: list[Any]) -> None:
    """Set the relationships in `tree` on `rows` (those in `done` are set already).

    `chunk` is the list being checked: a collection that holds one of its records holds that
    very object.
    """
    if not rows or not tree:
        return
    mapper = sa_inspect(model)
    for key, sub in tree.items():
        rel = mapper.relationships[key]
        target = rel.mapper.class_
        if key in done:
            related = _values(rows, key, bool(rel.uselist))
        elif rel.direction.name == "MANYTOONE":
            related = _parents(session, rows, rel, key, target)
        else:
            related = _children(session, rows, rel, key, target, chunk)
        resolve(session, target, related, sub, done.get(key, {}), chunk)


def _values(rows: list[Any], key: str, uselist: bool) -> list[Any]:
    out: list[Any] = []
    seen: set[int] = set()
    for r in rows:
        value = getattr(r, key)
        for v in (value if uselist else [value]):
            if v is not None and id(v) not in seen:
                seen.add(id(v))
                out.append(v)
    return out


def _batches(ids: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(ids), IN_BATCH):
        yield ids[start:start + IN_BATCH]


def _parents(session: Session, rows: list[Any], rel: Any, key: str,
             target: type[Base]) -> list[Any]:
    (fk,) = rel.local_columns
    (remote,) = rel.remote_side
    fk_key = _attr_key(rel.parent, fk)
    ids = sorted({v for r in rows if (v := getattr(r, fk_key)) is not None})
    k = kind(target)
    found: dict[Any, Any] = {}
    remote_key = _attr_key(rel.mapper, remote)
    conn = session.connection()
    for batch in _batches(ids):
        for obj in k.build(conn.execute(k.select().where(remote.in_(batch)))):
            found[getattr(obj, remote_key)] = obj
    for r in rows:
        v = getattr(r, fk_key)
        setattr(r, key, found.get(v) if v is not None else None)
    return list(found.values())


def _children(session: Session, rows: list[Any], rel: Any, key: str, target: type[Base],
              chunk: list[Any]) -> list[Any]:
    (local,) = rel.local_columns
    (fk,) = rel.remote_side
    local_key = _attr_key(rel.parent, local)
    fk_key = _attr_key(rel.mapper, fk)
    ids = sorted({v for r in rows if (v := getattr(r, local_key)) is not None})
    k = kind(target)
    same = {id(type(r)) for r in chunk[:1]} == {id(k.cls)}
    mine = {r.id: r for r in chunk} if same else {}
    order = [c for c in (rel.order_by or ())]
    by_parent: dict[Any, list[Any]] = {}
    children: list[Any] = []
    conn = session.connection()
    for batch in _batches(ids):
        stmt = k.select().where(fk.in_(batch)).order_by(fk, *order)
        if k.pk is not None:
            stmt = stmt.order_by(k.pk)
        for obj in k.build(conn.execute(stmt)):
            obj = mine.get(obj.id, obj) if same else obj
            by_parent.setdefault(getattr(obj, fk_key), []).append(obj)
            children.append(obj)
    for r in rows:
        setattr(r, key, by_parent.get(getattr(r, local_key), []))
    return children


def _attr_key(mapper: Mapper[Any], column: Any) -> str:
    return mapper.get_property_by_column(column).key
