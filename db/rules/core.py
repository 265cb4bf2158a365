"""The rule registry: validators return Korean messages; nothing here raises on bad input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record: the field it is about (None: the whole record)."""

    field: str | None
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        return self.message


Validator = Callable[[Any, "Session | None"], Iterator[Problem]]
_REGISTRY: dict[type, list[Validator]] = {}


def rule(*models: type) -> Callable[[Validator], Validator]:
    """Register a validator for one or more model classes."""

    def deco(fn: Validator) -> Validator:
        for m in models:
            _REGISTRY.setdefault(m, []).append(fn)
        return fn

    return deco


def label_of(model: type, field: str) -> str:
    col = sa_inspect(model).columns.get(field)
    if col is not None and "label" in col.info:
        return col.info["label"]
    return field


def validate(obj: Any, session: Session | None = None) -> list[Problem]:
    """Every problem with `obj`: generic column checks, then the model's own rules."""
    problems = list(_generic(obj))
    for model in type(obj).__mro__:
        for fn in _REGISTRY.get(model, []):
            problems.extend(fn(obj, session))
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def _generic(obj: Any) -> Iterator[Problem]:
    """Required values, choices, non-negative numbers and whole 원, from the column metadata."""
    mapper = sa_inspect(type(obj))
    for col in mapper.columns:
        info = col.info
        if info.get("system") or col.primary_key:
            continue
        name = col.key
        value = getattr(obj, name, None)
        label = info.get("label", name)
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if not col.nullable and col.default is None and col.server_default is None:
                if col.foreign_keys and _has_parent_object(obj, col):
                    continue
                yield Problem(name, f"{label}을(를) 입력하세요.")
            continue
        choices = info.get("choices")
        if choices and value not in choices:
            yield Problem(name, f"{label}은(는) 다음 중 하나여야 합니다: {', '.join(choices)}")
        unit = info.get("unit")
        if isinstance(value, bool):
            continue
        if unit == "원":
            if not isinstance(value, int):
                yield Problem(name, f"{label}은(는) 원 단위 정수로 입력하세요 (소수·문자 불가).")
            elif value < 0:
                yield Problem(name, f"{label}은(는) 0원 이상이어야 합니다.")
        elif unit and isinstance(value, (int, float)) and value < 0:
            yield Problem(name, f"{label}은(는) 0 이상이어야 합니다.")


def _has_parent_object(obj: Any, col: Any) -> bool:
    """A child built in memory may have its parent object set before the id exists."""
    for rel in sa_inspect(type(obj)).relationships:
        if col in rel.local_columns and getattr(obj, rel.key, None) is not None:
            return True
    return False
