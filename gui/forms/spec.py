"""Declarative entity specs: which columns a list shows, how a form is laid out, what children.

Labels, choices, units and required-ness are NOT written here: they come from the model
columns' `info` (db/models/base.py `field(...)`) through `resolve()`. An area module only
says which fields go where and overrides a widget kind or a width when it must.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect

from db import naming, tabular
from gui.widgets.display import text_of

if TYPE_CHECKING:
    from db.models.base import Base

# Widget kinds a field can be edited with (derived from the column, overridable per field).
KINDS = ("text", "multiline", "choice", "date", "month", "time", "money", "int", "float",
         "bool", "org", "record", "id", "brn", "image")
# month: a date meant as a month (2018. 12.); image: stored PNG/JPEG bytes (a video's 썸네일)


@dataclass(frozen=True)
class FieldSpec:
    """Per-field overrides of what the column metadata implies."""

    key: str
    kind: str | None = None  # one of KINDS; None: derived from the column type
    width: int | None = None  # list column width and minimum editor width, in pixels
    fmt: Callable[[Any], str] | None = None  # display format of a value in lists
    read_only: bool = False
    multiline: bool = False
    labels: dict[Any, str] | None = None  # shown text of stored codes (area keys → 기업 …)
    unit: str | None = None  # overrides the column's unit; "" for none (a value of many units)
    month_flag: str | None = None  # a bool column that makes this date a month in its row


@dataclass(frozen=True)
class ChildSpec:
    """Child records edited in place as a sub-table (a relationship with delete-orphan)."""

    relation: str
    columns: tuple[str | FieldSpec, ...]
    # values of a row added by 행 추가: new_row(parent values, existing rows, session) → dict
    new_row: Callable[[dict[str, Any], list[dict[str, Any]], Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class EntitySpec:
    """Everything the desk needs to list, search, filter and edit one entity."""

    model: type[Base]
    columns: tuple[str | FieldSpec, ...]  # list columns, in order
    groups: tuple[tuple[str, tuple[str | FieldSpec, ...]], ...] = ()  # form: (title, fields)
    search: tuple[str, ...] = ()  # default: the text-like list columns
    period: str | None = None  # date or year column for the year / half-year filter
    children: tuple[ChildSpec, ...] = ()
    default_sort: tuple[str, bool] | None = None  # (column, descending)

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)

    @property
    def label(self) -> str:
        return naming.label(self.model)

    def list_fields(self) -> list[Field]:
        return [resolve(self.model, c) for c in self.columns]

    def form_groups(self) -> list[tuple[str, list[Field]]]:
        """Form groups; without groups, every user column except the id in one group."""
        if self.groups:
            return [(title, [resolve(self.model, f) for f in fs]) for title, fs in self.groups]
        keys = [c.key for c in tabular.columns(self.model) if c.kind != "id"]
        return [("", [resolve(self.model, k) for k in keys])]

    def form_fields(self) -> list[Field]:
        return [f for _, fs in self.form_groups() for f in fs]

    def search_keys(self) -> tuple[str, ...]:
        if self.search:
            return self.search
        return tuple(f.key for f in self.list_fields() if f.kind in ("text", "choice", "org",
                                                                      "record", "multiline"))


@dataclass(frozen=True)
class Field:
    """A field resolved against its model: the spec's overrides plus the column's metadata."""

    key: str
    label: str
    kind: str
    required: bool
    choices: tuple[str, ...] | None = None
    unit: str | None = None
    target: type[Base] | None = None  # referenced model of a foreign key
    width: int | None = None
    fmt: Callable[[Any], str] | None = None
    read_only: bool = False
    labels: dict[Any, str] | None = None
    blank_zero: bool = False  # a number whose column defaults to 0: 0 is "not entered"
    month_flag: str | None = None  # a bool column that makes this date a month in its row
    many_units: bool = False  # each row's value in its own item's unit (이월 실적): never summed

    @property
    def caption(self) -> str:
        """Form label: '참석 인원(명)', with the unit where there is one."""
        if not self.unit or self.unit in self.label:  # not '교육 시간(시간)'
            return self.label
        return f"{self.label}({self.unit})"

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "int", "float")


@cache
def _columns(model: type[Base]) -> dict[str, tabular.Column]:
    return {c.key: c for c in tabular.columns(model)}


def resolve(model: type[Base], item: str | FieldSpec) -> Field:
    """The Field for `item` on `model`: kind, label, choices, unit from the column info."""
    spec = item if isinstance(item, FieldSpec) else FieldSpec(item)
    col = _columns(model).get(spec.key)
    if col is None:
        raise KeyError(f"{model.__name__} has no column {spec.key!r}")
    kind = spec.kind
    if kind is None:
        if spec.multiline:
            kind = "multiline"
        elif col.kind == "fk":
            kind = "org" if col.target is not None and col.target.__name__ == "Organization" \
                else "record"
        elif col.choices:
            kind = "choice"
        else:
            kind = col.kind
    mapper_col = sa_inspect(model).columns[spec.key]
    required = not col.nullable and mapper_col.default is None \
        and mapper_col.server_default is None and kind != "bool"
    fmt = spec.fmt
    if fmt is None and spec.labels is not None:
        fmt = partial(_shown_label, spec.labels)
    unit = col.unit if spec.unit is None else (spec.unit or None)
    default = mapper_col.default
    blank_zero = kind in ("int", "float", "money") and not col.nullable \
        and getattr(default, "is_scalar", False) and getattr(default, "arg", None) == 0
    if fmt is None and blank_zero:  # lists show a 0 nobody entered as blank, as forms do
        fmt = partial(_zero_blank, kind, unit)
    month_flag = spec.month_flag
    if month_flag is None and kind == "date" and spec.key == _month_column(model):
        month_flag = "month_only"
    return Field(key=spec.key, label=col.label, kind=kind, required=required,
                 choices=col.choices, unit=unit, target=col.target, width=spec.width, fmt=fmt,
                 read_only=spec.read_only, labels=spec.labels, blank_zero=blank_zero,
                 month_flag=month_flag, many_units=spec.unit == "")


def _month_column(model: type[Base]) -> str | None:
    """The date a row's month_only flag is about: the first date column (일자)."""
    if "month_only" not in _columns(model):
        return None
    return next((c.key for c in tabular.columns(model) if c.kind == "date"), None)


def _zero_blank(kind: str, unit: str | None, value: Any) -> str:
    return "" if value == 0 else text_of(value, kind, unit)


def _shown_label(labels: dict[Any, str], value: Any) -> str:
    return labels.get(value, str(value))


def children_of(model: type[Base], relation: str) -> type[Base]:
    """The child model behind a relationship name."""
    return sa_inspect(model).relationships[relation].mapper.class_


def parent_key(model: type[Base], relation: str) -> str:
    """The child's foreign key column that points back to the parent."""
    rel = sa_inspect(model).relationships[relation]
    return str(next(iter(rel.remote_side)).key)


# The column naming a record in lists of other entities: from the model's __title__.
title_key = naming.title_key
