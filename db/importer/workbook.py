"""Reading a workbook safely: file checks, merged cells, formulas without values, streaming rows.

Everything is read in openpyxl's read-only mode with `data_only=True` (cached formula results),
so a large sheet streams instead of loading whole. What openpyxl cannot tell in that mode —
merged ranges and formula cells — is found by scanning the sheet's XML once.
"""

from __future__ import annotations

import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from ..errors import DureError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Rows one import takes. The office's whole history is a few thousand records a year; past this
# an import would hold hundreds of MB of parsed rows and keep the clerk waiting for minutes.
MAX_ROWS = 100_000
# Memory bounds, checked from the zip directory before anything is parsed: a 526 KB file held
# one 512 MiB cell (2.8 GB of memory, 1.6 GB database), a 1 MB file of blank cells used 1.1 GB.
MAX_PART_BYTES = 256 << 20  # one sheet or the shared strings, uncompressed
MAX_BOOK_BYTES = 512 << 20  # the whole workbook, uncompressed
MAX_CELLS = 20_000_000  # cells read (blank ones too) in one import
# The longest text a field holds (db.rules.core.MAX_TEXT characters) as XML bytes at most:
# 6 bytes per character covers 4-byte UTF-8 and entities such as &quot;.
MAX_CELL_BYTES = 6 * 100_000
HEADER_SCAN_ROWS = 10
_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")

UNSAFE_XML = ("안에 외부 참조나 스스로 불어나는 정의(XML 엔터티)가 들어 있어 안전하지 "
              "않으므로 열지 않았습니다. 파일이 손상되었거나 악의적으로 만들어졌을 수 "
              "있습니다. 보낸 사람에게 확인하거나, Excel에서 새 통합 문서에 값만 붙여 넣어 "
              "저장한 뒤 가져오세요.")
SAVE_AS_XLSX = ("Excel에서 파일을 열고 '다른 이름으로 저장' → 'Excel 통합 문서(*.xlsx)'로 저장한 "
                "뒤 다시 가져오세요.")


