"""How Dure names things: an entity's Korean label and a record's title, one way for all.

Each model declares `__label__` ("입주공간") and `__title__`, a template over its fields and
its parents' fields: `"{space.site} · {organization.name}"`. A part in `[...]` is left out
when a field inside it is empty (`"{year} {program}[ · {organization.name}]"`). Pickers add
the optional `__title_context__` (what tells two records of one title apart) and sort by
`__title_order__` (default: years newest first, then the title's fields in order). The trash,
the history, `main.py check`, refusals and pickers all name records through this module.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import string
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, aliased

from .errors import DureError
from .models import Base

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


# ---------------------------------------------------------------- entities


def model_for_table(name: str) -> type[Base]:
    """The mapped class of a table name (DureError for an unknown table)."""
    for mapper in Base.registry.mappers:
        model: type[Base] = mapper.class_
        if table_of(model) == name:
            return model
    raise DureError(f"알 수 없는 표 '{name}'입니다.")


def table_of(model: type[Base]) -> str:
    """The table a model is stored in."""
    return str(model.__tablename__)


def table(model: type[Base]) -> Table:
    """The Table of a model (to the type checker `__table__` is only a FromClause)."""
    return Base.metadata.tables[table_of(model)]


def label(model: type[Base] | str) -> str:
    """Korean name of an entity, from its model or its table name ('입주공간')."""
    if isinstance(model, str):
        try:
            found = model_for_table(model)
        except DureError:
            return model
        return label(found)
    return model.__label__ or model.__name__


def table_labels() -> dict[str, str]:
    """Table name → Korean entity label of every table."""
    return {table_of(mapper.class_): label(mapper.class_) for mapper in Base.registry.mappers}


# ---------------------------------------------------------------- record titles


@cache
def title_fields(template: str) -> tuple[str, ...]:
    """The field paths a title template reads, in order ('space.site', 'organization.name')."""
    return tuple(f for _lit, f, _spec, _conv in string.Formatter().parse(template) if f)


def template_of(model: type[Base], *, context: bool = False) -> str:
    """The model's title template, with its context part for pickers when `context`."""
    template = model.__title__
    if not template:
        raise TypeError(f"{model.__name__} declares no __title__")
    extra = model.__title_context__ if context else ""
    return f"{template} {extra}" if extra else template


def _text(value: Any) -> str:
    """A value in a title as the desk's lists show it: dates 2021.07.09, times 15:00."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{_date_text(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return _date_text(value)
    return str(value)


def _date_text(d: dt.date) -> str:
    """2021.07.09, as gui/widgets/display.date_text writes a date in a list (that module is
    read before SQLAlchemy loads, so it cannot import this one)."""
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


Piece = tuple[str, str]  # (literal text, field path or "" for none)


@cache
def _parts(template: str) -> tuple[tuple[bool, tuple[Piece, ...]], ...]:
    """The template cut once into (optional, pieces) parts: `[...]` parts are optional.

    Each literal part is parsed before any value goes in: a value holding braces ('a{b',
    '{x}') is text, never read as a placeholder of its own.
    """

    def pieces(part: str) -> tuple[Piece, ...]:
        return tuple((lit, name or "") for lit, name, _s, _c in string.Formatter().parse(part))

    out, pos = [], 0
    for match in _OPTIONAL.finditer(template):
        out.append((False, pieces(template[pos:match.start()])))
        out.append((True, pieces(match.group(1))))
        pos = match.end()
    out.append((False, pieces(template[pos:])))
    return tuple(out)


def render(template: str, values: Mapping[str, Any]) -> str:
    """The template filled from `values` (path → value); empty optional parts left out."""
    paths = tuple(dict.fromkeys(title_fields(template)))
    return _filler(template, paths)([values.get(p) for p in paths])


@cache
def _filler(template: str, paths: tuple[str, ...]) -> Callable[[Sequence[Any]], str]:
    """`render(template, dict(zip(paths, values)))` as one function of the values (`paths`
    holds every field of the template), the template's parts resolved once to positions in
    `paths` (the first of a path named twice); an optional part is left out when a value in
    it is empty, and the spaces are closed up by `str.split` (the characters of a regular
    expression's `\\s`: both are Python's str.isspace). `main.py check` names every record
    it finds something in, 13,000 at 100,000 records: about 5 % of its time went to a dict
    of the values and a regular expression for each title."""
    first = {p: i for i, p in reversed(list(enumerate(paths)))}  # (KeyError: one missing)
    parts = tuple((optional, tuple((lit, first[name] if name else -1) for lit, name in pieces))
                  for optional, pieces in _parts(template))

    def fill(values: Sequence[Any]) -> str:
        out = []
        for optional, part in parts:
            texts = [(lit, _text(values[at]) if at >= 0 else None) for lit, at in part]
            if optional and any(text == "" for _lit, text in texts):
                continue
            for lit, text in texts:
                out.append(lit)
                if text is not None:
                    out.append(text)
        return " ".join("".join(out).split())
    return fill


def _value(obj: Any, path: str) -> Any:
    for name in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


@cache
def _titler(model: type[Base], context: bool) -> Callable[[Any], str]:
    """`title`'s text of a record of `model` from its fields, "" when they are all empty:
    the template's paths read by one attrgetter when none goes through a parent (a parent
    that is None makes its fields None, as `_value` reads them)."""
    template = template_of(model, context=context)
    paths = tuple(dict.fromkeys(title_fields(template)))
    fill = _filler(template, paths)
    if not paths:
        return lambda obj: fill(())
    if any("." in p for p in paths):
        return lambda obj: fill([_value(obj, p) for p in paths])
    read = operator.attrgetter(*paths)
    if len(paths) == 1:
        return lambda obj: fill((read(obj),))
    return lambda obj: fill(read(obj))


def title(obj: Base, *, context: bool = False) -> str:
    """A record's title ('백마역 1번출구 · 꿈꾸는공방'); '입주 계약 3' when its fields are empty."""
    model = getattr(type(obj), "__model__", type(obj))  # a light row of `check` names its model
    shown = _titler(model, context)(obj)
    if shown:
        return shown
    ident = sa_inspect(obj).identity if model is type(obj) else (getattr(obj, "id", None),)
    return f"{label(model)} {ident[0] if ident else ''}".strip()


