"""The rule registry: validators return Korean messages; nothing here raises on bad input."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from ..formats import josa

if TYPE_CHECKING:
    from ..models.base import Base

Severity = Literal["error", "warning"]  # an error refuses the save; a warning only says
ERROR: Final = "error"
WARNING: Final = "warning"

# Upper bounds no clerk reaches; past them exports overflow (SQLite and PostgreSQL keep 64-bit
# BIGINT money, 32-bit INTEGER counts) or a save raises OverflowError before any message.
MAX_MONEY = 10**15  # 1,000조 원
MAX_NUMBER = 10**9  # counts, hours, areas, scores (fits PostgreSQL's 32-bit INTEGER)
MAX_TEXT = 100_000  # characters in one text field (a long memo is a few thousand)
# Lone surrogates cannot be encoded (UnicodeEncodeError on save); PostgreSQL refuses NUL.
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record: the field it is about (None: the whole record)."""

    field: str | None
    message: str
    severity: Severity = ERROR

    def _is_error(self) -> bool:
        return self.severity == ERROR

    is_error = property(_is_error)  # not @property: see `rule` (mutmut skips decorated defs)

    def __str__(self) -> str:
        return self.message


Validator = Callable[[Any, "Session | None"], Iterator[Problem]]
_REGISTRY: dict[type, list[Validator]] = {}
# What each model's rules walk through relationships ('grant.payments'): the bulk check
# (db/rules/rows.py) reads exactly these for every chunk of records.
_READS: dict[type, set[str]] = {}
# A validator that can have nothing to say about some models: applies(model) is False there.
_APPLIES: dict[Validator, Callable[[type], bool]] = {}
_PLANS: dict[type, list[Validator]] = {}


def rule(*models: type[Base], reads: tuple[str, ...] = (),
         applies: Callable[[type], bool] | None = None) -> Callable[[Validator], Validator]:
    """Register a validator for one or more model classes.

    `reads`: the relationship paths the validator walks (for the bulk check). `applies`: a
    test on a model class, False where the validator can never find anything (skipped there).

    The area modules call it as `rule(Model, reads=...)(fn)` in a table at their end, not as a
    decorator: mutmut (bench/mutation.py) does not mutate decorated functions, so a rule body
    under `@rule` would never be tested by the mutation run. The table keeps the order of the
    definitions, which is the order the rules run and their messages come out.
    """

    def deco(fn: Validator) -> Validator:
        for m in models:
            _REGISTRY.setdefault(m, []).append(fn)
            _READS.setdefault(m, set()).update(reads)
        if applies is not None:
            _APPLIES[fn] = applies
        _PLANS.clear()
        return fn

    return deco


def model_of(obj: Any) -> type[Base]:
    """The mapped class of a record: its type, or the model a light row (rules/rows.py) is of."""
    cls = type(obj)
    model: type[Base] = getattr(cls, "__model__", cls)
    return model


def reads_of(model: type[Base]) -> set[str]:
    """Every relationship path the rules of `model` (and of its bases) walk."""
    out: set[str] = set()
    for base in model.__mro__:
        out |= _READS.get(base, set())
    return out


def _plan(model: type[Base]) -> list[Validator]:
    """The validators of `model` in registration order (its own first, then its bases')."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = [fn for base in model.__mro__ for fn in _REGISTRY.get(base, [])
                if fn not in _APPLIES or _APPLIES[fn](model)]
        _PLANS[model] = plan
    return plan


def label_of(model: type[Base], field: str) -> str:
    col = sa_inspect(model).columns.get(field)
    if col is not None and "label" in col.info:
        return str(col.info["label"])
    return field


def validate(obj: Any, session: Session | None = None) -> list[Problem]:
    """Every problem with `obj`: generic column checks, then the model's own rules."""
    problems = list(_generic(obj))
    for fn in _plan(model_of(obj)):
        problems.extend(fn(obj, session))
    return problems


def validate_many(records: list[Any], session: Session | None = None
                  ) -> Iterator[tuple[Any, list[Problem]]]:
    """(record, problems) for each of `records` (all of one model) that has any: `validate`.

    The generic column checks run only on the records `_suspects` cannot clear (it reads the
    chunk column by column); the model's own rules run on every record.
    """
    if not records:
        return
    plan = _plan(model_of(records[0]))
    suspects = _suspects(model_of(records[0]), records)
    for i, obj in enumerate(records):
        problems = list(_generic(obj)) if i in suspects else []
        for fn in plan:
            problems.extend(fn(obj, session))
        if problems:
            yield obj, problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def _generic(obj: Any) -> Iterator[Problem]:
    """Required values, choices, non-negative numbers and whole 원, from the column metadata."""
    for col, name, label, required, choices, unit in _columns(model_of(obj)):
        value = getattr(obj, name, None)
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if required:
                if col.foreign_keys and _has_parent_object(obj, col):
                    continue
                yield Problem(name, f"{josa(label, '을/를')} 입력하세요.")
            continue
        if isinstance(value, str):
            yield from _text_problems(col, name, label, value)
        if choices and value not in choices:
            yield Problem(name,
                          f"{josa(label, '은/는')} 다음 중 하나여야 합니다: {', '.join(choices)}")
        if isinstance(value, bool):
            continue
        if unit == "원":
            if not isinstance(value, int):
                yield Problem(name,
                              f"{josa(label, '은/는')} 원 단위 정수로 입력하세요 (소수·문자 불가).")
            elif value < 0:
                yield Problem(name, f"{josa(label, '은/는')} 0원 이상이어야 합니다.")
            elif value > MAX_MONEY:
                yield Problem(name, f"{josa(label, '이/가')} 너무 큽니다. "
                                    f"{MAX_MONEY:,}원(1,000조 원)까지 입력할 수 있습니다. "
                                    "단위(원·만원)와 자릿수를 확인하세요.")
        elif isinstance(value, (int, float)) and not col.foreign_keys:
            yield from _number_problems(name, label, unit, value)


