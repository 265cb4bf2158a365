"""Entities as flat tables: the columns of Excel data sheets and of the importer.

The workbook's data sheets and `main.py import` use these, so an exported sheet edited in
Excel comes back as the same records (a round trip).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, LargeBinary, Time
from sqlalchemy import inspect as sa_inspect

from . import registry
from .models import Base, load_area_models
from .models.choices import AREA_LABELS, AREAS
from .naming import label, model_for_table, table_of

# Choice columns that store a code: the label a sheet shows for each code.
CHOICE_LABELS: dict[tuple[str, ...], dict[str, str]] = {AREAS: AREA_LABELS}

load_area_models()
# Every entity with a data sheet, in the order of the report (parents before children).
ENTITIES: tuple[type[Base], ...] = tuple(model_for_table(t) for t in registry.data_tables())


# image: stored bytes (a video's 썸네일); a sheet shows whether one is stored, import skips it
ColumnKind = Literal["id", "int", "money", "float", "date", "time", "bool", "text", "fk", "image"]


@dataclass(frozen=True)
class Column:
    """One field as a spreadsheet column."""

    key: str
    label: str
    kind: ColumnKind
    nullable: bool
    choices: tuple[str, ...] | None = None
    unit: str | None = None
    target: type[Base] | None = None  # the referenced model of a foreign key
    # stored code → the Korean label a sheet shows (not part of equality or hashing)
    labels: dict[str, str] | None = field(default=None, compare=False, hash=False)

    def shown(self, value: Any) -> Any:
        """What a sheet shows for a stored value (the label of a code)."""
        return self.labels.get(value, value) if self.labels and value is not None else value

    def stored(self, value: Any) -> Any:
        """The stored value for what a sheet shows (a label back to its code)."""
        if self.labels and isinstance(value, str):
            for code, label in self.labels.items():
                if value.strip() in (label, code):
                    return code
        return value


def columns(model: type[Base]) -> list[Column]:
    """The model's user-facing columns: id first, system stamps left out."""
    out = []
    mapper: Any = sa_inspect(model)
    by_table = {table_of(e): e for e in ENTITIES}
    for col in mapper.columns:
        info = col.info
        if info.get("system"):
            continue
        target = None
        kind: ColumnKind
        if col.primary_key:
            kind = "id"
        elif col.foreign_keys:
            kind = "fk"
            target = by_table.get(next(iter(col.foreign_keys)).column.table.name)
        elif info.get("unit") == "원":
            kind = "money"
        elif isinstance(col.type, Boolean):
            kind = "bool"
        elif isinstance(col.type, (Integer, BigInteger)):
            kind = "int"
        elif isinstance(col.type, Float):
            kind = "float"
        elif isinstance(col.type, DateTime):
            kind = "text"
        elif isinstance(col.type, Date):
            kind = "date"
        elif isinstance(col.type, Time):
            kind = "time"
        elif isinstance(col.type, LargeBinary):
            kind = "image"
        else:
            kind = "text"
        choices = info.get("choices")
        out.append(Column(
            key=col.key, label=info.get("label", col.key), kind=kind, nullable=bool(col.nullable),
            choices=choices, unit=info.get("unit"), target=target,
            labels=CHOICE_LABELS.get(choices),
        ))
    out.sort(key=lambda c: c.kind != "id")  # the id leads, so a row is matched on re-import
    return out


def sheet_name(model: type[Base]) -> str:
    """Excel sheet name for an entity's data sheet (≤ 31 characters, no []:*?/\\)."""
    name = f"{label(model)} 목록"
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31]


def model_for_sheet(name: str) -> type[Base] | None:
    """The entity whose data sheet is called `name`, if any."""
    for model in ENTITIES:
        if sheet_name(model) == name.strip():
            return model
    return None


def value_of(obj: Any, col: Column) -> Any:
    """The plain value of a column for a record (dates stay dates)."""
    value = getattr(obj, col.key)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value
