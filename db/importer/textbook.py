"""Files from other systems read like a workbook: HTML and tab-separated '.xls', CSV, legacy .xls.

Government systems often hand out '.xls' files that are really an HTML table or tab-separated
text, and CSV files in CP949. `open_book` looks at the bytes, not the name, and returns an
object with the Workbook interface (sheet_names, rows, scan, formula_cells, close), so the
same mapping, preview and rules apply. A real legacy .xls (OLE2 BIFF) is read with xlrd.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import DureError
from . import workbook as wbk

MAX_TEXT_FILE = 256 << 20  # bytes of an HTML or CSV file (the same bound as one sheet's XML)
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*"
                         rb"<(!doctype\s+html|html|table|meta|head)",
                         re.IGNORECASE | re.DOTALL)


def decode(raw: bytes) -> str:
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, or CP949 (the Korean ANSI)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp949")
    except UnicodeDecodeError:
        return raw.decode("cp949", errors="replace")


class _Tables(HTMLParser):
    """Every <table>'s rows as lists of cell texts (colspan repeated as empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif self._depth == 1 and tag == "tr":
            self._row = []
        elif self._depth == 1 and tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split(" ")).strip())
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "table" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data.replace("\xa0", " "))


class TextBook:
    """Tables read whole from a small text file (HTML or CSV), with the Workbook interface."""

    kind = "text"

    def __init__(self, path: Path, sheets: dict[str, list[list[Any]]]) -> None:
        self.path = path
        self._sheets = sheets
        cells = sum(len(r) for rows in sheets.values() for r in rows)
        if cells > wbk.MAX_CELLS:
            raise DureError(f"'{path.name}'의 칸이 너무 많습니다({wbk.MAX_CELLS:,}칸 초과). "
                            "파일을 나눠서 가져오세요. 아무것도 가져오지 않았습니다.")

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def sheet(self, name: str) -> list[list[Any]]:
        if name not in self._sheets:
            raise DureError(f"'{name}' 시트가 없습니다. 있는 시트: {', '.join(self._sheets)}")
        return self._sheets[name]

    def scan(self, name: str) -> wbk.SheetScan:
        self.sheet(name)
        return wbk.SheetScan()

    def formula_cells(self, name: str) -> set[tuple[int, int]]:
        return set()

    def rows(self, name: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for number, row in enumerate(self.sheet(name), start=1):
            yield number, tuple(None if v == "" else v for v in row)

    def close(self) -> None:
        self._sheets = {}


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_TEXT_FILE:
        raise DureError(f"'{path.name}' 파일이 너무 큽니다({size / (1 << 20):,.0f} MB). "
                        "파일을 나눠서 가져오세요.")
    text = decode(path.read_bytes())
    if "\x00" in text:
        raise DureError(f"'{path.name}'은(는) 읽을 수 있는 표 파일이 아닙니다. {wbk.SAVE_AS_XLSX}")
    return text


def html_book(path: Path) -> TextBook:
    parser = _Tables()
    parser.feed(_read_text(path))
    parser.close()
    tables = [t for t in parser.tables if t]
    if not tables:
        raise DureError(f"'{path.name}'은(는) 웹 페이지(HTML) 형식인데 표가 없습니다. "
                        f"{wbk.SAVE_AS_XLSX}")
    if len(tables) == 1:
        return TextBook(path, {path.stem: tables[0]})
    return TextBook(path, {f"{path.stem} 표{i}": t for i, t in enumerate(tables, start=1)})


def delimited_book(path: Path) -> TextBook:
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return TextBook(path, {path.stem: rows})


def xls_book(path: Path) -> TextBook:
    """A real legacy .xls (BIFF) read with xlrd: numbers, texts and dates as Excel shows them."""
    try:
        # deferred: xlrd loads only when this runs (start-up)
        import xlrd
    except ImportError as exc:
        raise DureError(f"'{path.name}'은(는) 예전 Excel 형식(.xls)입니다. "
                        f"{wbk.SAVE_AS_XLSX}") from exc
    if path.stat().st_size > MAX_TEXT_FILE:
        raise DureError(f"'{path.name}' 파일이 너무 큽니다. 파일을 나눠서 가져오세요.")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:
        raise DureError(f"'{path.name}' 파일을 예전 Excel 형식(.xls)으로 읽을 수 "
                        f"없습니다(손상되었을 수 있습니다). {wbk.SAVE_AS_XLSX}") from exc
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for sh in book.sheets():
            sheets[sh.name] = [[_xls_value(book, sh.cell(r, c)) for c in range(sh.ncols)]
                               for r in range(sh.nrows)]
    finally:
        book.release_resources()
    return TextBook(path, sheets)


def _xls_value(book: Any, cell: Any) -> Any:
    # deferred: xlrd loads only when this runs (start-up)
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError):
            return cell.value
        return value.date() if value.time() == dt.time() else value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return cell.value


def sniff(path: Path) -> str:
    """'xlsx', 'xls', 'html', 'text' or '' (unknown), from the first bytes of the file."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:4] == wbk.ZIP_MAGIC:
        return "xlsx"
    if head[:8] == wbk.OLE_MAGIC:
        return "xls"
    probe = head
    for bom in (b"\xef\xbb\xbf",):
        probe = probe.removeprefix(bom)
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        probe = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _HTML_START.match(probe):
        return "html"
    if _text_like(head):
        return "text"
    return ""


def _text_like(sample: bytes) -> bool:
    """Whether a file's first bytes read as text (a character may be cut at the sample's end)."""
    if not sample or b"\0" in sample.removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff"):
        return False
    text = None
    for cut in range(4):
        try:
            text = sample[:len(sample) - cut].decode("utf-8-sig")
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = sample.decode("cp949", errors="replace")[:-1]
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def open_book(path: str | Path) -> Any:
    """The workbook at `path` by its real format: .xlsx, a legacy .xls, HTML or CSV/TSV text.

    Whatever the name says: government systems hand out '.xls' files that are HTML tables or
    tab-separated text. Every kind has Workbook's interface (sheet_names, rows, scan, close).
    """
    path = Path(path)
    if not path.exists() or path.is_dir() or path.stat().st_size == 0:
        wbk.check_file(path)  # the Korean reason for a missing, folder or empty path
    try:
        kind = sniff(path)
    except OSError as exc:
        raise DureError(f"'{path.name}' 파일을 읽을 수 없습니다: {exc.strerror or exc}") from exc
    if kind == "xls":
        with open(path, "rb") as fh:
            if wbk.is_encrypted(fh.read(1 << 20)):
                wbk.check_file(path)  # the password message
        return xls_book(path)
    if kind == "html":
        return html_book(path)
    if kind == "text":
        return delimited_book(path)
    return wbk.Workbook(path)
