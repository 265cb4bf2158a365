"""The report's 구 분 · 추진실적 및 추진계획 · 비고 table, drawn column by column.

The middle column is a stack of flowables (report lines as Paragraphs, sub-tables as
exports.pdf_grid tables) that flows over pages: a page ends between two lines, inside a
long paragraph or between two rows of a sub-table, never below a heading and never with a
section's last line alone at the top of the next page. The header row repeats on every
page; a section's label (상반기 추진 실적 …) stands in the first column where it starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import FrameBreak

from .pdf import BODY_SIZE, NOTE_SIZE, grid_table, para, style
from .pdf_grid import HEAD_BG

PAD = 4.0
SUB_INDENT = 0.0  # sub-tables take the column's full width (room for their words)
SECTION_GAP = 4.0  # space above a section's first line
RULE = 0.8


@dataclass
class Item:
    """One flowable of the middle column; `label` marks the first item of a section."""

    flowable: Flowable
    label: Flowable | None = None
    last_of_section: bool = False


class SectionTable(Flowable):
    """The three-column report table; splits between (or inside) its middle-column items."""

    def __init__(self, widths: Sequence[float], header: Sequence[Flowable],
                 items: list[Item], heights: Sequence[float | None] | None = None) -> None:
        super().__init__()
        self.widths = list(widths)
        self.header = list(header)
        self.items = items
        self.hAlign = "CENTER"
        # Heights known from the table this part was split from (None: measure it); without
        # them every page's split would measure every remaining line again (quadratic).
        self._known = list(heights) if heights is not None else [None] * len(items)
        self._heights: list[float] | None = None

    @property
    def mid(self) -> float:
        return self.widths[1] - 2 * PAD

    def _header_height(self) -> float:
        return max(f.wrap(w - 2 * PAD, 10_000)[1] for f, w in
                   zip(self.header, self.widths, strict=True)) + 2 * PAD

    def _item_height(self, item: Item) -> float:
        h = item.flowable.wrap(self.mid, 100_000)[1]
        h += item.flowable.getSpaceBefore() if not isinstance(item.flowable, Paragraph) else 0
        if item.label is not None:
            h += SECTION_GAP
        return h

    def _all_heights(self) -> list[float]:
        if self._heights is None:
            self._heights = [self._item_height(i) if h is None else h
                             for i, h in zip(self.items, self._known, strict=True)]
        return self._heights

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self._header_height() + sum(self._all_heights()) + PAD
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        heights = self._all_heights()
        room = ah - self._header_height() - PAD
        used, i = 0.0, 0
        while i < len(self.items) and used + heights[i] <= room:
            used += heights[i]
            i += 1
        if i == len(self.items):
            return [self]
        item = self.items[i]
        gap = SECTION_GAP if item.label is not None else 0.0
        left = room - used - gap
        pieces = item.flowable.split(self.mid, left) if left > 0 else []
        if len(pieces) == 2 and pieces[0].wrap(self.mid, left)[1] <= left:
            head = Item(pieces[0], item.label, False)
            tail = Item(pieces[1], None, item.last_of_section)
            return [self._part(self.items[:i] + [head], [*heights[:i], None]),
                    self._part([tail] + self.items[i + 1:], [None, *heights[i + 1:]])]
        # The item moves to the next page: its heading goes with it, and a section's last
        # line never stands there alone.
        first_unfit = i
        while i > 0 and getattr(self.items[i - 1].flowable, "keepWithNext", False):
            i -= 1
        if (i > 1 and self.items[i].last_of_section and self.items[i].label is None
                and self.items[i - 1].label is None and heights[i] < 2.5 * _line(self.items[i])):
            i -= 1
        if i == 0:
            # Keeping headings and lines together would leave this page empty (a page of
            # headings, or a fresh page): break the keep rather than fail the whole report.
            i = first_unfit
        if i == 0:
            return []
        # The rest starts on the next page even when its first lines would fit below.
        return [self._part(self.items[:i], heights[:i]), FrameBreak(),
                self._part(self.items[i:], heights[i:])]

    def _part(self, items: list[Item], heights: Sequence[float | None]) -> SectionTable:
        return SectionTable(self.widths, self.header, items, heights)

    def draw(self) -> None:
        canv = self.canv
        w0, w1, _w2 = self.widths
        total = sum(self.widths)
        hh = self._header_height()
        top = self.height
        canv.setFillColor(HEAD_BG)
        canv.rect(0, top - hh, total, hh, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        x = 0.0
        for f, w in zip(self.header, self.widths, strict=True):
            _fw, fh = f.wrap(w - 2 * PAD, 10_000)
            f.drawOn(canv, x + PAD, top - hh + (hh - fh) / 2)
            x += w
        y = top - hh
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(RULE)
        canv.line(0, y, total, y)
        for item, h in zip(self.items, self._all_heights(), strict=True):
            if item.label is not None:
                canv.setLineWidth(RULE)
                canv.line(0, y, total, y)
                _lw, lh = item.label.wrap(w0 - 2 * PAD, 10_000)
                item.label.drawOn(canv, PAD, y - SECTION_GAP - lh)
            fw = item.flowable.wrap(self.mid, 100_000)[0]
            indent = max(0.0, (self.mid - fw) / 2) if not isinstance(
                item.flowable, Paragraph) else 0.0
            item.flowable.drawOn(canv, w0 + PAD + indent, y - h)
            y -= h
        canv.setLineWidth(0.5)
        canv.line(w0, 0, w0, top)
        canv.line(w0 + w1, 0, w0 + w1, top)
        canv.setLineWidth(RULE)
        canv.rect(0, 0, total, top, stroke=1, fill=0)


def _line(item: Item) -> float:
    """The line height of an item (a paragraph's leading, else a nominal line)."""
    st = getattr(item.flowable, "style", None)
    return getattr(st, "leading", 14.0)


def _body_items(body: Any, mid: float) -> list[Item]:
    """Report lines (■ ○ – · ※ ☞) as paragraphs, sub-tables as flowing grid tables.

    A bold ■/○ heading keeps with what follows; the `keep` lines before a sub-table (its
    caption) are drawn as the table's lead-in, on the page of its first rows.
    """
    items: list[Item] = []
    for kind, value, level, bold in body.items:
        if kind == "table":
            lead: list[Flowable] = []
            while level > len(lead) and items and isinstance(items[-1].flowable, Paragraph) \
                    and items[-1].label is None:
                lead.insert(0, items.pop().flowable)
            if value.unit_line:  # '(단위 : 천원)' above the table, on its first page
                lead.append(para(value.unit_line, style(NOTE_SIZE, align="right")))
            items.append(Item(grid_table(value, mid - SUB_INDENT, lead=lead)))
            for note in [*value.notes, *([value.legend] if value.legend else [])]:
                items.append(Item(para(note, style(NOTE_SIZE, space_before=1))))
            continue
        p = para(value, style(BODY_SIZE, bold, indent=level * 3.5 * mm))
        p.keepWithNext = bool(bold and value.startswith(("■", "○", "□")))
        items.append(Item(p))
    return items


def section_table(sections: list[tuple[str, Any]], width: float, first_w: float,
                  note_w: float, headers: Sequence[str] = ("구 분", "추진실적 및 추진계획", "비고"),
                  empty: str = "") -> SectionTable:
    """The report table: one section per (label, Body), the header repeated on each page."""
    mid_w = width - first_w - note_w
    items: list[Item] = []
    for label, body in sections:
        # a period with nothing recorded is left blank, as the seed would
        mine = _body_items(body, mid_w - 2 * PAD) or [Item(para(empty or " ", style(BODY_SIZE)))]
        mine[0].label = para(label, style(BODY_SIZE - 1.5, True, "center"))
        mine[-1].last_of_section = True
        items += mine
    header = [para(h, style(BODY_SIZE, True, "center")) for h in headers]
    return SectionTable([first_w, mid_w, note_w], header, items)