def column_index(letters: str) -> int:
    """'A' → 1, 'AB' → 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(index: int) -> str:
    """1 → 'A', 28 → 'AB'."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def check_file(path: Path) -> None:
    """Refuse, with a Korean reason, anything that is not a readable .xlsx workbook."""
    if not path.exists():
        raise DureError(f"'{path}' 파일이 없습니다. 경로를 확인하세요.")
    if path.is_dir():
        raise DureError(f"'{path}'은(는) 폴더입니다. 가져올 .xlsx 파일을 고르세요.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if head == OLE_MAGIC:
                fh.seek(0)
                body = fh.read(1 << 20)
    except OSError as exc:
        raise DureError(f"'{path.name}' 파일을 읽을 수 없습니다: {exc.strerror or exc}") from exc
    if not head:
        raise DureError(f"'{path.name}'은(는) 빈 파일입니다. 내용이 있는 .xlsx 파일을 고르세요.")
    if head == OLE_MAGIC:
        if is_encrypted(body):
            raise DureError(
                f"'{path.name}'은(는) 암호가 걸린 통합 문서입니다. "
                "Excel에서 파일 → 정보 → 통합 문서 보호 → '암호 설정'에서 암호를 지우고 저장한 뒤 "
                "다시 가져오세요."
            )
        raise DureError(f"'{path.name}'은(는) 예전 Excel 형식(.xls)입니다. {SAVE_AS_XLSX}")
    if head[:4] != ZIP_MAGIC:
        kind = ("CSV나 텍스트 파일" if _looks_like_text(path)
                else "Excel 통합 문서(.xlsx)가 아닌 파일")
        raise DureError(f"'{path.name}'은(는) {kind}입니다(이름만 .xlsx일 수 "
                        f"있습니다). {SAVE_AS_XLSX}")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip() if path.stat().st_size < (20 << 20) else None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DureError(f"'{path.name}' 파일이 손상되어 열 수 없습니다. {SAVE_AS_XLSX}") from exc
    if "xl/workbook.xml" not in names or bad is not None:
        raise DureError(f"'{path.name}'은(는) Excel 통합 문서(.xlsx)가 아닙니다. {SAVE_AS_XLSX}")


def _mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def check_sizes(path: Path) -> None:
    """Refuse a workbook whose parts would take too much memory, before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [i for i in zf.infolist() if i.filename.endswith(".xml")]
            total = sum(i.file_size for i in parts)
            big = max(parts, key=lambda i: i.file_size, default=None)
            if (big is not None and big.file_size > MAX_PART_BYTES) or total > MAX_BOOK_BYTES:
                raise DureError(
                    f"'{path.name}'은(는) 압축을 풀면 너무 큽니다({_mib(total)}, "
                    f"파일 크기 {_mib(path.stat().st_size)}). 한 번에 가져올 수 있는 것은 시트 "
                    f"하나에 {_mib(MAX_PART_BYTES)}, 통합 문서 전체 "
                    f"{_mib(MAX_BOOK_BYTES)}까지입니다. 빈 칸에 서식만 잔뜩 있거나 아주 긴 글이 든 "
                    "칸이 있는지 확인하고, 필요한 열과 행만 새 통합 문서에 값으로 붙여 넣어 저장한 "
                    "뒤 가져오세요. 아무것도 가져오지 않았습니다.")
            for info in parts:
                if info.filename == "xl/sharedStrings.xml" or info.filename.startswith(
                        "xl/worksheets/"):
                    _check_cell_lengths(path, zf, info.filename)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DureError(f"'{path.name}' 파일이 손상되어 열 수 없습니다. {SAVE_AS_XLSX}") from exc


def _check_cell_lengths(path: Path, zf: zipfile.ZipFile, member: str) -> None:
    """Refuse a cell longer than any field holds: the longest run of XML bytes without a tag."""
    run = 0
    with zf.open(member) as src:
        while chunk := src.read(1 << 20):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                run += len(chunk)
            else:
                run += len(pieces[0])
                longest = max(run, max(map(len, pieces[1:-1]), default=0))
                if longest > MAX_CELL_BYTES:
                    run = longest
                    break
                run = len(pieces[-1])
            if run > MAX_CELL_BYTES:
                break
    if run > MAX_CELL_BYTES:
        raise DureError(
            f"'{path.name}'에 한 칸에 든 글이 너무 긴 칸이 있습니다(약 {_mib(run)} 이상). "
            "두레의 한 항목에는 100,000자까지 넣을 수 있습니다. "
            "그 칸의 내용을 줄이거나 지운 뒤 다시 가져오세요. 아무것도 가져오지 않았습니다.")


def is_encrypted(body: bytes) -> bool:
    """An OLE2 file holding a password-protected workbook (Excel's encrypted .xlsx)."""
    return any(name.encode("utf-16-le") in body for name in ("EncryptedPackage", "EncryptionInfo"))


def _looks_like_text(path: Path) -> bool:
    with open(path, "rb") as fh:
        sample = fh.read(4096)
    for enc in ("utf-8", "cp949"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


@dataclass
class SheetScan:
    """What the XML says that read-only openpyxl does not: merged ranges, formula presence."""

    merged: list[str] = field(default_factory=list)
    has_formulas: bool = False


def scan_sheet_xml(archive: zipfile.ZipFile, member: str) -> SheetScan:
    """Stream a sheet's XML once for <mergeCell> ranges and <f> formula elements."""
    out = SheetScan()
    tail = b""
    with archive.open(member) as src:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            if not out.has_formulas and (b"<f>" in data or b"<f " in data or b"<f/>" in data):
                out.has_formulas = True
            tail = data[-200:]
            if b"<mergeCell" in data:
                out.merged += [m.decode() for m in _MERGE_REF.findall(data)]
    out.merged = list(dict.fromkeys(out.merged))  # overlapping chunks may repeat one
    return out


def merged_in_rows(ranges: list[str], first_row: int) -> list[str]:
    """The merged ranges that reach row `first_row` or below (the data area)."""
    out = []
    for ref in ranges:
        last = ref.split(":")[-1]
        m = _CELL_REF.fullmatch(last)
        if m and int(m.group(2)) >= first_row:
            out.append(ref)
    return out


_unsized = threading.local()


def _install_lazy_size() -> None:
    """Let our loads skip openpyxl's sizing pass (only ours: a thread-local flag).

    Opening a read-only sheet that has no <dimension> element (openpyxl's own write-only files,
    so every Dure export) makes openpyxl parse the whole sheet just to size it — for every sheet
    of the workbook, before a row is read. The importer never asks for the size.
    """
    # deferred: openpyxl loads only when this runs (start-up)
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet._get_size
    if getattr(original, "_dure_lazy", False):
        return

    def _get_size(self: Any) -> None:
        if not getattr(_unsized, "on", False):
            original(self)

    _get_size._dure_lazy = True  # type: ignore[attr-defined]
    ReadOnlyWorksheet._get_size = _get_size


def load_unsized(path: Path, data_only: bool) -> Any:
    """openpyxl's read-only workbook without the sizing pass (rows come as they are stored)."""
    # deferred: openpyxl loads only when this runs (start-up)
    from openpyxl import load_workbook

    _install_lazy_size()
    _unsized.on = True
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    finally:
        _unsized.on = False


def _xml_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a damaged or hostile sheet XML raises while it is parsed."""
    found: list[type[BaseException]] = [ParseError]
    try:
        # deferred: defusedxml loads only when this runs (start-up)
        from defusedxml import DefusedXmlException

        found.append(DefusedXmlException)
    except ImportError:
        pass
    try:
        # deferred: lxml loads only when this runs (start-up)
        from lxml.etree import LxmlError

        found.append(LxmlError)
    except ImportError:
        pass
    return tuple(found)


def unreadable(path: Path, exc: BaseException) -> DureError:
    """The Korean refusal for a sheet whose XML cannot (or must not) be parsed."""
    name = type(exc).__name__
    if "Forbidden" in name or "Entit" in name or "DTD" in name:
        return DureError(f"'{path.name}' 파일 {UNSAFE_XML}")
    return DureError(f"'{path.name}' 파일이 손상되어 읽을 수 없습니다(시트의 XML이 깨져 있습니다). "
                     f"{SAVE_AS_XLSX}")


class Workbook:
    """An open workbook in read-only mode, with the sheet-XML scans it needs."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        check_file(self.path)
        check_sizes(self.path)
        self.cells_read = 0
        try:
            self.book = load_unsized(self.path, data_only=True)
        except _xml_errors() as exc:
            raise unreadable(self.path, exc) from exc
        except Exception as exc:
            raise DureError(f"'{self.path.name}' 파일을 Excel 통합 문서로 읽을 수 없습니다 "
                            f"({exc}). {SAVE_AS_XLSX}") from exc
        self._formula_book: Any = None

    @property
    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def sheet(self, name: str) -> Any:
        if name not in self.book.sheetnames:
            raise DureError(f"'{name}' 시트가 없습니다. 있는 시트: "
                            f"{', '.join(self.book.sheetnames)}")
        ws = self.book[name]
        if not hasattr(ws, "_worksheet_path"):
            raise DureError(f"'{name}'은(는) 차트 시트라 가져올 수 없습니다. "
                            "표가 있는 시트를 고르세요.")
        return ws

    def scan(self, name: str) -> SheetScan:
        ws = self.sheet(name)
        return scan_sheet_xml(self.book._archive, ws._worksheet_path)

    def formula_cells(self, name: str) -> set[tuple[int, int]]:
        """(row, column) of every formula cell of a sheet (a second read without data_only)."""
        out = set()
        try:
            if self._formula_book is None:
                self._formula_book = load_unsized(self.path, data_only=False)
            for row in self._formula_book[name].iter_rows():
                for cell in row:
                    v = getattr(cell, "value", None)
                    if isinstance(v, str) and v.startswith("=") \
                            and getattr(cell, "data_type", "") == "f":
                        out.add((cell.row, cell.column))
        except _xml_errors() as exc:
            raise unreadable(self.path, exc) from exc
        return out

    def rows(self, name: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(Excel row number, cell values) for every row from row 1, empty rows included."""
        ws = self.sheet(name)
        try:
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                self.cells_read += len(values)
                if self.cells_read > MAX_CELLS:
                    raise DureError(
                        f"'{self.path.name}'의 칸(빈 칸 포함)이 너무 많습니다({MAX_CELLS:,}칸 "
                        "초과). 쓰지 않는 행과 열에 서식만 남아 있을 수 있습니다. "
                        "필요한 범위만 새 통합 문서에 값으로 붙여 넣어 저장한 뒤 가져오세요. "
                        "아무것도 가져오지 않았습니다.")
                yield number, values
        except _xml_errors() as exc:
            raise unreadable(self.path, exc) from exc

    def close(self) -> None:
        self.book.close()
        if self._formula_book is not None:
            self._formula_book.close()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def find_header(rows: list[tuple[int, tuple[Any, ...]]]) -> int | None:
    """Index (in `rows`) of the header row: the first of the fullest rows among the first few.

    A title line above the table ("2021년 지급 내역") has one filled cell and is skipped.
    """
    best, best_count = None, 1
    for i, (_n, values) in enumerate(rows[:HEADER_SCAN_ROWS]):
        count = sum(1 for v in values if isinstance(v, str) and v.strip())
        if count > best_count:
            best, best_count = i, count
    if best is None:
        for i, (_n, values) in enumerate(rows[:HEADER_SCAN_ROWS]):
            if any(isinstance(v, str) and v.strip() for v in values):
                return i
    return best
