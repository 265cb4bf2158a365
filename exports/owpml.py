"""HWPX (OWPML, KS X 6101) renderer of the table layer, on python-hwpx (import name `hwpx`).

The module is not called `hwpx` so it can never shadow the library. One `HwpxWriter` holds a
document: A4 with the margins of a 공문서, 함초롬바탕 text and 함초롬돋움 tables (the faces 한글
names and a Korean office PC has), page numbers in the footer. Paragraph and character shapes
are made once per look and then referred to by id, so a long report stays fast.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zipfile import ZipFile

from hwpx import HwpxDocument
from hwpx.oxml.table import HwpxOxmlTable
from lxml import etree

from db import images
from db.safe_text import clean

from .table_model import Cell, ReportTable, alignment, cell_text

# 행정업무 규정의 용지 여백: 위 30 mm, 아래 15 mm, 왼쪽 20 mm, 오른쪽 15 mm. 한글 measures the
# body from the header/footer bands, so the bands are taken out of the top and bottom.
MARGINS_MM = {"left": 20.0, "right": 15.0, "top": 20.0, "bottom": 5.0, "header": 10.0,
              "footer": 10.0}
TEXT_FONT = "함초롬바탕"
TABLE_FONT = "함초롬돋움"
HEAD_FILL = "#D9D9D9"
TOTAL_FILL = "#F2F2F2"
WARN_FILL = "#FFF2CC"
LINE = "#000000"
UNIT_PER_MM = 7200 / 25.4  # HWPUNIT: 1/7200 inch
A4_MM = (210.0, 297.0)
LINE_SPACING = 160  # 한글's default 줄 간격 (%)
SECTION_PART = "Contents/section0.xml"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
PICTURE_MM = (28.0, 28.0)  # an image cell's picture at most (as the PDF: exports/pdf_grid.py)
CELL_MARGIN_UNITS = 1020  # left + right inner margins of a cell (2 × 510 HWPUNIT)
_ALIGN = {"left": "LEFT", "center": "CENTER", "right": "RIGHT", "justify": "JUSTIFY"}


def text_of(value: str) -> str:
    """User text as a text node takes it: control characters, U+FFFE/F and lone surrogates out.

    lxml escapes `<`, `&` and `]]>` itself when it writes a text node, so nothing typed can
    become markup; what it cannot hold at all (control characters) is removed here.
    """
    return clean(value).replace("\r\n", "\n").replace("\r", "\n")


class Shapes:
    """Builds hp:p and hp:tbl elements from the table layer, given where shapes come from.

    Subclasses say which charPr, paraPr and borderFill ids a look uses: a new document makes
    them (HwpxWriter), an office's form lends its own (exports/owpml_form.py).
    """

    _prototype: dict[str, dict[str, str]] | None = None

    def char(self, size: float = 10, bold: bool = False, font: str = TEXT_FONT) -> str:
        raise NotImplementedError

    def para_shape(self, align: str, indent_mm: float, before_pt: float) -> str:
        raise NotImplementedError

    def fill(self, color: str | None) -> str:
        raise NotImplementedError

    def picture(self, tc: Any, data: bytes, width: int) -> None:
        """An image cell's picture in the cell's first paragraph (`width`: the cell, HWPUNIT).

        Without a document to embed it in (an office's form being filled) the cell stays
        blank."""

    @staticmethod
    def picture_size(data: bytes, width: int) -> tuple[int, int] | None:
        """The picture's size in HWPUNIT: at most PICTURE_MM and the cell, aspect kept."""
        dims = images.dimensions(data)
        if dims is None:
            return None
        room_w = min(Shapes.units(PICTURE_MM[0]), width - CELL_MARGIN_UNITS)
        scale = min(room_w / dims[0], Shapes.units(PICTURE_MM[1]) / dims[1])
        return max(1, round(dims[0] * scale)), max(1, round(dims[1] * scale))

    def cell_paragraphs(self, cell: Any, text: str, *, size: float = 9, bold: bool = False,
                        align: str = "left", indent_mm: float = 0.0, font: str = TABLE_FONT,
                        replace: bool = False) -> None:
        """Lines of text in a table cell (an hp:tc element); `replace` empties it first."""
        sub = cell.find(f"{HP}subList")
        if replace:
            for p in sub.findall(f"{HP}p"):
                sub.remove(p)
        char, shape = self.char(size, bold, font), self.para_shape(align, indent_mm, 0.0)
        for line in text_of(text).split("\n"):
            self._p(sub, line, shape, char)

    @staticmethod
    def _p(parent: Any, line: str, shape: str, char: str) -> Any:
        p = etree.SubElement(parent, f"{HP}p", {
            "id": _new_id(), "paraPrIDRef": shape, "styleIDRef": "0", "pageBreak": "0",
            "columnBreak": "0", "merged": "0"})
        run = etree.SubElement(p, f"{HP}run", {"charPrIDRef": char})
        etree.SubElement(run, f"{HP}t").text = line
        return p

    def nested_table(self, cell: Any, table: ReportTable, width_mm: float) -> None:
        """A sub-table inside a cell of the report's main table (it moves whole to a page).

        Only the grid, as the PDF report draws its sub-tables (exports/report.py).
        """
        sub = cell.find(f"{HP}subList")
        p = self._p(sub, "", self.para_shape("left", 0.0, 0.0), "0")
        run = p.find(f"{HP}run")
        run.remove(run.find(f"{HP}t"))
        run.append(self.grid(table, width_mm))

    def grid(self, table: ReportTable, width_mm: float) -> Any:
        """The ReportTable as an hp:tbl: spans as cell spans, header rows marked and repeated.

        Built straight in lxml from the attributes python-hwpx gives a new table (one
        prototype per document): covered positions get no hp:tc, as 한글 writes merged cells.
        """
        proto = self._proto()
        total = self.units(width_mm)
        weights = table.widths
        cols = _split(total, weights)
        row_h = int(proto["cellSz"]["height"])
        nh, nb = len(table.header_rows), len(table.body)
        rows = table.rows
        tbl = etree.Element(f"{HP}tbl", {
            **proto["tbl"], "id": _new_id(), "rowCnt": str(len(rows)),
            "colCnt": str(table.ncols), "borderFillIDRef": self.fill(None),
            "repeatHeader": "1" if nh else "0"})  # 제목 행 반복: no API, the attribute 한글 writes
        etree.SubElement(tbl, f"{HP}sz", {**proto["sz"], "width": str(sum(cols)),
                                         "height": str(row_h * len(rows))})
        for name in ("pos", "outMargin", "inMargin"):
            etree.SubElement(tbl, f"{HP}{name}", proto[name])
        for r, row in enumerate(rows):
            part = "head" if r < nh else ("body" if r < nh + nb else "total")
            tr = etree.SubElement(tbl, f"{HP}tr")
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                tc = etree.SubElement(tr, f"{HP}tc", {
                    **proto["tc"], "header": "1" if part == "head" else "0",
                    "borderFillIDRef": self.fill(_color(cell, part))})
                etree.SubElement(tc, f"{HP}subList", proto["subList"])
                self._fill_cell(tc, cell, part)
                if cell.kind == "image" and cell.value:
                    self.picture(tc, bytes(cell.value), sum(cols[c:c + cell.colspan]))
                etree.SubElement(tc, f"{HP}cellAddr", {"colAddr": str(c), "rowAddr": str(r)})
                etree.SubElement(tc, f"{HP}cellSpan", {"colSpan": str(cell.colspan),
                                                       "rowSpan": str(cell.rowspan)})
                etree.SubElement(tc, f"{HP}cellSz", {
                    "width": str(sum(cols[c:c + cell.colspan])),
                    "height": str(row_h * cell.rowspan)})
                etree.SubElement(tc, f"{HP}cellMargin", proto["cellMargin"])
        return tbl

    def _proto(self) -> dict[str, dict[str, str]]:
        """Attributes of each element of a new python-hwpx table (taken once)."""
        if self._prototype is None:
            el = HwpxOxmlTable.create(1, 1, width=7200, border_fill_id_ref=self.fill(None))
            found = {_local(e): dict(e.attrib) for e in el.iter()}
            found["tbl"] = dict(el.attrib)
            self._prototype = found
        return self._prototype

    def _fill_cell(self, tc: Any, cell: Cell, part: str) -> None:
        bold = part != "body" or cell.bold or cell.kind == "head"
        align = "center" if part == "head" else alignment(cell)
        self.cell_paragraphs(tc, cell_text(cell), size=9, bold=bold, align=align)

    @staticmethod
    def units(mm: float) -> int:
        return round(mm * UNIT_PER_MM)


class HwpxWriter(Shapes):
    """One HWPX document being written: paragraphs, ReportTables, footer, save."""

    def __init__(self, *, landscape: bool = False, footer: str = "") -> None:
        self.doc = HwpxDocument.new()
        self.landscape = landscape
        self.doc.page.setup(
            paper_size="A4", orientation="landscape" if landscape else "portrait",
            margin_left_mm=MARGINS_MM["left"], margin_right_mm=MARGINS_MM["right"],
            margin_top_mm=MARGINS_MM["top"], margin_bottom_mm=MARGINS_MM["bottom"],
            header_margin_mm=MARGINS_MM["header"], footer_margin_mm=MARGINS_MM["footer"])
        for face in (TEXT_FONT, TABLE_FONT):
            self.doc.styles.ensure_font(face)
        self._chars: dict[tuple, str] = {}
        self._paras: dict[tuple, str] = {}
        self._fills: dict[str | None, str] = {}
        self._images: dict[bytes, str] = {}  # image bytes → its BinData item (embedded once)
        self._first = True  # the skeleton's first paragraph (with the section setup) is empty
        self._scratch: Any = None  # a paragraph that takes each new paraPr, removed on save
        # Every paragraph after the first is built here and joined to the section on save.
        # Only the section's and the paragraph namespace, under the prefixes the saved part
        # declares, so the body's bytes can be spliced into it as they are (_with_body).
        section = self.doc.sections[0].element
        self._body = etree.Element(section.tag, nsmap={
            "hs": etree.QName(section).namespace, "hp": HP[1:-1]})
        self._footer(footer)

    # ------------------------------------------------------------ page

    @property
    def width_mm(self) -> float:
        """Width between the left and right margins."""
        paper = A4_MM[1] if self.landscape else A4_MM[0]
        return paper - MARGINS_MM["left"] - MARGINS_MM["right"]

    def _footer(self, text: str) -> None:
        """'출력일 … 제목   3 / 12' at the foot of every page (한글 fills in the numbers)."""
        children: list[dict[str, Any]] = []
        if text:
            children.append({"type": "run", "text": text_of(text) + "    ", "font": TABLE_FONT,
                             "size": 8})
        children.append({"page_number": "page/total"})
        self.doc.page.set_footer(content=[{"align": "RIGHT", "children": children}])

    # ------------------------------------------------------------ shapes

    def char(self, size: float = 10, bold: bool = False, font: str = TEXT_FONT) -> str:
        """The charPr id of a look (made once)."""
        key = (size, bold, font)
        if key not in self._chars:
            self._chars[key] = self.doc.styles.ensure_run(size=size, bold=bold, font=font)
        return self._chars[key]

    def fill(self, color: str | None) -> str:
        """A borderFill with thin black lines on four sides, shaded with `color`."""
        if color not in self._fills:
            self._fills[color] = self.doc.styles.ensure_border_fill(
                border_color=LINE, border_width="0.12 mm", fill_color=color)
        return self._fills[color]

    def para_shape(self, align: str, indent_mm: float, before_pt: float) -> str:
        """The paraPr id of a look: made by python-hwpx on a scratch paragraph, then reused."""
        key = (align, indent_mm, before_pt)
        if key not in self._paras:
            if self._scratch is None:
                self._scratch = self.doc.add_paragraph("", inherit_style=False)
            self.doc.styles.apply_paragraph_format(
                paragraphs=[self._scratch], alignment=_ALIGN[align], indent_left_mm=indent_mm,
                spacing_before_pt=before_pt, line_spacing_percent=LINE_SPACING)
            self._paras[key] = self._scratch.element.get("paraPrIDRef")
        return self._paras[key]

    def picture(self, tc: Any, data: bytes, width: int) -> None:
        """Embed the image once (BinData) and place it in the cell, 글자처럼 취급."""
        size = self.picture_size(data, width)
        fmt = images.image_format(data)
        if size is None or fmt is None:
            return
        item = self._images.get(data)
        if item is None:
            item = self._images[data] = str(self.doc.media.add_image(
                data, "png" if fmt == "png" else "jpg"))
        if self._scratch is None:
            self._scratch = self.doc.add_paragraph("", inherit_style=False)
        # python-hwpx builds the hp:pic on the scratch paragraph; it moves into the cell
        pic = self._scratch.add_picture(item, width=size[0], height=size[1]).element
        holder = pic.getparent()
        holder.remove(pic)
        holder.getparent().remove(holder)
        run = tc.find(f"{HP}subList").find(f"{HP}p").find(f"{HP}run")
        for t in run.findall(f"{HP}t"):
            run.remove(t)
        run.append(pic)

    # ------------------------------------------------------------ body

    def paragraph(self, text: str, *, size: float = 10, bold: bool = False,
                  align: str = "left", indent_mm: float = 0.0, before_pt: float = 0.0,
                  font: str = TEXT_FONT) -> None:
        """Body paragraphs: one per line of `text`."""
        for line in text_of(text).split("\n"):
            if self._first:
                p = self.doc.paragraphs[0]
                p.text = line
                for run in p.element.iter("{*}run"):
                    run.set("charPrIDRef", self.char(size, bold, font))
                self._first = False
                p.element.set("paraPrIDRef", self.para_shape(align, indent_mm, before_pt))
            else:
                self._p(self._body, line, self.para_shape(align, indent_mm, before_pt),
                        self.char(size, bold, font))

    def table(self, table: ReportTable, *, title: bool = True) -> None:
        """A ReportTable with its title, lead-in lines, 단위 line and notes, as the PDF draws it."""
        if title and table.title:
            self.paragraph(table.title, size=12, bold=True, before_pt=8, font=TABLE_FONT)
        for line in table.intro:
            text = line.lstrip()
            self.paragraph(text, size=9.5, indent_mm=4.0 if len(text) < len(line) else 0.0)
        if table.unit_line:
            self.paragraph(table.unit_line, size=9, align="right", font=TABLE_FONT)
        self.place(self.grid(table, self.width_mm), flowing=True)
        for note in [*table.notes, *([table.legend] if table.legend else [])]:
            self.paragraph(note, size=9)

    def place(self, tbl: Any, *, flowing: bool) -> None:
        """Put a built hp:tbl in a paragraph of its own in the body.

        A flowing table (not 글자처럼 취급) breaks across pages with its header rows repeated.
        """
        p = self._p(self._body, "", self.para_shape("left", 0.0, 0.0), "0")
        self._first = False
        run = p.find(f"{HP}run")
        run.remove(run.find(f"{HP}t"))
        run.append(tbl)
        if flowing:
            tbl.find(f"{HP}pos").set("treatAsChar", "0")

    # ------------------------------------------------------------ output

    def save(self, path: Path) -> None:
        """Write the package to `path` (the caller's temporary file)."""
        Path(path).write_bytes(self.to_bytes())

    def to_bytes(self) -> bytes:
        """The HWPX package: python-hwpx writes it, the body is spliced in with lxml.

        python-hwpx's own save serializes with a pure-Python writer and re-checks the whole
        archive: 5-10 s for the 2021 하반기 report of the 100,000-record database (36,000
        elements). So the library saves the document holding its first paragraph only (header,
        styles, page, footer: its checks pass on that), and the other paragraphs, built with
        the attributes python-hwpx gives them, are appended to that section part with lxml.
        The tests run the library's full validation on every kind of file this writes.
        """
        if self._scratch is not None:
            self._scratch.element.getparent().remove(self._scratch.element)
            self._scratch = None
        small = self.doc.to_bytes()
        out = io.BytesIO()
        with ZipFile(io.BytesIO(small)) as zin, ZipFile(out, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == SECTION_PART:
                    data = _with_body(data, self._body)
                zout.writestr(info, data)
        return out.getvalue()


def _with_body(section_xml: bytes, body: Any) -> bytes:
    """The section part as python-hwpx wrote it, with the body paragraphs appended.

    The body is serialized once and its inner bytes go before the part's closing tag: moving
    36,000 elements into the parsed part and writing it again took a third of the export.
    That is only right when the part declares the body's prefixes with the same names, which
    is checked; otherwise the elements are moved into the parsed part.
    """
    if not len(body):
        return section_xml
    root = etree.fromstring(section_xml)
    if all(root.nsmap.get(k) == v for k, v in body.nsmap.items()):
        inner = etree.tostring(body, encoding="UTF-8")
        inner = inner[inner.index(b">") + 1:inner.rindex(b"</")]
        end = section_xml.rindex(b"</")
        return section_xml[:end] + inner + section_xml[end:]
    root.extend(list(body))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)


def _new_id() -> str:
    return str(secrets.randbits(31))


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` HWPUNITs shared out by weight; the last column takes the rounding."""
    out, used, whole = [], 0, sum(weights) or 1
    for w in weights[:-1]:
        out.append(round(total * w / whole))
        used += out[-1]
    return [*out, total - used]


def _color(cell: Cell, part: str) -> str | None:
    if part == "head":
        return HEAD_FILL
    if cell.highlight and part == "body":
        return WARN_FILL
    return TOTAL_FILL if part == "total" else None


def tables_document(writer: HwpxWriter, title: str, subtitle: str,
                    tables: Iterable[ReportTable], empty: str = "") -> HwpxWriter:
    """A title block, then each table with its title (the roster and yearly-tables layout)."""
    writer.paragraph(title, size=16, bold=True, align="center", font=TABLE_FONT)
    writer.paragraph(subtitle, size=10, align="right")
    count = 0
    for t in tables:
        writer.table(t)
        count += 1
    if not count and empty:
        writer.paragraph(empty, size=10)
    return writer
