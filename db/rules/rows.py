"""Records as light rows for `main.py check`: the same rules over rows read in bulk.

The rules read attributes (`pay.amount`, `grant.payments`), so they run unchanged on slotted
objects: one class per model with a slot per column and per relationship, streamed in chunks of
`CHUNK` records ordered by id. The statements are SQLAlchemy's (Core selects, compiled once per
dialect); their rows are read from the DBAPI cursor of the session's own connection and go
straight into the slots through the column types' result processors (no Core row per record:
that was a third of the check's reading). The relatives a model's rules walk are
declared with the rule (`@rule(FinancePayment, reads=("grant.payments",))`) and read with one
query per relationship and chunk (`WHERE grant_id IN (...)`), never one per record. A parent's
collection holds the very row being checked (the rules compare by identity), in the
relationship's own order (then by id, as the ORM's selectinload gives it).

A relationship that was not read raises `NotLoaded` (not AttributeError, which `loaded()`
would turn into None): a rule that walks a path it did not declare fails loudly instead of
seeing nothing. A many-to-one whose key is empty (None or blank) reads as None undeclared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session

from ..models import Base

CHUNK = 2_000  # records per chunk: memory stays flat; one query per relationship per chunk
IN_BATCH = 2_000  # ids per IN (...): under every SQLite build's host-parameter limit

Tree = dict[str, "Tree"]


class NotLoaded(Exception):  # noqa: N818 (reads as what happened)
    """A rule read a relationship the check did not read for it (declare it in `reads`)."""


class Row:
    """Base of the light record classes; `__model__` is the mapped class it stands for.

    `_derived` holds figures computed from a row and its relatives once per check
    (checks.derived): rows are only read, never edited, while the check runs.
    """

    __slots__ = ("_derived",)
    __model__: type[Base]
    _derived: dict[str, Any]

    def __getattr__(self, name: str) -> Any:  # only for slots never set and unknown names
        model = type(self).__model__
        if name.startswith("_"):  # protocols and probes (sa_inspect's _sa_instance_state)
            raise AttributeError(name)
        rel = sa_inspect(model).relationships.get(name)
        if rel is not None and rel.direction.name == "MANYTOONE" and all(
            _empty(object.__getattribute__(self, str(c.key))) for c in rel.local_columns
        ):
            return None  # no key, no parent (what the ORM's lazy load finds too)
        raise NotLoaded(f"{model.__name__}.{name} was not read for the check")

    def __repr__(self) -> str:
        return f"{type(self).__model__.__name__}Row({getattr(self, 'id', '?')})"


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
        self._builders: dict[tuple[Any, ...], Any] = {}
        self._queries: dict[tuple[Any, ...], Any] = {}

    def select(self) -> Select[Any]:
        return select(*self.columns)

    def builder(self, dialect: Any, codes: tuple[Any, ...]) -> Any:
        """rows → row objects for cursor rows of `select()`: each value through its column
        type's result processor for this dialect and the cursor's type code (what
        SQLAlchemy's own rows apply: SQLite's date text → date, 0/1 → bool), in one loop."""
        key = (dialect, codes)
        build = self._builders.get(key)
        if build is None:
            procs = {f"p{i}": proc for i, (col, code) in enumerate(zip(self.columns, codes,
                                                                         strict=True))
                     if (proc := col.type.dialect_impl(dialect).result_processor(dialect, code))}
            names = [f"v{i}" for i in range(len(self.keys))]
            sets = "; ".join(f"o.{k} = {f'p{i}({v})' if f'p{i}' in procs else v}"
                             for i, (k, v) in enumerate(zip(self.keys, names, strict=True)))
            defaults = "".join(f", {p}={p}" for p in procs)
            source = (
                f"def make({', '.join(procs)}):\n"
                f"    def build(rows, cls, new=object.__new__{defaults}):\n"
                "        out = []\n"
                "        append = out.append\n"
                f"        for {', '.join(names)}{',' if len(names) == 1 else ''} in rows:\n"
                f"            o = new(cls); {sets}; append(o)\n"
                "        return out\n"
                "    return build\n"
            )
            space: dict[str, Any] = {}
            exec(source, space)  # noqa: S102 (attribute names from our own mapped columns)
            build = space["make"](*procs.values())
            self._builders[key] = build
        return build

    def query(self, dialect: Any, name: Any, stmt: Callable[[], Select[Any]]) -> Any:
        """`stmt()` compiled once per dialect (its parameters are filled at each run)."""
        key = (dialect, name)
        compiled = self._queries.get(key)
        if compiled is None:
            compiled = self._queries[key] = stmt().compile(dialect=dialect)
        return compiled


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


def merge(a: Tree, b: Tree) -> Tree:
    """Both trees in one: {'grant': {'payments': {}}} + {'grant': {'organization': {}}}."""
    out = {key: dict(sub) for key, sub in a.items()}
    for key, sub in b.items():
        out[key] = merge(out.get(key, {}), sub)
    return out


def stream(session: Session, model: type[Base], reads: Tree,
           where: Any = None) -> Iterator[list[Any]]:
    """Every record of `model` (or those `where` picks) as rows, CHUNK at a time, ordered by
    id, with the relatives in `reads` set.

    Chunk by chunk (`id > last ORDER BY id LIMIT CHUNK`): memory stays flat on every server
    without a server-side cursor.
    """
    k = kind(model)
    conn = session.connection()
    stmt = k.select()
    if where is not None:
        stmt = stmt.where(where)
    if k.pk is None:  # a table keyed otherwise (settings): small, read at once
        for rows in _run(conn, k, stmt.compile(dialect=conn.dialect), {}):
            resolve(session, model, rows, reads, {}, rows)
            yield rows
        return
    first = stmt.order_by(k.pk).limit(CHUNK).compile(dialect=conn.dialect)
    after = stmt.where(k.pk > bindparam("after", type_=k.pk.type)).order_by(k.pk).limit(CHUNK)
    rest = after.compile(dialect=conn.dialect)
    compiled, values = first, dict[str, Any]()
    while True:
        rows = [row for part in _run(conn, k, compiled, values) for row in part]
        if not rows:
            return
        resolve(session, model, rows, reads, {}, rows)
        yield rows
        if len(rows) < CHUNK:
            return
        compiled, values = rest, {"after": rows[-1].id}


def _run(conn: Any, k: _Kind, compiled: Any, values: dict[str, Any]) -> Iterator[list[Any]]:
    """The rows of `compiled` (a select of `k`'s columns) as row objects, CHUNK at a time.

    Read from the DBAPI cursor of SQLAlchemy's own connection (the session's transaction),
    with the statement and parameters SQLAlchemy would send and the same bind and result
    processing, but without building a Core row per record on the way.
    """
    state = compiled.construct_expanded_state(values)
    params = dict(state.parameters)
    for name, proc in state.processors.items():
        if name in params:
            params[name] = proc(params[name])
    args: Any = params if state.positiontup is None else tuple(
        params[name] for name in state.positiontup)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(state.statement, args)
        build = k.builder(conn.dialect, tuple(d[1] for d in cursor.description))
        while part := cursor.fetchmany(CHUNK):
            yield build(part, k.cls)
    finally:
        cursor.close()


# ---------------------------------------------------------------- families

# (child model, the parent's collection of it, the child's key to its parent)
Member = tuple[type[Base], str, str]


def families(models: list[type[Base]], reads: dict[type, Tree]) -> dict[type, list[Member]]:
    """Parent model → the child models whose rules walk to that parent first.

    A payment's rule reads its grant's payments, so payments are read once, as the grants'
    collections, instead of once as records and again as each grant's siblings. A model that
    is a parent stays one (it is not also made a child of its own parent).
    """
    out: dict[type, list[Member]] = {}
    for child in models:
        mapper = sa_inspect(child)
        for key in reads.get(child, {}):
            rel = mapper.relationships[key]
            back = rel.mapper.relationships.get(rel.back_populates or "")
            if rel.direction.name == "MANYTOONE" and back is not None and back.uselist:
                out.setdefault(rel.mapper.class_, []).append((child, back.key, key))
                break
    parents = set(out)
    return {p: [m for m in members if m[0] not in parents] for p, members in out.items()}


def walk(session: Session, parent: type[Base], members: list[Member],
         reads: dict[type, Tree]) -> Iterator[tuple[type[Base], list[Any], Tree]]:
    """(model, records, the relatives set on them) for `parent` and its family's members.

    Chunks of parents, each followed by the members among their collections (each child's
    parent key set to the parent row); then the members no stored parent holds (no key, or a
    key to a missing parent: the per-object rules see no parent there either).
    """
    own = reads.get(parent, {})
    held = merge(own, {key: {} for _c, key, _k in members})
    mapper = sa_inspect(parent)
    for chunk in stream(session, parent, own):
        yield parent, chunk, own
        for child, key, back in members:
            rel = mapper.relationships[key]
            if key not in own:
                _children(session, chunk, rel, key, child, [])
            children = []
            for p in chunk:  # each child in its parent's collection, the parent set on it
                held_by = getattr(p, key)
                for c in held_by:
                    setattr(c, back, p)
                children += held_by
            done = {back: held}
            resolve(session, child, children, reads.get(child, {}), done, children)
            yield child, children, merge(done, reads.get(child, {}))
            unlink(children, (back, *reads.get(child, {})))
        unlink(chunk, held)
    for child, _key, back in members:
        rel = sa_inspect(child).relationships[back]
        (fk,) = rel.local_columns
        (remote,) = rel.remote_side
        alone = fk.is_(None) | ~select(remote).where(remote == fk).exists()
        for orphans in stream(session, child, reads.get(child, {}), alone):
            yield child, orphans, reads.get(child, {})
            unlink(orphans, reads.get(child, {}))


def unlink(rows: list[Any], keys: Any) -> None:
    """The relationships `keys` on `rows` unset, once their checks are done.

    A row and its relatives hold each other (a payment its grant, the grant its payments,
    the payment among them): unlinked, a chunk goes with its last reference instead of
    waiting as cyclic garbage for the collector's rarer runs (memory stays flat at 1M).
    """
    for key in keys:
        for row in rows:
            try:
                delattr(row, key)
            except AttributeError:
                pass


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
        if key in done and _covered(sub, done[key]):
            continue
        if key in done:
            related = _values(rows, key, bool(rel.uselist))
        elif rel.direction.name == "MANYTOONE":
            related = _parents(session, rows, rel, key, target)
        else:
            related = _children(session, rows, rel, key, target, chunk)
        resolve(session, target, related, sub, done.get(key, {}), chunk)


def _covered(tree: Tree, done: Tree) -> bool:
    """Everything in `tree` is in `done` already."""
    return all(key in done and _covered(sub, done[key]) for key, sub in tree.items())


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
    compiled = k.query(conn.dialect, ("parents", remote), lambda: k.select().where(
        remote.in_(bindparam("ids", expanding=True))))
    for batch in _batches(ids):
        for part in _run(conn, k, compiled, {"ids": batch}):
            for obj in part:
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

    def statement() -> Select[Any]:
        stmt = k.select().where(fk.in_(bindparam("ids", expanding=True))).order_by(fk, *order)
        return stmt.order_by(k.pk) if k.pk is not None else stmt

    compiled = k.query(conn.dialect, ("children", rel), statement)
    for batch in _batches(ids):
        built = [obj for part in _run(conn, k, compiled, {"ids": batch}) for obj in part]
        if same:
            built = [mine.get(obj.id, obj) for obj in built]
        children += built
        for parent, group in groupby(built, attrgetter(fk_key)):  # ordered by fk
            by_parent[parent] = list(group)
    for r in rows:
        setattr(r, key, by_parent.get(getattr(r, local_key), []))
    return children


def _attr_key(mapper: Mapper[Any], column: Any) -> str:
    return mapper.get_property_by_column(column).key
