"""A report table laid out once and drawn straight on the canvas, page by page.

reportlab's own Table re-splits and re-measures a long table at every page break (docs/facts.md:
superlinear). Here the table is measured once: column widths from the content, each cell
wrapped at word boundaries into lines (exports.table_model.wrap_text), row heights from
the line count; a page is a slice of rows found by bisection over the running heights, so
a table of n rows costs O(n). A row taller than what is left of a page continues on the
next one (at least two lines on either side) instead of leaving the page part blank.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from db import images
from db.safe_text import CUT_MARK, clean

from .fonts import FONT, FONT_BOLD, measure_for, register_fonts
from .table_model import (
    ReportTable,
    alignment,
    cell_text,
    content_extents,
    fit_widths,
    is_bold,
    parts,
    wrap_text,
)

HEAD_BG = colors.HexColor("#D9D9D9")
TOTAL_BG = colors.HexColor("#F2F2F2")
WARN_BG = colors.HexColor("#FFF2CC")
PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.5, 3.0
LEADING = 1.3  # line height / font size
MIN_SIZE = 8.0  # the smallest a crowded table is set
CELL_MAX = 5_000  # characters shown in one table cell of a PDF (longer: cut, marked)
GROUP_LINES = 30  # lines a cell shows in a row that cannot split (one spanned by a cell)
MIN_SPLIT_LINES = 2  # a row split over pages keeps at least this many lines on each side
IMAGE_W = 28 * mm  # an image cell's picture: this wide at most (16:9 → 15.75 mm tall)
IMAGE_MAX_H = 28 * mm
IMAGE_PAD = 1.5  # around a picture inside its cell


@dataclass
class LaidCell:
    """One cell as drawn: its box (columns, rows), its lines and how they are drawn."""

    row: int
    col: int
    colspan: int
    rowspan: int
    x: float
    width: float
    lines: list[tuple[str, float]]  # (text, width)
    bold: bool
    align: str
    fill: Any
    image: tuple[bytes, float, float] | None = None  # (PNG/JPEG bytes, drawn width, height)


def _picture(data: Any, room: float) -> tuple[bytes, float, float] | None:
    """An image cell's bytes and drawn size: at most IMAGE_W × IMAGE_MAX_H and the cell's
    room, the aspect ratio kept; None when the bytes are no readable image."""
    raw = bytes(data)
    dims = images.dimensions(raw)
    if dims is None:
        return None
    w, h = dims
    scale = min(min(IMAGE_W, room) / w, IMAGE_MAX_H / h)
    return raw, w * scale, h * scale


class GridLayout:
    """Column widths, wrapped cells and row heights of a ReportTable, computed once."""

    def __init__(self, table: ReportTable, width: float, size: float) -> None:
        register_fonts()
        # A table whose words cannot all fit at `size` is set smaller (down to MIN_SIZE)
        # rather than cut inside its words.
        while True:
            measure = measure_for(size)
            mins, maxs = content_extents(table, measure, 2 * PAD_X + 0.5, width,
                                         image_width=IMAGE_W + 2 * IMAGE_PAD - 2 * PAD_X)
            if sum(mins) <= width or size - 0.5 < MIN_SIZE:
                break
            size -= 0.5
        self.size, self.leading = size, size * LEADING
        self.widths = fit_widths(mins, maxs, table.widths, width)
        self.width = sum(self.widths)
        xs = [0.0, *accumulate(self.widths)]
        self.nh = len(table.header_rows)
        grouped = set(range(self.nh))  # header rows and rows a cell spans cannot split
        for r, row in enumerate(table.rows):
            for cell in row:
                if cell is not None and cell.rowspan > 1:
                    grouped.update(range(r, r + cell.rowspan))
        self.rows: list[list[LaidCell]] = []
        for r, (row, part) in enumerate(zip(table.rows, parts(table), strict=True)):
            laid = []
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                text = clean(cell_text(cell))
                if len(text) > CELL_MAX:  # one huge cell must not outgrow the page
                    text = text[:CELL_MAX] + CUT_MARK
                bold = is_bold(cell, part)
                w = xs[c + cell.colspan] - xs[c]
                wrapped = wrap_text(text, w - 2 * PAD_X, measure, bold) if text else []
                if r in grouped and len(wrapped) > GROUP_LINES:  # it must fit on one page
                    wrapped = [*wrapped[:GROUP_LINES - 1], CUT_MARK]
                lines = [(t, measure(t, bold)) for t in wrapped]
                fill = HEAD_BG if part == "head" else TOTAL_BG if part == "total" else (
                    WARN_BG if cell.highlight else None)
                picture = _picture(cell.value, w - 2 * IMAGE_PAD) \
                    if cell.kind == "image" and cell.value else None
                laid.append(LaidCell(
                    row=r, col=c, colspan=cell.colspan, rowspan=cell.rowspan, x=xs[c], width=w,
                    lines=lines, bold=bold, align="center" if part == "head" else alignment(cell),
                    fill=fill, image=picture,
                ))
            self.rows.append(laid)
        self.heights = [self._height(len(self._lines_of(r))) for r in range(len(self.rows))]
        for r, laid in enumerate(self.rows):  # a picture's row is as tall as the picture
            for placed in laid:
                if placed.image is not None and placed.rowspan == 1:
                    self.heights[r] = max(self.heights[r], placed.image[2] + 2 * IMAGE_PAD)
        self._fit_rowspans()
        n = len(self.rows)
        # A page may end after row r unless a cell spanning rows crosses that line.
        self.break_after = [True] * n
        for laid in self.rows:
            for placed in laid:
                for r in range(placed.row, placed.row + placed.rowspan - 1):
                    self.break_after[r] = False
        self.cum = [0.0, *accumulate(self.heights)]
        self.head_h = self.cum[self.nh]

    def _lines_of(self, r: int) -> list[tuple[str, float]]:
        """The most lines among the row's single-row cells."""
        best: list[tuple[str, float]] = []
        for cell in self.rows[r]:
            if cell.rowspan == 1 and len(cell.lines) > len(best):
                best = cell.lines
        return best

    def _height(self, lines: int) -> float:
        return max(1, lines) * self.leading + PAD_TOP + PAD_BOTTOM

    def _fit_rowspans(self) -> None:
        for laid in self.rows:
            for cell in laid:
                if cell.rowspan > 1:
                    last = min(cell.row + cell.rowspan, len(self.rows)) - 1
                    lack = self._height(len(cell.lines)) - sum(self.heights[cell.row:last + 1])
                    if lack > 0:
                        self.heights[last] += lack

    def row_lines(self, r: int) -> int:
        return max(1, len(self._lines_of(r)))

    def splittable(self, r: int) -> bool:
        """A row may continue on the next page when it is tall and spans no rows."""
        return (self.row_lines(r) >= 2 * MIN_SPLIT_LINES
                and all(c.rowspan == 1 and c.image is None for c in self.rows[r])
                and (r == 0 or self.break_after[r - 1]) and self.break_after[r])

    def slice_height(self, r: int, first: int, last: int | None) -> float:
        """Height of row r drawn from line `first` to line `last` (None: to its end)."""
        if first == 0 and last is None:
            return self.heights[r]
        end = self.row_lines(r) if last is None else last
        return self._height(end - first)

    def wrapped_lines(self) -> list[list[list[str]]]:
        """Every cell's lines as laid out (for tests: no line may end inside a word)."""
        return [[[t for t, _w in cell.lines] for cell in laid] for laid in self.rows]


