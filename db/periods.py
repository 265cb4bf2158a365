"""Report periods: a year (2021), a half-year (2021H1/2021H2) or an "as of" date (2021-11-16)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .errors import DureError

PeriodKind = Literal["year", "half", "asof", "range"]


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range [start, end] with the way the user wrote it."""

    start: dt.date
    end: dt.date
    kind: PeriodKind

    def _year(self) -> int:
        return self.start.year

    year = property(_year)  # not @property: mutmut skips decorated defs

    def _half(self) -> int | None:
        if self.kind != "half":
            return None
        return 1 if self.start.month == 1 else 2

    half = property(_half)

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def _key(self) -> str:
        """The way a user writes it on the command line."""
        if self.kind == "year":
            return str(self.year)
        if self.kind == "half":
            return f"{self.year}H{self.half}"
        if self.kind == "asof":
            return self.end.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    key = property(_key)

    def _label(self) -> str:
        """Korean label as the report writes it."""
        if self.kind == "year":
            return f"{self.year}년"
        if self.kind == "half":
            return f"{self.year}년 {'상' if self.half == 1 else '하'}반기"
        if self.kind == "asof":
            e = self.end
            return f"{e.year}. {e.month}. {e.day}. 기준"
        return f"{self.start:%Y.%m.%d}~{self.end:%Y.%m.%d}"

    label = property(_label)

    def _column_label(self) -> str:
        """Column heading of the yearly tables: 2020년, or 2021년 6월 for a part year."""
        if self.kind == "year":
            return f"{self.year}년"
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return f"{self.year}년"
        return f"{self.end.year}년 {self.end.month}월"

    column_label = property(_column_label)

    @classmethod
    def year_of(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def half_of(cls, year: int, half: int) -> Period:
        if half == 1:
            return cls(dt.date(year, 1, 1), dt.date(year, 6, 30), "half")
        return cls(dt.date(year, 7, 1), dt.date(year, 12, 31), "half")

    @classmethod
    def as_of(cls, day: dt.date) -> Period:
        """From 1 January of that year up to and including `day` (running totals)."""
        return cls(dt.date(day.year, 1, 1), day, "asof")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse 2021, 2021H1, 2021h2, 2021-11-16 (or 2021.11.16); Korean message otherwise."""
        t = text.strip()
        if m := re.fullmatch(r"(\d{4})", t):
            return cls.year_of(_year(int(m[1]), text))
        if m := re.fullmatch(r"(\d{4})\s*[Hh]\s*([12])", t):
            return cls.half_of(_year(int(m[1]), text), int(m[2]))
        if m := re.fullmatch(r"(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})\.?", t):
            try:
                return cls.as_of(dt.date(_year(int(m[1]), text), int(m[2]), int(m[3])))
            except ValueError:
                pass
        raise DureError(
            f"기간 '{text}'을(를) 이해할 수 없습니다. 연도(2021), 반기(2021H1, 2021H2), "
            "기준일(2021-11-16) 중 하나로 쓰세요."
        )


def _year(y: int, text: str) -> int:
    if not 1990 <= y <= 2100:
        raise DureError(f"기간 '{text}'의 연도가 범위(1990~2100)를 벗어났습니다.")
    return y


def span(first: Period, last: Period) -> list[Period]:
    """Yearly columns from `first` to `last`: whole years, the last one cut at its end.

    span(2018, 2021H1) gives 2018, 2019, 2020 and 2021 up to 30 June (the seed's '2021년 6월').
    """
    if last.end < first.start:
        raise DureError("끝 기간이 시작 기간보다 앞섭니다. 순서를 바꿔 쓰세요.")
    out = []
    for y in range(first.start.year, last.end.year + 1):
        p = Period.year_of(y)
        if y == last.end.year and last.end < p.end:
            p = Period(p.start, last.end, "asof" if last.kind == "asof" else "range")
        out.append(p)
    return out
