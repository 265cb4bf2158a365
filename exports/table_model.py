"""The table layer both renderers draw: cells with spans and kinds, and report tables.

A row is a list as long as the table is wide; a position covered by another cell's
colspan/rowspan holds None. Cells carry raw values (원, counts) and a kind; how a kind is
shown lives here once (`cell_text`, `cell_number`, `number_format`) so the PDF and the
workbook cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from db import formats as f

CARRIED_MARK = "※"
CARRIED_COMMENT = "이월 실적(총계로만 관리된 값)"
NUMERIC_KINDS = ("count", "thousand", "million", "million0", "int", "float", "percent")
PAIR_LABELS = ("확보", "집행")  # the sub-columns of an 'a (b)' pair in a spreadsheet


@dataclass(frozen=True)
class Cell:
    """One cell: a raw value and how to show it.

    kind: text | head (header or row label) | count (int + unit suffix) | int | float |
    thousand (원 shown in 천원) | million (원 shown in 백만원, one decimal where needed) |
    million0 (원 shown in whole 백만원) | pair (two 원 amounts
    "625 (577)" in 백만원) | area (㎡) | percent (a number of % shown to two decimals,
    4.5 → '4.5%') | rents (((contract year, 원), ...) shown as 'N년차 : X천원' lines) |
    image (PNG/JPEG bytes, db/images.py: drawn scaled into the cell; no text).
    `note` is a last line of text after the value (a rent cell's '공간 반납').

    A spreadsheet keeps figures computable: exports.table_model.explode turns pair and
    rents columns into one numeric column per part; text renderers print cell_text.
    """

    value: Any = None
    kind: str = "text"
    unit: str = ""
    colspan: int = 1
    rowspan: int = 1
    carried: bool = False
    highlight: bool = False
    bold: bool = False
    align: str | None = None  # left | center | right; default from the kind
    note: str = ""


Row = list[Cell | None]


@dataclass
class ReportTable:
    """A report table as the seed prints it, drawn by exports.xlsx and exports.pdf."""

    title: str
    sheet_name: str
    header_rows: list[Row]
    body: list[Row]
    widths: list[float]  # column widths in Excel character units (the PDF scales them)
    unit_line: str | None = None
    totals: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    landscape: bool = False
    legend: str | None = None  # explains highlighted rows (※ 만료 예정)
    intro: list[str] = field(default_factory=list)  # lines between title and table (임대료 …)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def rows(self) -> list[Row]:
        """Header, body and total rows in drawing order."""
        return [*self.header_rows, *self.body, *self.totals]

    @property
    def has_carried(self) -> bool:
        return any(c is not None and c.carried for r in self.rows for c in r)


def spread(*cells: Cell) -> Row:
    """A row from cells, with None placed where a colspan covers the next columns."""
    out: Row = []
    for c in cells:
        out.append(c)
        out.extend([None] * (c.colspan - 1))
    return out


def head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    """A header (or row-label) cell."""
    return Cell(text, "head", colspan=colspan, rowspan=rowspan)


def _num(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def cell_text(cell: Cell | None) -> str:
    """The cell as printed (the PDF draws this; the workbook writes it for text kinds)."""
    if cell is None:
        return ""
    if cell.value is None or cell.kind == "image":
        return cell.note
    v, k = cell.value, cell.kind
    if k == "count":
        text = f.count(int(v), cell.unit)
    elif k == "thousand":
        text = f.thousand_won(int(v)) + cell.unit
    elif k == "million":
        text = f.million_won(int(v)) + cell.unit
    elif k == "million0":
        text = f"{whole_million(int(v)):,}" + cell.unit
    elif k == "pair":
        a, b = v
        text = f.million_won(a) if b is None else f"{f.million_won(a)} ({f.million_won(b)})"
    elif k == "area":
        text = f.area(float(v))
    elif k == "percent":
        text = f.percent(float(v), 2)
    elif k == "rents":
        text = "\n".join(f"{year}년차 : {f.thousand_won(int(won))}천원" for year, won in v)
    elif k in ("int", "float"):
        text = _num(v) + cell.unit
    elif isinstance(v, dt.date):
        text = f.dotted(v)
    else:
        text = str(v)
    if cell.note:
        text = f"{text}\n{cell.note}" if text else cell.note
    return text + CARRIED_MARK if cell.carried else text


def whole_million(n: int) -> int:
    """원 → whole 백만원, half up (the finance tables print 284, not 283.9)."""
    q = (abs(n) * 2 + 1_000_000) // 2_000_000
    return -q if n < 0 else q


def cell_number(cell: Cell) -> int | float | None:
    """The number an Excel cell holds for numeric kinds (in the table's unit), else None."""
    if cell.value is None or cell.kind not in NUMERIC_KINDS:
        return None
    if cell.kind == "thousand":
        return int(f.thousand_won(int(cell.value)).replace(",", ""))
    if cell.kind == "million":
        text = f.million_won(int(cell.value)).replace(",", "")
        return float(text) if "." in text else int(text)
    if cell.kind == "million0":
        return whole_million(int(cell.value))
    if cell.kind == "percent":
        return round(float(cell.value), 2)
    return cell.value


def number_format(cell: Cell) -> str:
    """Excel number format: #,##0 (one decimal where needed), unit and ※ as literal text."""
    n = cell_number(cell)
    if cell.kind == "percent":
        return '0.00"%"'
    base = "#,##0.0" if isinstance(n, float) and not float(n).is_integer() else "#,##0"
    if cell.kind == "float" and isinstance(n, float):
        base = "#,##0.00" if round(n, 1) != n else base
    suffix = cell.unit + (CARRIED_MARK if cell.carried else "")
    return f'{base}"{suffix}"' if suffix else base


def alignment(cell: Cell) -> str:
    """Horizontal alignment: numbers right, headers centred, text left."""
    if cell.align:
        return cell.align
    if cell.kind in (*NUMERIC_KINDS, "pair", "area", "rents"):
        return "right" if cell.kind != "rents" else "left"
    if cell.kind == "head":
        return "center"
    return "left"


# --- spreadsheets: figures stay numbers -----------------------------------------------

def _parts_of(table: ReportTable, c: int) -> list[str] | None:
    """The sub-column labels a pair/rents column becomes in a spreadsheet (None: stays one)."""
    kinds = {cell.kind for row in table.rows for cell in [row[c]]
             if cell is not None and cell.colspan == 1}
    if "pair" in kinds:
        return list(PAIR_LABELS)
    if "rents" in kinds:
        years = max((y for row in table.body for cell in [row[c]]
                     if cell is not None and cell.kind == "rents" for y, _w in cell.value or ()),
                    default=1)
        notes = any((cell := row[c]) is not None and cell.note for row in table.body)
        return [f"{y}년차" for y in range(1, years + 1)] + (["비고"] if notes else [])
    return None


def _exploded(cell: Cell, n: int) -> list[Cell]:
    """A pair or rents cell as n cells (numbers in their unit, the note last)."""
    if cell.kind == "pair" and cell.value is not None:
        a, b = cell.value
        return [Cell(a, "million", bold=cell.bold, highlight=cell.highlight),
                Cell(b, "million", bold=cell.bold, highlight=cell.highlight)]
    if cell.kind == "rents":
        by_year = dict(cell.value or ())
        out = [Cell(by_year.get(y), "thousand", "천원", highlight=cell.highlight)
               for y in range(1, n + 1)]
        if cell.note and out:
            out[-1] = Cell(cell.note, highlight=cell.highlight)
        return out[:n]
    return [Cell(None, bold=cell.bold, highlight=cell.highlight) for _ in range(n)]


def explode(table: ReportTable) -> ReportTable:
    """For spreadsheets: a column of 'a (b)' pairs becomes 확보 and 집행 number columns, a
    rent column one 천원 column per contract year; a header row names the parts.

    The PDF and HWPX print the table as the seed does; a clerk computes with these."""
    splits = [_parts_of(table, c) for c in range(table.ncols)]
    if not any(splits):
        return table
    sizes = [len(p) if p else 1 for p in splits]
    nh = len(table.header_rows)

    def remap(row: Row, r: int, header: bool) -> Row:
        out: Row = []
        for c, cell in enumerate(row):
            if cell is None:
                out += [None] * sizes[c]
                continue
            span = sum(sizes[c:c + cell.colspan])
            if not header and splits[c] and cell.colspan == 1:
                out += _exploded(cell, sizes[c])
                continue
            grow = header and r + cell.rowspan == nh and not any(splits[c:c + cell.colspan])
            out.append(replace(cell, colspan=span, rowspan=cell.rowspan + grow))
            out += [None] * (span - 1)
        return out

    headers = [remap(row, r, True) for r, row in enumerate(table.header_rows)]
    sub: Row = []
    for _c, p in enumerate(splits):
        sub += [head(label) for label in p] if p else [None]
    widths: list[float] = []
    for w, p in zip(table.widths, splits, strict=True):
        widths += [max(9.0, w * 0.6)] * len(p) if p else [w]
    return replace(table, header_rows=[*headers, sub],
                   body=[remap(row, 0, False) for row in table.body],
                   totals=[remap(row, 0, False) for row in table.totals], widths=widths)


# --- layout helpers shared by the renderers (PDF, HWPX): widths and word wrapping ---

Measure = Callable[[str, bool], float]  # (text, bold) -> width in the renderer's unit
UNBROKEN_KINDS = (*NUMERIC_KINDS, "pair", "area", "image")  # one unit, never wrapped


# a part of a date: '2018.', '12.', '9.(목)', "'22.3."
_DATE_PART = re.compile(r"'?\d{1,4}\.(?:\d{1,2}\.)*(?:\([가-힣]\))?")
_DATE_TAIL = ("예정", "기준")  # "'22.3. 예정", '2021. 11. 16. 기준' read as one
_MARKS = ("·", "-", "–", "※", "☞", "*", "○", "■", "□")


def _date_words(words: list[str]) -> list[str]:
    """Words with the parts of a spaced date joined: '2018. 12.', '2021. 11. 16.' and
    "'22.3. 예정" are one word each."""
    out: list[str] = []
    for w in words:
        last = out[-1].split(" ")[-1] if out else ""
        if out and (out[-1] in _MARKS or _DATE_PART.fullmatch(last) and not last.endswith(")")
                    and (_DATE_PART.fullmatch(w) or w in _DATE_TAIL)):
            out[-1] = f"{out[-1]} {w}"  # a bullet mark never ends a line alone either
        else:
            out.append(w)
    return out


def _tokens(text: str) -> list[str]:
    """Words of one line, with preferred groups kept as one token when they fit a line:
    a parenthesised group '(매월 25일 지급)' and 'label : value' ('1년차 : 5,665천원');
    a spaced date ('2018. 12.') is always one word."""
    out: list[str] = []
    group: list[str] = []
    words = _date_words(text.split())
    i = 0
    while i < len(words):
        word = words[i]
        if group:
            group.append(word)
            if word.endswith(")"):
                out.append(" ".join(group))
                group = []
        elif word.startswith("(") and ")" not in word:
            group = [word]
        elif word == ":" and out and i + 1 < len(words):
            out[-1] = f"{out[-1]} : {words[i + 1]}"
            i += 1
        else:
            out.append(word)
        i += 1
    if group:
        out.append(" ".join(group))
    return out


def _cut_word(word: str, room: float, measure: Measure, bold: bool) -> list[str]:
    """A single word wider than the room, cut at characters (the only break inside a word)."""
    out, start, width = [], 0, 0.0
    for i, ch in enumerate(word):
        w = measure(ch, bold)
        if i > start and width + w > room:
            out.append(word[start:i])
            start, width = i, 0.0
        width += w
    out.append(word[start:])
    return out


def wrap_text(text: str, room: float, measure: Measure, bold: bool = False) -> list[str]:
    """Lines of `text` no wider than `room`, broken only at spaces.

    Korean is spaced by words, so a line ends only between words; a parenthesised group
    stays whole when it fits a line, else it breaks at its own spaces; a single word wider
    than the room is the one case cut inside (at characters).
    """
    lines: list[str] = []
    space = measure(" ", bold)
    for part in text.split("\n"):
        if measure(part, bold) <= room:
            lines.append(part)
            continue
        cur, cur_w = "", 0.0
        for token in _tokens(part):
            tw = measure(token, bold)
            if tw > room and " " in token:  # a group that does not fit: its words one by one
                pieces = token.split()
            else:
                pieces = [token]
            for word in pieces:
                ww = tw if len(pieces) == 1 else measure(word, bold)
                if cur and cur_w + space + ww <= room:
                    cur, cur_w = f"{cur} {word}", cur_w + space + ww
                    continue
                if cur:
                    lines.append(cur)
                if ww <= room:
                    cur, cur_w = word, ww
                else:
                    cut = _cut_word(word, room, measure, bold)
                    lines += cut[:-1]
                    cur, cur_w = cut[-1], measure(cut[-1], bold)
        lines.append(cur)
    return lines


def longest_word(text: str, measure: Measure, bold: bool = False) -> float:
    """The width of the widest word: the narrowest a column can be without cutting one.

    A spaced date ('2018. 12.') and a short 'label : value' ('1년차 : 5,665천원') count
    as one word: a column is never so narrow that they break.
    """
    units = [u for line in text.split("\n") for t in _tokens(line)
             for u in ([t] if " : " in t or " " not in t or _DATE_PART.fullmatch(t.split(" ")[0])
                       else t.split())]
    return max((measure(t, bold) for t in units), default=0.0)


def fit_widths(mins: list[float], maxs: list[float], hints: list[float],
               avail: float) -> list[float]:
    """Column widths summing to `avail`, sized from content (the HTML auto-table rule).

    Every column gets at least its widest word when that is possible; when all content fits
    on single lines the spare room is shared by the hinted proportions; otherwise the room
    beyond the minimums goes to the columns in proportion to what they still lack.
    """
    hint_total = sum(hints) or 1.0
    if sum(maxs) <= avail:
        spare = avail - sum(maxs)
        out = [m + spare * h / hint_total for m, h in zip(maxs, hints, strict=True)]
        return _equal_groups(out, maxs, hints)
    if sum(mins) <= avail:
        return _equal_groups(_fill_lacking(mins, maxs, avail), mins, hints)
    scale = avail / sum(mins)  # words must be cut somewhere: keep the minimums' proportions
    return [mn * scale for mn in mins]


def _equal_groups(widths: list[float], floor: list[float], hints: list[float]) -> list[float]:
    """Columns hinted alike (the year columns) share their room equally when each still
    gets its `floor`."""
    groups: dict[float, list[int]] = {}
    for i, h in enumerate(hints):
        groups.setdefault(round(h, 3), []).append(i)
    out = list(widths)
    for cols in groups.values():
        if len(cols) < 2 or len(cols) == len(hints):  # all alike: no hint, content decides
            continue
        # equal shares; a column whose floor is above the share keeps its floor and the
        # others share the rest (2018's long 지원 내용 beside three equal year columns)
        wide: set[int] = set()
        total = sum(out[i] for i in cols)
        while True:
            rest = [i for i in cols if i not in wide]
            share = (total - sum(floor[i] for i in wide)) / len(rest)
            more = {i for i in rest if floor[i] > share}
            if not more or len(wide | more) == len(cols):
                break
            wide |= more
        if all(floor[i] <= share for i in rest):
            for i in cols:
                out[i] = floor[i] if i in wide else share
    return out


def _fill_lacking(mins: list[float], maxs: list[float], avail: float) -> list[float]:
    """From the minimums up to `avail`, the least lacking columns served first."""
    # Columns that lack little get all of it first (a short '1년차 : 5,665천원' or a
    # date range stays on one line); what is left goes to the long-text columns in
    # proportion to what they still lack.
    widths = list(mins)
    spare = avail - sum(mins)
    open_cols = sorted(range(len(mins)), key=lambda i: maxs[i] - mins[i])
    while open_cols:
        share = spare / len(open_cols)
        i = open_cols[0]
        lack = maxs[i] - widths[i]
        if lack > share:
            break
        widths[i] += lack
        spare -= lack
        open_cols.pop(0)
    total_lack = sum(maxs[i] - widths[i] for i in open_cols) or 1.0
    for i in open_cols:
        widths[i] += spare * (maxs[i] - widths[i]) / total_lack
    return widths


def is_bold(cell: Cell | None, part: str) -> bool:
    """Header and total rows, row labels and cells marked bold are drawn bold."""
    return part != "body" or (cell is not None and (cell.bold or cell.kind == "head"))


def parts(table: ReportTable) -> list[str]:
    """'head', 'body' or 'total' for each of table.rows."""
    return (["head"] * len(table.header_rows) + ["body"] * len(table.body)
            + ["total"] * len(table.totals))


def content_extents(table: ReportTable, measure: Measure, pad: float,
                    avail: float | None = None,
                    image_width: float = 0.0) -> tuple[list[float], list[float]]:
    """Per column, (widest word, widest line) + pad over the cells spanning only it.

    A cell spanning several columns widens them evenly when they are too narrow for it.
    Figures (numbers, amounts, areas) count as one word: they never wrap. When every line
    fits in `avail` the words are not measured (the minimums are then the line widths).
    An image cell is `image_width` wide (the renderer's unit) and never narrower.
    """
    n = table.ncols
    cells = []
    for row, part in zip(table.rows, parts(table), strict=True):
        for c, cell in enumerate(row):
            if cell is None or cell.value is None:
                continue
            if cell.kind == "image":
                cells.append((c, cell.colspan, "image", "", False, image_width + pad))
                continue
            text, bold = cell_text(cell), is_bold(cell, part)
            widest = max(measure(line, bold) for line in text.split("\n")) + pad
            cells.append((c, cell.colspan, cell.kind, text, bold, widest))
    maxs = _spread_extent(n, pad, [(c, span, w) for c, span, _k, _t, _b, w in cells])
    if avail is not None and sum(maxs) <= avail:
        return list(maxs), maxs
    words = [(c, span, w if kind in UNBROKEN_KINDS else longest_word(text, measure, bold) + pad)
             for c, span, kind, text, bold, w in cells]
    mins = _spread_extent(n, pad, words)
    return mins, [max(a, b) for a, b in zip(mins, maxs, strict=True)]


def _spread_extent(n: int, pad: float, items: list[tuple[int, int, float]]) -> list[float]:
    """Column extents from (column, colspan, width); spanning cells widen their columns evenly."""
    out = [pad] * n
    for c, span, w in items:
        if span == 1 and w > out[c]:
            out[c] = w
    for c, span, w in items:
        lack = w - sum(out[c:c + span])
        if span > 1 and lack > 0:
            for i in range(c, c + span):
                out[i] += lack / span
    return out


def _row_lines(table: ReportTable, row: Row, chars_per_unit: float) -> int:
    """Rough height of a row in text lines (wrapping estimated from the column widths)."""
    lines = 1
    for c, cell in enumerate(row):
        if cell is None:
            continue
        room = max(1.0, sum(table.widths[c:c + cell.colspan]) * chars_per_unit)
        text = cell_text(cell)
        lines = max(lines, sum(1 + int(len(part) / room) for part in text.split("\n")))
    return lines


def split_rows(table: ReportTable, max_lines: int = 40,
               chars_per_unit: float = 0.6) -> list[ReportTable]:
    """The table cut into pieces of about `max_lines` lines, each with the header rows.

    A table drawn inside another table's cell cannot break across pages, so long ones are
    handed over as several tables. Cuts fall only between rows that start a new row group.
    """
    pieces: list[list[Row]] = [[]]
    used = 0
    for row in table.body:
        n = _row_lines(table, row, chars_per_unit)
        if pieces[-1] and used + n > max_lines and row and row[0] is not None:
            pieces.append([])
            used = 0
        pieces[-1].append(row)
        used += n
    if len(pieces) == 1:
        return [table]
    out = []
    for i, body in enumerate(pieces):
        last = i == len(pieces) - 1
        out.append(ReportTable(
            table.title, table.sheet_name, table.header_rows, body, table.widths,
            unit_line=table.unit_line if i == 0 else None,
            totals=table.totals if last else [], notes=table.notes if last else [],
            landscape=table.landscape, legend=table.legend if last else None))
    return out
