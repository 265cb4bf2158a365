"""Cell values to field values, with the same parsers as the forms (db.formats) and Korean
reasons."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import formats
from ..errors import DureError
from ..models import Organization
from ..rules.organization import ascii_digits, normalize_name
from ..tabular import Column

if TYPE_CHECKING:
    from ..models.base import Base

EARLIEST = dt.date(1950, 1, 1)  # a date column reading before this is a number, not a date
LATEST = dt.date(2100, 12, 31)
_TRUE = {"예", "y", "yes", "true", "참", "o", "1", "v", "✓", "○"}
_FALSE = {"아니오", "아니요", "n", "no", "false", "거짓", "x", "0", "", "-"}


def shown(value: Any) -> str:
    """A cell value as the clerk saw it in Excel, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    return str(value)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a BRN or phone typed as a number
    if isinstance(value, dt.datetime):
        return shown(value)
    return str(value)


def _date(value: Any, label: str) -> dt.date | None:
    if isinstance(value, str):
        value = value.strip()
    day = formats.parse_excel_date(value, label)
    if day is not None and not EARLIEST <= day <= LATEST:
        raise DureError(f"'{shown(value)}'은(는) {label}로 보기 어렵습니다({day.isoformat()}). "
                        "날짜 칸에 날짜를 입력하세요.")
    return day


def _time(value: Any, label: str) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value < 1:  # Excel keeps a time of day as a fraction of a day
            minutes = round(value * 24 * 60)
            return dt.time(minutes // 60, minutes % 60)
        raise DureError(f"{label} '{shown(value)}'을(를) 시각으로 볼 수 없습니다. "
                        "15:00처럼 입력하세요.")
    return formats.parse_time(str(value), label)


def _bool(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DureError(f"{label} '{shown(value)}'은(는) 예/아니오로 입력하세요.")


def parse(col: Column, value: Any) -> Any:
    """The field value of one cell; raises DureError with a Korean reason when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False if col.kind == "bool" else None
    if isinstance(value, float) and not math.isfinite(value):  # <v>1e400</v> reads as inf
        raise DureError(f"{col.label} 칸의 값이 너무 커서 숫자로 볼 수 없습니다. "
                        "자릿수를 확인하세요.")
    try:
        return _parse(col, value)
    except (OverflowError, ArithmeticError) as exc:  # decimal.InvalidOperation is one
        raise DureError(f"{col.label} '{shown(value)[:40]}'을(를) 숫자로 볼 수 없습니다(너무 큰 "
                        "값). 자릿수를 확인하세요.") from exc


def _parse(col: Column, value: Any) -> Any:
    label = col.label
    if col.kind == "text":
        return col.stored(_text(value))  # a code shown by its label comes back as the code
    if col.kind == "money":
        return formats.parse_money(value.strip() if isinstance(value, str) else value, label)
    if col.kind in ("int", "id"):
        return formats.parse_int(value, label, unit=col.unit)
    if col.kind == "float":
        return formats.parse_float(value, label, unit=col.unit)
    if col.kind == "date":
        return _date(value, label)
    if col.kind == "time":
        return _time(value, label)
    if col.kind == "bool":
        return _bool(value, label)
    return value  # fk: resolved by References


class NewOrganization:
    """A reference to an enterprise that is a new row of the same import (no id yet)."""

    def __init__(self, row: Any, sheet: str) -> None:
        self.row, self.sheet = row, sheet  # the RowResult of the '기업 목록' row

    def __str__(self) -> str:
        return f"새 기업 '{self.row.values.get('name')}'({self.sheet} {self.row.row}행)"


class Pending:
    """New enterprises of the import so far, by reduced name and by BRN."""

    def __init__(self) -> None:
        self.by_name: dict[str, NewOrganization] = {}
        self.by_brn: dict[str, NewOrganization] = {}

    def add(self, row: Any, sheet: str) -> None:
        ref = NewOrganization(row, sheet)
        self.by_name.setdefault(normalize_name(row.values.get("name")), ref)
        if row.values.get("brn"):
            self.by_brn.setdefault(row.values["brn"], ref)


class References:
    """Foreign-key cells to ids: organizations by number, name or BRN; others by number.

    An enterprise that is a new row of the same import resolves to a NewOrganization, which
    the commit turns into the id once that row is written.
    """

    def __init__(self, session: Session, pending: Pending | None = None) -> None:
        self.session = session
        self.pending = pending or Pending()
        self._ids: dict[str, set[int]] = {}
        self._orgs: tuple[dict[str, list[int]], dict[str, int]] | None = None

    def _known(self, target: type[Base]) -> set[int]:
        name = target.__tablename__
        if name not in self._ids:
            self._ids[name] = set(self.session.scalars(select(target.id)))
        return self._ids[name]

    def _org_index(self) -> tuple[dict[str, list[int]], dict[str, int]]:
        if self._orgs is None:
            by_name: dict[str, list[int]] = {}
            by_brn: dict[str, int] = {}
            for ident, name, brn in self.session.execute(
                    select(Organization.id, Organization.name, Organization.brn)):
                by_name.setdefault(normalize_name(name), []).append(ident)
                if brn:
                    by_brn[brn] = ident
            self._orgs = (by_name, by_brn)
        return self._orgs

    def resolve(self, col: Column, value: Any) -> int | NewOrganization | None:
        """The referenced id, or DureError saying why the cell names no existing record."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        target = col.target
        what = getattr(target, "__label__", col.label) if target is not None else col.label
        text = shown(value).strip()
        digits = re.sub(r"[\s\-]", "", ascii_digits(text))
        if target is Organization and re.fullmatch(r"[0-9]{10}", digits):
            by_brn = self._org_index()[1]
            if digits in by_brn:
                return by_brn[digits]
            if digits in self.pending.by_brn:
                return self.pending.by_brn[digits]
            raise DureError(f"사업자등록번호 {text}인 기업이 없습니다. 먼저 기업 목록에 "
                            "등록하세요.")
        if re.fullmatch(r"[0-9]{1,18}", digits):
            ident = int(digits)
            if target is not None and ident not in self._known(target):
                raise DureError(f"번호 {ident}인 {what}이(가) 없습니다. 번호를 확인하세요.")
            return ident
        if target is Organization:
            found = self._org_index()[0].get(normalize_name(text), [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise DureError(f"이름이 '{text}'인 기업이 {len(found)}곳입니다. "
                                "번호나 사업자등록번호로 지정하세요.")
            if normalize_name(text) in self.pending.by_name:
                return self.pending.by_name[normalize_name(text)]
            raise DureError(f"기업 '{text}'을(를) 찾을 수 없습니다. 먼저 기업 목록에 등록하거나 "
                            "이름을 확인하세요.")
        raise DureError(f"{col.label} 칸에는 {what}의 번호를 넣으세요('{text}'은(는) "
                        "번호가 아닙니다).")
