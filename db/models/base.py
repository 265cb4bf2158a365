"""Declarative base, naming convention and column helpers shared by every area's models."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import BigInteger, CheckConstraint, DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Root of every Dure model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: DateTime(timezone=False)}  # noqa: RUF012 (SQLAlchemy API)

    # Korean name of the entity (for messages, exports and forms); set on each model.
    __label__: ClassVar[str] = ""
    # How a record is named (db/naming.py): a template over its and its parents' fields,
    # what a picker adds to tell two alike apart, and the picker's order ("-year": newest).
    __title__: ClassVar[str] = ""
    __title_context__: ClassVar[str] = ""
    __title_order__: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:
        # Every model but Setting (keyed by text) has IdMixin's integer id; code that lists,
        # imports or trashes records reads `model.id`. For the type checker only.
        id: Mapped[int]


class VersionMixin:
    """A row version that every write checks and bumps (optimistic concurrency).

    SQLAlchemy's `version_id_col` adds `WHERE version = <the version this session read>` to
    each UPDATE and DELETE and raises StaleDataError when another desk wrote in between; the
    write path (db/service.py, db/office/versions.py) turns that into a ConflictError.
    """

    version: Mapped[int] = mapped_column(
        nullable=False, server_default="1", info={"label": "버전", "system": True}
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        table: Any = cls.__table__  # type: ignore[attr-defined]  # a mixin: the model's table
        return {"version_id_col": table.c.version}


class IdMixin(VersionMixin):
    """Integer primary key plus creation/update stamps kept by the database, and a version."""

    id: Mapped[int] = mapped_column(primary_key=True, info={"label": "번호"})
    created_at: Mapped[dt.datetime] = mapped_column(
        server_default=func.current_timestamp(), info={"label": "등록 시각", "system": True}
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        server_default=func.current_timestamp(),
        onupdate=func.current_timestamp(),
        info={"label": "수정 시각", "system": True},
    )


def field(label: str, *args: Any, choices: tuple[str, ...] | None = None,
          unit: str | None = None, nullable: bool | None = None, **kw: Any) -> Any:
    """A mapped column carrying its Korean label (and choices/unit) in `info`.

    The GUI specs, the rules, the importer and the exports read these, so the label of a
    field is written once.
    """
    info: dict[str, Any] = {"label": label}
    if choices is not None:
        info["choices"] = choices
    if unit is not None:
        info["unit"] = unit
    if nullable is not None:
        kw["nullable"] = nullable
    return mapped_column(*args, info=info, **kw)


def money(label: str, *, nullable: bool = False, **kw: Any) -> Any:
    """An amount of money in whole 원 (BIGINT: purchasing amounts pass 2^31 원)."""
    return field(label, BigInteger, unit="원", nullable=nullable, **kw)


def nonneg(*columns: str) -> tuple[CheckConstraint, ...]:
    """CHECK constraints keeping counts, hours and amounts at zero or above."""
    return tuple(CheckConstraint(f"{c} >= 0", name=f"{c}_nonneg") for c in columns)


def ordered(start: str, end: str) -> CheckConstraint:
    """CHECK that an end date/time is not before its start (NULL end allowed)."""
    return CheckConstraint(f"{end} IS NULL OR {end} >= {start}", name=f"{end}_after_{start}")