def title_key(model: type[Base]) -> str:
    """The model's own column that names a record on its own (the first in its title)."""
    for path in title_fields(model.__title__):
        if "." not in path:
            return path
    return "id"


@cache
def title_reads(model: type[Base]) -> frozenset[str]:
    """The tables a model's picker title reads: a change there stales its options."""
    tables = {table_of(model)}
    for path in title_fields(template_of(model, context=True)):
        current: Any = model
        for name in path.split(".")[:-1]:
            current = sa_inspect(current).relationships[name].mapper.class_
            tables.add(table_of(current))
    return frozenset(tables)


def _order(model: type[Base], fields: Sequence[str]) -> list[tuple[str, bool]]:
    """(path, descending) to sort options by."""
    if model.__title_order__:
        return [(p.lstrip("-"), p.startswith("-")) for p in model.__title_order__]
    years = [(p, True) for p in fields if p.rsplit(".", 1)[-1] == "year"]
    return years + [(p, False) for p in fields if (p, True) not in years]


def _options_query(model: type[Base], fields: Sequence[str]) -> tuple[Select[Any], list[str]]:
    """One SELECT of id and every title field, joining the parents a path names."""
    joined: dict[str, Any] = {"": model}
    stmt = select(model.id)
    columns: dict[str, Any] = {}
    for path in fields:
        *rels, attr = path.split(".")
        prefix = ""
        for rel in rels:
            parent = joined[prefix]
            prefix = f"{prefix}.{rel}" if prefix else rel
            if prefix not in joined:
                target = aliased(sa_inspect(parent).mapper.relationships[rel].mapper.class_)
                joined[prefix] = target
                stmt = stmt.outerjoin(getattr(parent, rel).of_type(target))
        columns[path] = getattr(joined[prefix], attr)
    stmt = stmt.add_columns(*columns.values())
    return stmt, list(columns)


def options(session: Session, model: type[Base]) -> list[tuple[int, str]]:
    """(id, title with context) of every record of `model`, in picker order, in one SELECT."""
    template = template_of(model, context=True)
    fields = title_fields(template)
    order = _order(model, fields)
    stmt, paths = _options_query(model, [*fields, *(p for p, _d in order if p not in fields)])
    cols = {p: c for p, c in zip(paths, stmt.selected_columns[1:], strict=True)}
    stmt = stmt.order_by(*(cols[p].desc() if d else cols[p] for p, d in order),
                         stmt.selected_columns[0])
    shown = _row_renderer(template, paths)
    blank = label(model)
    # Core rows on the session's connection: the values are what the ORM would return (the
    # same column types), without its per-row entity processing (30,000 enterprises at 1M:
    # 127 ms through session.execute, 51 through the connection)
    return [(row[0], shown(row) or f"{blank} {row[0]}")
            for row in session.connection().execute(stmt)]


def _row_renderer(template: str, paths: Sequence[str]) -> Callable[[Any], str]:
    """`render(template, ...)` of a row (id, *values of `paths`), one call per row.

    A template that is one field alone ('{name}', every enterprise's title) is that field's
    text with its spaces closed up (`str.split`, as `_filler` closes them up), with no walk
    over the template's parts for each row (91 ms -> 10 for 30,000 names in one run, against
    `render` as it was then, with a regular expression)."""
    parts = _parts(template)
    if len(parts) == 1 and not parts[0][0] and len(parts[0][1]) == 1 \
            and parts[0][1][0][0] == "" and parts[0][1][0][1]:
        at = 1 + list(paths).index(parts[0][1][0][1])

        def one_field(row: Any) -> str:
            value = row[at]
            if isinstance(value, str):
                return " ".join(value.split())
            return " ".join(_text(value).split())
        return one_field

    fill = _filler(template, tuple(paths))
    return lambda row: fill(row[1:])
