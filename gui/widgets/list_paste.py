"""Rows pasted from Excel into a list become new records: one cell per list column, every cell
read as the importer reads a sheet cell, every record checked by the rules, all saved in one
transaction or none (a refused cell is named by its row and column)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import service, tabular
from db.errors import DureError
from db.importer.values import parse
from db.rules import Problem
from gui.widgets.inputs import parse_month

if TYPE_CHECKING:
    from db.models.base import Base

MAX_SHOWN = 15  # messages listed in the refusal box


def _column(model: type[Base], key: str | None) -> tabular.Column:
    return next(c for c in tabular.columns(model) if c.key == key)


def _value(field: Any, text: str, lookups: Any) -> Any:
    """A pasted cell's value for a list field (choices by their shown label too)."""
    text = text.strip()
    if field.kind in ("org", "record") and field.target is not None:
        if not text:
            return None
        for ident, title in lookups.options(field.target):
            if title == text:
                return ident
        raise DureError(f"{field.label} '{text}'을(를) 찾을 수 없습니다. 목록에 있는 이름으로 "
                        "입력하거나 먼저 등록하세요.")
    if field.kind == "choice" and field.choices:
        if not text:
            return None
        labels = {v: k for k, v in (field.labels or {}).items()}
        value = labels.get(text, text)
        if value not in field.choices:
            shown = ", ".join((field.labels or {}).get(c, c) for c in field.choices)
            raise DureError(f"{field.label} '{text}'은(는) 고를 수 있는 값이 아닙니다. "
                            f"고를 수 있는 값: {shown}")
        return value
    if field.kind == "month":  # '2018. 12.' as the list shows it
        return parse_month(text, field.label) if text else None
    return parse(_column(field.model, field.key), text)


def records_from(page: Any, rows: list[list[str]], first_column: int = 0
                 ) -> tuple[list[Any], list[str]]:
    """New objects from pasted rows and the Korean messages of the cells or rules that fail."""
    fields = page.model.fields
    captions = [f.caption for f in fields]
    if rows and [c.strip() for c in rows[0]] == captions[:len(rows[0])]:
        rows, first_column = rows[1:], 0  # the header Ctrl+C writes: columns by position
    objs, problems = [], []
    with page.database.session() as session, session.no_autoflush:
        for n, cells in enumerate(rows, start=1):
            values: dict[str, Any] = {}
            bad: set[str] = set()
            for i, text in enumerate(cells):
                c = first_column + i
                if c >= len(fields):
                    break
                f = fields[c]
                try:
                    values[f.key] = _value(_Bound(f, page.spec.model), text, page.lookups)
                except DureError as exc:
                    problems.append(f"{n}행 '{f.label}': {exc}")
                    bad.add(f.key)
            obj = page.spec.model(**values)
            found: list[Problem] = [p for p in service.check(obj, session)
                                    if p.is_error and p.field not in bad]
            problems += [f"{n}행 '{_label(page, p.field)}': {p.message}" for p in found]
            objs.append(obj)
    return objs, problems


class _Bound:
    """A list field with its model, for reading the column's metadata."""

    def __init__(self, field: Any, model: type[Base]) -> None:
        self._field, self.model = field, model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._field, name)


def _label(page: Any, key: str | None) -> str:
    try:
        return _column(page.spec.model, key).label
    except StopIteration:
        return str(key)


def save_all(page: Any, objs: list[Any]) -> int:
    """Every new record in one transaction (the first as the record, the rest beside it)."""
    if not objs:
        return 0
    first, *rest = objs
    service.save(page.database, first, children=rest)
    return len(objs)


def refusal_text(problems: list[str]) -> str:
    shown = problems[:MAX_SHOWN]
    more = len(problems) - len(shown)
    tail = f"\n… 외 {more}건" if more > 0 else ""
    return ("붙여 넣은 행을 저장하지 않았습니다. 다음 칸을 고친 뒤 다시 붙여 넣으세요.\n\n"
            + "\n".join(shown) + tail)
