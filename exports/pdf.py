"""PDF renderer: report tables as reportlab Tables, A4 documents with "n / N" footers.

Every text goes through `para()` (escaped, CJK wrapping, our font) and every Table style
names our font, so no Helvetica enters the file (FACTS.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import FONT, FONT_BOLD, register_fonts
from .safe_text import CUT_MARK, clean, pdf_text
from .table_model import NUMERIC_KINDS, Cell, ReportTable, alignment, cell_text

HEAD_BG = colors.HexColor("#D9D9D9")
TOTAL_BG = colors.HexColor("#F2F2F2")
WARN_BG = colors.HexColor("#FFF2CC")
MARGIN = 12 * mm
FONT_SIZE = 8.5  # table text
CELL_MAX = 600  # characters shown in one table cell of a PDF
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_styles: dict[tuple, ParagraphStyle] = {}


def style(size: float = 9, bold: bool = False, align: str = "left",
          indent: float = 0, space_before: float = 0, cjk: bool = True) -> ParagraphStyle:
    """A cached paragraph style in our font; Korean wraps tightly, figures at spaces only."""
    key = (size, bold, align, indent, space_before, cjk)
    if key not in _styles:
        register_fonts()
        _styles[key] = ParagraphStyle(
            f"dure{len(_styles)}", fontName=FONT_BOLD if bold else FONT, fontSize=size,
            leading=size * 1.35, alignment=_ALIGN[align], wordWrap="CJK" if cjk else None,
            leftIndent=indent, firstLineIndent=0, spaceBefore=space_before,
        )
    return _styles[key]


def para(text: str, st: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain user text: always escaped (R&D, <b>회사 stay as typed)."""
    return Paragraph(pdf_text(text), st or style())


def _cell_content(cell: Cell | None, part: str, room: float,
                  cmds: list[tuple], at: tuple[int, int]) -> Any:
    """A cell's content: a plain string when every line fits (fast), else a Paragraph.

    reportlab draws a plain str cell literally (no markup), so only cleaning is needed;
    text that would need wrapping becomes an escaped Paragraph with CJK wrapping.
    """
    if cell is None:
        return ""
    bold = part != "body" or cell.bold or cell.kind == "head"
    align = "center" if part == "head" else alignment(cell)
    text = cell_text(cell)
    if len(text) > CELL_MAX:  # one cell taller than a page would stop the layout (LayoutError)
        text = text[:CELL_MAX] + CUT_MARK
    font = FONT_BOLD if bold else FONT
    plain = clean(text)
    if all(stringWidth(line, font, FONT_SIZE) <= room for line in plain.split("\n")):
        cmds.append(("ALIGN", at, at, align.upper()))
        if bold:
            cmds.append(("FONTNAME", at, at, FONT_BOLD))
        return plain
    figures = cell.kind in (*NUMERIC_KINDS, "pair", "area")
    return para(text, style(FONT_SIZE, bold, align, cjk=not figures))


def table_flowables(table: ReportTable, width: float) -> list[Flowable]:
    """Title, unit line, the table (header repeated on each page) and its notes."""
    out: list[Flowable] = [para(table.title, style(11, True)), Spacer(1, 1 * mm)]
    out += intro_flowables(table.intro)
    if table.unit_line:
        out.append(para(table.unit_line, style(8.5, align="right")))
    out.append(grid_table(table, width))
    for note in [*table.notes, *([table.legend] if table.legend else [])]:
        out.append(para(note, style(8.5, space_before=2)))
    out.append(Spacer(1, 5 * mm))
    return out


def intro_flowables(lines: list[str]) -> list[Flowable]:
    """A table's lead-in lines; a line typed with leading spaces is indented under the one above."""
    out: list[Flowable] = []
    for line in lines:
        text = line.lstrip()
        indent = 4 * mm if len(text) < len(line) else 0
        out.append(para(text, style(9, indent=indent, space_before=1)))
    if out:
        out.append(Spacer(1, 1 * mm))
    return out


def grid_table(table: ReportTable, width: float) -> Table:
    """The ReportTable as a bordered reportlab Table with spans and shaded header."""
    register_fonts()  # stringWidth below needs our font's metrics
    total_w = sum(table.widths)
    col_widths = [width * w / total_w for w in table.widths]
    data: list[list[Any]] = []
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
        ("LEADING", (0, 0), (-1, -1), FONT_SIZE * 1.35),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    nh, nb = len(table.header_rows), len(table.body)
    for r, row in enumerate(table.rows):
        part = "head" if r < nh else ("body" if r < nh + nb else "total")
        line: list[Any] = []
        for c, cell in enumerate(row):
            span = cell.colspan if cell is not None else 1
            room = sum(col_widths[c:c + span]) - 6.5  # less the left/right padding
            line.append(_cell_content(cell, part, room, cmds, (c, r)))
        data.append(line)
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if cell.colspan > 1 or cell.rowspan > 1:
                cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            if cell.highlight and part == "body":
                cmds.append(("BACKGROUND", (c, r), (c + cell.colspan - 1, r), WARN_BG))
        if part == "total":
            cmds.append(("BACKGROUND", (0, r), (-1, r), TOTAL_BG))
    if nh:
        cmds.append(("BACKGROUND", (0, 0), (-1, nh - 1), HEAD_BG))
    t = Table(data, colWidths=col_widths, repeatRows=nh, hAlign="CENTER")
    t.setStyle(TableStyle(cmds))
    return t


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
    left = f"출력일 {printed.year}. {printed.month}. {printed.day}." + (f"   {footer}" if footer else "")
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out), pagesize=size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=14 * mm,
        title=title, author="두레", creator="두레", initialFontName=FONT, initialFontSize=9,
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
        from .api import Cancelled

        if self.cancelled():
            raise Cancelled()
        return 0, 0

    def draw(self) -> None:
        pass


def content_width(wide: bool) -> float:
    """Usable width between the margins."""
    return (landscape(A4) if wide else A4)[0] - 2 * MARGIN
