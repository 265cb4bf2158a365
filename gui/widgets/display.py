"""How values look in lists and editors (dates 2021.07.09, money 8,000,000, areas 2 decimals)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import formats
from db.formats import brn_text
from db.images import shown


def date_text(d: dt.date) -> str:
    """Fixed-width dates line up in a column and still parse back: 2021.07.09."""
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


def datetime_text(t: dt.datetime) -> str:
    """A moment to the minute, its date as a list writes it: 2021.07.09 15:00."""
    return f"{date_text(t)} {t:%H:%M}"


def month_text(d: dt.date) -> str:
    """A value meant as a month, as the roster writes it: 2018. 12."""
    return formats.year_month(d)


def float_text(value: float, unit: str | None) -> str:
    """㎡ with two decimals (the roster's form); other measures without trailing zeros."""
    if unit == "㎡":
        return f"{value:,.2f}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def text_of(value: Any, kind: str, unit: str | None = None) -> str:
    """The display text of a native value for a field kind."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return formats.won(int(value))
    if kind == "date":
        return date_text(value) if isinstance(value, dt.date) else str(value)
    if kind == "month":
        return month_text(value) if isinstance(value, dt.date) else str(value)
    if kind == "time":
        return value.strftime("%H:%M") if isinstance(value, dt.time) else str(value)
    if kind == "float":
        return float_text(float(value), unit)
    if kind == "int":
        # counts carry a unit (명, 회) and get separators; years and orders do not (2021)
        return f"{int(value):,}" if unit else str(value)
    if kind == "bool":
        return "예" if value else ""  # a column of 아니오 hides the few 예
    if kind == "brn":
        return brn_text(str(value))
    if kind == "image":
        return shown(bytes(value))
    if kind == "multiline":
        return " ".join(str(value).split())  # one line in a list cell
    return str(value)


def field_text(field: Any, value: Any) -> str:
    """What a form or list shows for a field's value: a 0 nobody entered (a column whose
    default is 0) is blank, a coded choice its label, a month 2018. 12."""
    if value is None or (field.blank_zero and value == 0):
        return ""
    if field.labels and value in field.labels:
        return field.labels[value]
    kind = "text" if field.kind in ("org", "record", "choice") else field.kind
    return text_of(value, kind, field.unit)


# Column widths by field kind (pixels); a header wider than this widens its column.
KIND_WIDTH = {"brn": 110, "date": 96, "month": 80, "time": 64, "money": 112, "int": 72, "float": 84,
              "choice": 110,
              "bool": 60, "org": 210, "record": 190, "text": 170, "multiline": 260, "id": 60}
# Editors of short values stay short in the form (a date field need not span the group).
EDITOR_MAX_WIDTH = {"brn": 170, "date": 140, "month": 140, "time": 90, "money": 170, "int": 120,
                    "float": 120, "org": 420, "record": 320, "choice": 260}


def column_width(field: Any, metrics: Any) -> int:
    """A list column's width: the spec's, else the kind's, never narrower than its header."""
    base = field.width or KIND_WIDTH.get(field.kind, 140)
    if field.choices and not field.width:  # the longest choice fits, within reason
        base = min(max(metrics.horizontalAdvance(c) for c in field.choices) + 40, 220)  # + arrow
    # room for the header's margins and the sort arrow beside the caption
    return max(base, metrics.horizontalAdvance(field.caption + " *") + 36)


def fit_header(header: Any, fields: list, stretch_text_last: bool = True) -> None:
    """Size each section; stretch the last one only when it holds text (not a lone number)."""
    metrics = header.fontMetrics()
    for i, f in enumerate(fields):
        header.resizeSection(i, column_width(f, metrics))
    last = fields[-1] if fields else None
    header.setStretchLastSection(bool(stretch_text_last and last is not None
                                      and last.kind in ("text", "multiline", "org", "record")))