class GridTable(Flowable):
    """Rows [start, end) of a laid-out table (the header repeated above), with a lead-in.

    `first_line` / `last_line` cut the first and last rows when a row was split over pages.
    `lead` (a title, its lines) is drawn above the first piece only and stays with at least
    the header and the first row.
    """

    def __init__(self, layout: GridLayout, start: int | None = None, end: int | None = None,
                 first_line: int = 0, last_line: int | None = None,
                 lead: Sequence[Flowable] = ()) -> None:
        super().__init__()
        self.layout = layout
        self.start = layout.nh if start is None else start
        self.end = len(layout.rows) if end is None else end
        self.first_line, self.last_line = first_line, last_line
        self.lead = list(lead)
        self.hAlign = "CENTER"
        self._lead_h = 0.0
        self._aw = layout.width

    # -- sizes --------------------------------------------------------------------------
    def _body_height(self, start: int, end: int, first_line: int,
                     last_line: int | None) -> float:
        g = self.layout
        if start >= end:
            return 0.0
        if start == end - 1:
            return g.slice_height(start, first_line, last_line)
        inner = g.cum[end - 1] - g.cum[start + 1]
        return (g.slice_height(start, first_line, None) + inner
                + g.slice_height(end - 1, 0, last_line))

    def _lead_height(self, aw: float) -> float:
        return sum(f.wrap(aw, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                   for f in self.lead)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._aw = aw
        self._lead_h = self._lead_height(aw)
        body = self._body_height(self.start, self.end, self.first_line, self.last_line)
        self.width = max(self.layout.width, aw if self.lead else 0)
        self.height = self._lead_h + self.layout.head_h + body
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        g = self.layout
        self.wrap(aw, ah)
        room = ah - self._lead_h - g.head_h
        start, first = self.start, self.first_line
        # rows start .. k-1 fit whole (the first one from line `first`)
        head = g.slice_height(start, first, None)
        if room < head:
            k = start
        else:
            k = bisect_right(g.cum, room - head + g.cum[start + 1], start + 1, self.end + 1) - 1
            k = max(k, start + 1)
        while k > start and not g.break_after[k - 1]:  # never cut a rowspan group
            k -= 1
        used = self._body_height(start, k, first, None)
        cut_row, cut_line = None, 0
        if k < self.end:
            r0 = first if k == start else 0
            left = g.row_lines(k) - r0
            fit = int((room - used - PAD_TOP - PAD_BOTTOM + 0.01) // g.leading)
            fit = min(fit, left - MIN_SPLIT_LINES)
            if g.splittable(k) and fit >= MIN_SPLIT_LINES:
                cut_row, cut_line = k, r0 + fit
        if cut_row is None and k == start:
            at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
            if not at_top or start >= self.end - 1:
                return []  # nothing fits here: the next page takes the table
            k = start + 1  # a rowspan group taller than a page: cut it anyway
        if cut_row is not None:
            a = GridTable(g, start, cut_row + 1, first, cut_line, self.lead)
            b = GridTable(g, cut_row, self.end, cut_line, self.last_line)
        else:
            a = GridTable(g, start, k, first, None, self.lead)
            b = GridTable(g, k, self.end, 0, self.last_line)
        return [a, b]

    # -- drawing ------------------------------------------------------------------------
    def draw(self) -> None:
        canv, g = self.canv, self.layout
        y = self.height
        for f in self.lead:
            y -= f.getSpaceBefore()
            _w, h = f.wrap(self._aw, 10_000)
            f.drawOn(canv, 0, y - h)
            y -= h + f.getSpaceAfter()
        x0 = (self.width - g.width) / 2
        pieces: list[tuple[int, int, int | None]] = [(r, 0, None) for r in range(g.nh)]
        for r in range(self.start, self.end):
            first = self.first_line if r == self.start else 0
            last = self.last_line if r == self.end - 1 else None
            pieces.append((r, first, last))
        tops, heights = {}, {}
        for r, first, last in pieces:
            heights[r] = g.slice_height(r, first, last)
            tops[r] = y
            y -= heights[r]
        drawn_rows = [p[0] for p in pieces]
        last_row = drawn_rows[-1]
        boxes: list[Any] = []
        texts: list[Any] = []
        covered = set()
        for r, first, last in pieces:
            for cell in g.rows[r]:
                self._cell(cell, r, first, last, tops, heights, last_row, x0, boxes, texts)
                covered.add((cell.row, cell.col))
                if cell.image is not None:
                    data, w, h = cell.image
                    top, bottom = tops[r], tops[r] - heights[r]
                    texts.append((None, x0 + cell.x + (cell.width - w) / 2,
                                  bottom + (top - bottom - h) / 2, (data, w, h)))
        r = self.start
        if r > g.nh and not g.break_after[r - 1]:  # a rowspan group begun on an earlier page
            above = r - 1
            while above > g.nh and not g.break_after[above - 1]:
                above -= 1
            for a in range(above, r):
                for cell in g.rows[a]:
                    if cell.row + cell.rowspan > r and (cell.row, cell.col) not in covered:
                        self._cell(cell, r, 0, None, tops, heights, last_row, x0, boxes,
                                   texts, clip_from=r)
        self._paint(boxes, texts)

    def _cell(self, cell: LaidCell, r: int, first: int, last: int | None, tops: dict,
              heights: dict, last_row: int, x0: float, boxes: list, texts: list,
              clip_from: int | None = None) -> None:
        g = self.layout
        top = tops[r]
        span_end = min(cell.row + cell.rowspan - 1, last_row)
        bottom = tops[span_end] - heights[span_end] if span_end in tops else top - heights[r]
        h = top - bottom
        boxes.append((x0 + cell.x, bottom, cell.width, h, cell.fill))
        lines = cell.lines
        split = first > 0 or last is not None
        if split:
            lines = lines[first:last]
        n = len(lines)
        if not n:
            return
        if split or clip_from is not None:
            y = top - PAD_TOP - g.leading + (g.leading - g.size) / 2 + g.size * 0.22
        else:
            block = n * g.leading
            y = bottom + (h - block) / 2 + (g.leading - g.size) / 2 + g.size * 0.22 + \
                (n - 1) * g.leading
        for text, w in lines:
            if cell.align == "right":
                x = x0 + cell.x + cell.width - PAD_X - w
            elif cell.align == "center":
                x = x0 + cell.x + (cell.width - w) / 2
            else:
                x = x0 + cell.x + PAD_X
            texts.append((FONT_BOLD if cell.bold else FONT, x, y, text))
            y -= g.leading

    def _paint(self, boxes: list, texts: list) -> None:
        canv, size = self.canv, self.layout.size
        for fill in {b[4] for b in boxes if b[4] is not None}:
            canv.setFillColor(fill)
            path = canv.beginPath()
            for x, y, w, h, f in boxes:
                if f is fill:
                    path.rect(x, y, w, h)
            canv.drawPath(path, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        path = canv.beginPath()
        for x, y, w, h, _f in boxes:
            path.rect(x, y, w, h)
        canv.drawPath(path, stroke=1, fill=0)
        font = None
        for name, x, y, text in texts:
            if name is None:  # a picture (bytes, width, height)
                _draw_image(canv, x, y, *text)
                continue
            if name != font:
                canv.setFont(name, size)
                font = name
            canv.drawString(x, y, text)


def _draw_image(canv: Any, x: float, y: float, data: bytes, w: float, h: float) -> None:
    """One picture at (x, y), w × h points, read from its bytes (cached per document)."""
    cache = canv.__dict__.setdefault("_dure_images", {})
    reader = cache.get(data)
    if reader is None:
        reader = cache[data] = ImageReader(io.BytesIO(data))
    canv.drawImage(reader, x, y, w, h, mask="auto")


def grid(table: ReportTable, width: float, size: float,
         lead: Sequence[Flowable] = ()) -> GridTable:
    """The table laid out for `width` points at `size` pt, ready to flow over pages."""
    return GridTable(GridLayout(table, width, size), lead=lead)
