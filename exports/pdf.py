"""PDF renderer: report tables and paragraphs, A4 documents with "n / N" footers.

Every text goes through `para()` (escaped, our font, word wrapping) or is drawn by
exports.pdf_grid in our font, so no Helvetica enters the file (docs/facts.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from db.errors import Cancelled
from db.safe_text import pdf_text

from .fonts import FONT, FONT_BOLD, register_fonts
from .pdf_grid import GridTable, grid
from .table_model import ReportTable

MARGIN = 12 * mm
BODY_SIZE = 10.5  # report text (a civil servant's document: 10-11 pt)
TABLE_SIZE = 10.0  # table cells
NOTE_SIZE = 9.5  # unit lines, notes under tables
TITLE_SIZE = 12.0  # a table's title
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_styles: dict[tuple, ParagraphStyle] = {}


def style(size: float = BODY_SIZE, bold: bool = False, align: str = "left",
          indent: float = 0, space_before: float = 0, cjk: bool = False) -> ParagraphStyle:
    """A cached paragraph style in our font; lines break between words, never inside one.

    Korean is spaced by words, so reportlab's word wrapping fits it; a word wider than the
    line is the only one cut. `cjk` is kept for callers that still pass it and is ignored.
    """
    key = (size, bold, align, indent, space_before)
    if key not in _styles:
        register_fonts()
        _styles[key] = ParagraphStyle(
            f"dure{len(_styles)}", fontName=FONT_BOLD if bold else FONT, fontSize=size,
            leading=size * 1.4, alignment=_ALIGN[align], leftIndent=indent,
            firstLineIndent=0, spaceBefore=space_before, splitLongWords=True,
            allowWidows=0, allowOrphans=0,
        )
    return _styles[key]


def para(text: str, st: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain user text: always escaped (R&D, <b>회사 stay as typed)."""
    return Paragraph(pdf_text(text), st or style())


def keep_lines(block: list[Flowable]) -> list[Flowable]:
    """Lines of running text: a bold heading keeps with the line after it, and the last
    line never stands alone at the top of a page."""
    for f in block:
        if isinstance(f, Paragraph) and f.style.fontName == FONT_BOLD:
            f.keepWithNext = True
    if len(block) >= 2:
        block[-2].keepWithNext = True
    return block


def table_flowables(table: ReportTable, width: float,
                    before: Sequence[Flowable] = ()) -> list[Flowable]:
    """The table (header repeated on each page) led by `before`, its title, intro and unit
    line, which stay on the page of its first rows; then its notes."""
    lead: list[Flowable] = list(before)
    if table.title:
        lead += [para(table.title, style(TITLE_SIZE, True)), Spacer(1, 1 * mm)]
    lead += intro_flowables(table.intro)
    if table.unit_line:
        lead.append(para(table.unit_line, style(NOTE_SIZE, align="right")))
    out: list[Flowable] = [grid_table(table, width, lead)]
    for note in [*table.notes, *([table.legend] if table.legend else [])]:
        out.append(para(note, style(NOTE_SIZE, space_before=2)))
    out.append(Spacer(1, 5 * mm))
    return out


def intro_flowables(lines: list[str]) -> list[Flowable]:
    """A table's lead-in lines; a line typed with leading spaces is indented under the one above."""
    out: list[Flowable] = []
    for line in lines:
        text = line.lstrip()
        indent = 4 * mm if len(text) < len(line) else 0
        out.append(para(text, style(BODY_SIZE, indent=indent, space_before=1)))
    if out:
        out.append(Spacer(1, 1 * mm))
    return out


def grid_table(table: ReportTable, width: float, lead: Sequence[Flowable] = (),
               size: float = TABLE_SIZE) -> GridTable:
    """The ReportTable as a bordered table with spans and a shaded, repeated header.

    Columns are sized from their content and cells wrap between words (exports.pdf_grid).
    """
    return grid(table, width, size, lead)


def _numbered_canvas(footer_left: str) -> type[Canvas]:
    """A canvas class that writes "n / N" (N known only at the end) and the print date."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            w, _h = self._pagesize
            self.setFont(FONT, 8)
            self.drawString(MARGIN, 7 * mm, footer_left)
            self.drawRightString(w - MARGIN, 7 * mm, f"{self._pageNumber} / {total}")

    return NumberedCanvas


def build_pdf(out: Path | Any, story: Sequence[Flowable], *, title: str,
              wide: bool = False, printed: dt.date | None = None,
              footer: str = "", cancelled: Callable[[], bool] | None = None) -> int:
    """Lay out the story on A4 (landscape when `wide`) and return the number of pages."""
    register_fonts()
    size = landscape(A4) if wide else A4
    printed = printed or dt.date.today()
    left = f"출력일 {printed.year}. {printed.month}. {printed.day}."
    if footer:
        left += f"   {footer}"
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out), pagesize=size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=14 * mm,
        title=title, author="두레", creator="두레", initialFontName=FONT, initialFontSize=BODY_SIZE,
    )
    if cancelled is not None:  # checked between flowables while pages are laid out
        checked: list[Flowable] = []
        for i, flowable in enumerate(story):
            if i % 10 == 0:
                checked.append(_CancelCheck(cancelled))
            checked.append(flowable)
        story = [*checked, _CancelCheck(cancelled)]
    doc.build(story, canvasmaker=_numbered_canvas(left))
    return doc.page


class _CancelCheck(Flowable):
    """A zero-size flowable that stops the build when the user cancelled."""

    def __init__(self, cancelled: Callable[[], bool]) -> None:
        super().__init__()
        self.cancelled = cancelled

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if self.cancelled():
            raise Cancelled()
        return 0, 0

    def draw(self) -> None:
        pass


def content_width(wide: bool) -> float:
    """Usable width between the margins."""
    return (landscape(A4) if wide else A4)[0] - 2 * MARGIN