_COLUMNS: dict[type, list[tuple[Any, str, str, bool, Any, str | None]]] = {}


def _columns(model: type[Base]) -> list[tuple[Any, str, str, bool, Any, str | None]]:
    """(column, key, label, required, choices, unit) of the columns `_generic` checks."""
    cols = _COLUMNS.get(model)
    if cols is None:
        cols = []
        for col in sa_inspect(model).columns:
            info = col.info
            if info.get("system") or col.primary_key:
                continue
            required = not col.nullable and col.default is None and col.server_default is None
            cols.append((col, col.key, info.get("label", col.key), required,
                         info.get("choices"), info.get("unit")))
        _COLUMNS[model] = cols
    return cols


_NONE = type(None)
_PLAIN = frozenset({_NONE, str, bool, int, float})
_TEXT = frozenset({_NONE, str})
_INT = frozenset({int})


def _suspects(model: type, records: list[Any]) -> set[int]:
    """Indexes of the records `_generic` may find something in; the others it clears.

    A sieve, never a second copy of the checks: it may keep a record `_generic` then finds
    clean, never drop one it would not. Per column it looks at all values at once (types,
    min/max, one regular-expression search over the joined text) and only where something
    might be wrong does it pick out the records.
    """
    out: set[int] = set()
    for col, name, _label, required, choices, unit in _columns(model):
        values = list(map(attrgetter(name), records))  # a column at a time: no row tuples
        types = set(map(type, values))
        for other in types - _PLAIN:  # dates, times: only a 원 column or choices can object
            if unit == "원" or issubclass(other, (str, int, float)):
                out.update(i for i, v in enumerate(values) if type(v) is other)
        if required and _NONE in types:
            out.update(i for i, v in enumerate(values) if v is None)
        if choices:
            allowed = set(choices)
            out.update(i for i, v in enumerate(values) if v is not None and v not in allowed)
        if str in types:
            texts = values if types <= _TEXT else [v for v in values if type(v) is str]
            texts = [v for v in texts if v is not None] if _NONE in types else texts
            if unit == "원" or (required and "" in map(str.strip, texts)) \
                    or _BAD_CHARS.search("".join(texts)) \
                    or (max_length(col) == MAX_TEXT and max(map(len, texts)) > MAX_TEXT):
                out.update(i for i, v in enumerate(values) if type(v) is str)
        if float in types and (unit == "원" or not col.foreign_keys):
            out.update(i for i, v in enumerate(values) if type(v) is float and (
                unit == "원" or not math.isfinite(v) or (unit and v < 0) or abs(v) > MAX_NUMBER))
        if int in types and (unit == "원" or not col.foreign_keys):
            low, high = (0, MAX_MONEY) if unit == "원" else (0 if unit else -MAX_NUMBER, MAX_NUMBER)
            ints = values if types == _INT else [v for v in values if type(v) is int]
            if min(ints) < low or max(ints) > high:
                out.update(i for i, v in enumerate(values)
                           if type(v) is int and not low <= v <= high)
    return out


def _number_problems(name: str, label: str, unit: str | None,
                     value: float) -> Iterator[Problem]:
    if isinstance(value, float) and not math.isfinite(value):
        yield Problem(name,
                      f"{label}에 숫자가 아닌 값(무한대 등)이 들어 있습니다. 숫자를 입력하세요.")
    elif unit and value < 0:
        yield Problem(name, f"{josa(label, '은/는')} 0 이상이어야 합니다.")
    elif abs(value) > MAX_NUMBER:
        yield Problem(name, f"{josa(label, '이/가')} 너무 큽니다. {MAX_NUMBER:,}{unit or ''}까지 "
                            "입력할 수 있습니다. 자릿수를 확인하세요.")


def bad_characters(text: str) -> list[str]:
    """Characters a field cannot store, as 'U+0000' codes (NUL, lone surrogates)."""
    if text.isascii() and "\x00" not in text:  # no surrogate; CPython knows ASCII unread
        return []
    return sorted({f"U+{ord(ch):04X}" for ch in _BAD_CHARS.findall(text)})


def max_length(col: Any) -> int:
    """The characters a text column holds: its declared length, else MAX_TEXT."""
    return min(getattr(col.type, "length", None) or MAX_TEXT, MAX_TEXT)


def _text_problems(col: Any, name: str, label: str, value: str) -> Iterator[Problem]:
    bad = bad_characters(value)
    if bad:
        yield Problem(name, f"{label}에 저장할 수 없는 문자({', '.join(bad[:3])})가 있습니다. "
                            "다른 프로그램에서 붙여 넣은 글자가 깨졌을 수 있습니다. "
                            "그 글자를 지우고 다시 입력하세요.")
    limit = max_length(col)
    if len(value) > limit and limit == MAX_TEXT:  # a declared length has its own rule (BRN)
        yield Problem(name, f"{josa(label, '이/가')} 너무 깁니다({len(value):,}자). "
                            f"{limit:,}자까지 입력할 수 있습니다. 긴 내용은 파일로 따로 "
                            "보관하세요.")


def _has_parent_object(obj: Any, col: Any) -> bool:
    """A child built in memory may have its parent object set before the id exists."""
    for rel in sa_inspect(model_of(obj)).relationships:
        if col in rel.local_columns and getattr(obj, rel.key, None) is not None:
            return True
    return False
