"""The office's own report form (양식, .hwpx) filled with the report's lines and tables.

A place is a table cell whose label says what goes beside it ("하반기 추진 실적", "추진 계획",
…) or a `{{…}}` placeholder. The section XML is edited as bytes: only a place's bytes are
replaced (and the stale line layout of an edited paragraph dropped), so the rest of the form,
every other part of the package and each part's ZIP entry stay exactly as they were. The
generated text takes the form's own character and paragraph shapes, so header.xml is not
touched either; indents are spaces, as a form's own lines usually are.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from db import formats as f
from db.errors import DureError

from . import report_lines as lines
from .assemble import pledge_name
from .owpml import HP, Shapes, text_of
from .owpml_docs import INDENT_MM, body_into_cell
from .report import ReportData, boxed_tables, sections
from .report_lines import Body
from .table_model import ReportTable

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
MIMETYPE = b"application/hwp+zip"


@dataclass
class Place:
    """One thing Dure can put into a form: lines and tables, or a short text."""

    name: str
    aliases: tuple[str, ...]
    body: Body | None = None
    table: ReportTable | None = None
    text: str | None = None


@dataclass
class FillResult:
    """The filled package and what happened to each place, for the clerk."""

    form: Path
    payload: bytes
    filled: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def message(self) -> str:
        """Korean: which places were filled and which the form lacks."""
        parts = [f"양식 '{self.form.name}'에 채운 곳: {', '.join(self.filled)}."]
        if self.missing:
            parts.append(f"양식에 없어 채우지 못한 곳: {', '.join(self.missing)}.")
        if self.unknown:
            shown = ", ".join("{{" + u + "}}" for u in self.unknown)
            parts.append(f"두레가 모르는 자리라 그대로 둔 곳: {shown}.")
        return " ".join(parts)


def places(data: ReportData, today: dt.date | None = None) -> list[Place]:
    """Every place a form may hold, in the report's order, with the names it may go by."""
    s = data.settings
    rows = sections(data)  # the report's own rows: each half-year's results, then the plans
    out = []
    for row, (label, body) in zip(data.rows, rows[:-1], strict=True):
        p = row.figures.period
        short = label.split("\n")[0]  # 하반기 추진 실적 (the whole document: one per half-year)
        long = f"{p.year}년 {short}" if p.kind == "half" else short
        alone = len(data.rows) == 1
        out.append(Place(short if alone else long,
                         (short, long, "추진 실적") if alone else (long,), body=body))
    out.append(Place("추진 계획", ("추진 계획", "향후 추진 계획"), body=rows[-1][1]))
    for heading, table in boxed_tables(data):
        name = heading.lstrip("□ ").strip()
        out.append(Place(name, (name, name.split("(")[0]), table=table))
    out += [
        Place("문제점 및 개선대책", ("문제점 및 개선대책",),
              body=lines.problems_body(data.problems)),
        Place("기준일", ("기준일",), text=f.report_date(data.as_of, weekday=False)),
        Place("보고 기간", ("보고 기간", "기간"), text=data.period_label),
        Place("기관명", ("기관명", "부서"), text=s.display_office),
        Place("공약명", ("공약명",), text=pledge_name(s)),
        Place("작성일", ("작성일",),
              text=f.report_date(today or dt.date.today(), weekday=False)),
    ]
    return out


def _key(text: str) -> str:
    """A label as compared: no spaces, no trailing '(…)', no ':'."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\(.*\)$", "", text)
    return text.rstrip(":：")


class FormShapes(Shapes):
    """Shapes lent by the form: its character shape, a right/centre paragraph shape if the
    form has one, the cell's own borders for a sub-table."""

    def __init__(self, char: str, para: str, fill: str, aligned: dict[str, str]) -> None:
        self._char, self._para, self._fill, self._aligned = char, para, fill, aligned

    def char(self, size: float = 10, bold: bool = False, font: str = "") -> str:
        return self._char

    def para_shape(self, align: str, indent_mm: float, before_pt: float) -> str:
        return self._aligned.get(align, self._para) if align != "left" else self._para

    def fill(self, color: str | None) -> str:
        return self._fill

    def cell_paragraphs(self, cell: Any, text: str, *, indent_mm: float = 0.0,
                        replace: bool = False, **look: Any) -> None:
        spaces = " " * (2 * round(indent_mm / INDENT_MM))
        super().cell_paragraphs(cell, "\n".join(spaces + line for line in text.split("\n")),
                                replace=replace, **look)


def fill_form(form: Path, data: ReportData, today: dt.date | None = None) -> FillResult:
    """The form with every place it has filled; the package otherwise as it was."""
    entries = _read(form)
    header = next((d for i, d in entries if i.filename == "Contents/header.xml"), b"")
    aligned = _aligned_shapes(header)
    wanted = places(data, today)
    result = FillResult(form, b"")
    found: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info, payload in entries:
            if re.fullmatch(r"Contents/section\d+\.xml", info.filename):
                payload = _fill_section(payload, wanted, aligned, found, result.unknown)
            z.writestr(info, payload)
    if not found:
        names = ", ".join(f"'{p.aliases[0]}'" for p in wanted[:4])
        raise DureError(
            f"양식 '{form.name}'에서 채울 곳을 찾지 못했습니다. 표의 왼쪽 칸에 {names} 같은 "
            "이름을 쓰거나, 넣을 자리에 {{추진 실적}}처럼 적은 양식을 고르세요.")
    result.payload = out.getvalue()
    result.filled = [p.name for p in wanted if p.name in found]
    result.missing = [p.name for p in wanted if p.name not in found]
    return result


def _read(form: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every ZIP entry of the form, refused with a Korean message when it is not an HWPX."""
    if not form.is_file():
        raise DureError(f"양식 파일 '{form}'이(가) 없습니다. 설정이나 --template의 경로를 "
                        "확인하세요.")
    try:
        with zipfile.ZipFile(form) as z:
            entries = [(i, z.read(i.filename)) for i in z.infolist()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise DureError(f"양식 '{form.name}'을(를) 읽지 못했습니다: 한글 HWPX(.hwpx) 파일이 "
                        "아닙니다. 한글에서 'HWPX'로 저장한 양식을 고르세요.") from exc
    if not entries or entries[0][0].filename != "mimetype" or entries[0][1].strip() != MIMETYPE:
        raise DureError(f"양식 '{form.name}'은(는) HWPX 문서가 아닙니다. 한글에서 .hwpx로 "
                        "저장한 양식을 고르세요(.hwp는 쓸 수 없습니다).")
    return entries


def _aligned_shapes(header: bytes) -> dict[str, str]:
    """A paraPr id of the form per horizontal alignment (right for figures, centre for heads)."""
    out: dict[str, str] = {}
    if not header:
        return out
    for para in etree.fromstring(header).iter("{*}paraPr"):
        align = para.find("{*}align")
        if align is not None:
            out.setdefault(align.get("horizontal", "").lower(), para.get("id", "0"))
    return out


def _spans(xml: bytes, tag: bytes) -> list[tuple[int, int]]:
    """(start, end) of every hp:<tag> element, in document order (nesting counted)."""
    opens = [m.start() for m in re.finditer(rb"<hp:" + tag + rb"(?=[\s>/])", xml)]
    out = []
    for start in opens:
        depth, pos = 0, start
        pattern = re.compile(rb"<hp:" + tag + rb"(?=[\s>/])[^>]*?(/?)>|</hp:" + tag + rb">")
        for m in pattern.finditer(xml, pos):
            if m.group(0).startswith(b"</"):
                depth -= 1
            elif m.group(1) != b"/":
                depth += 1
            elif depth == 0:  # <hp:tag/> with nothing inside
                out.append((start, m.end()))
                break
            if depth == 0:
                out.append((start, m.end()))
                break
    return out


def _fill_section(xml: bytes, wanted: list[Place], aligned: dict[str, str],
                  found: set[str], unknown: list[str]) -> bytes:
    root = etree.fromstring(xml)
    nsmap = root.nsmap
    by_alias = {_key(a): p for p in wanted for a in p.aliases}
    edits: list[tuple[int, int, bytes]] = []
    tc_spans, tcs = _spans(xml, b"tc"), list(root.iter(f"{HP}tc"))
    p_spans, ps = _spans(xml, b"p"), list(root.iter(f"{HP}p"))
    if len(tc_spans) != len(tcs) or len(p_spans) != len(ps):
        raise DureError("양식의 본문을 읽지 못했습니다(한글에서 다시 저장한 뒤 고르세요).")
    index = {id(el): i for i, el in enumerate(tcs)}
    for label in tcs:
        place = by_alias.get(_key(_own_text(label)))
        target = _right_of(label) if place is not None else None
        if target is None or place is None or place.name in found:
            continue
        start, end = tc_spans[index[id(target)]]
        if any(s <= start < e for s, e, _ in edits):
            continue
        edits.append((start, end, _filled_cell(xml[start:end], target, place, aligned, nsmap)))
        found.add(place.name)
    for el, (start, end) in zip(ps, p_spans, strict=True):
        if any(s <= start < e for s, e, _ in edits):
            continue
        m = PLACEHOLDER.fullmatch(_own_text(el).strip())
        place = by_alias.get(_key(m.group(1))) if m else None
        if place is None or (place.text is not None):
            continue
        edits.append((start, end, _block(el, place, aligned, nsmap, root)))
        found.add(place.name)
    for start, end, new in sorted(edits, reverse=True):
        xml = xml[:start] + new + xml[end:]
    return _fill_inline(xml, by_alias, found, unknown)


def _own_text(el: Any) -> str:
    """A cell's or paragraph's text, without that of tables inside it."""
    out = []
    for t in el.iter(f"{HP}t"):
        node, inner = t.getparent(), False
        while node is not None and node is not el:
            inner = inner or etree.QName(node).localname == "tbl"
            node = node.getparent()
        if not inner:
            out.append("".join(t.itertext()))
    return "".join(out)


def _right_of(label: Any) -> Any | None:
    """The cell that starts right after `label` in its row."""
    addr, span = label.find(f"{HP}cellAddr"), label.find(f"{HP}cellSpan")
    col = int(addr.get("colAddr")) + int(span.get("colSpan", "1"))
    for tc in label.getparent().findall(f"{HP}tc"):
        if int(tc.find(f"{HP}cellAddr").get("colAddr")) == col:
            return tc
    return None


def _shapes_of(el: Any, aligned: dict[str, str], fill: str) -> FormShapes:
    p = next(el.iter(f"{HP}p"), None)
    run = next(el.iter(f"{HP}run"), None)
    return FormShapes(run.get("charPrIDRef", "0") if run is not None else "0",
                      p.get("paraPrIDRef", "0") if p is not None else "0", fill, aligned)


def _filled_cell(old: bytes, tc: Any, place: Place, aligned: dict[str, str],
                 nsmap: dict) -> bytes:
    """The cell's bytes with its paragraphs replaced by the place's lines and tables."""
    shapes = _shapes_of(tc, aligned, tc.get("borderFillIDRef", "0"))
    holder = etree.Element(f"{HP}tc", nsmap=nsmap)
    etree.SubElement(holder, f"{HP}subList")
    margin = tc.find(f"{HP}cellMargin")
    pad = sum(int(margin.get(k, "0")) for k in ("left", "right")) if margin is not None else 0
    width_mm = (int(tc.find(f"{HP}cellSz").get("width")) - pad) / 7200 * 25.4
    _content(shapes, holder, place, width_mm)
    inner = _inner(holder.find(f"{HP}subList"), nsmap)
    first, last = _spans(old, b"subList")[0]
    open_end = old.index(b">", first) + 1
    if old[open_end - 2:open_end] == b"/>":  # <hp:subList .../>: give it an end tag
        return old[:open_end - 2] + b">" + inner + b"</hp:subList>" + old[last:]
    close = old.rindex(b"</hp:subList>", first, last)
    return old[:open_end] + inner + old[close:]


def _content(shapes: Shapes, holder: Any, place: Place, width_mm: float) -> None:
    if place.body is not None:
        body_into_cell(shapes, holder, place.body, width_mm)
    elif place.table is not None:
        shapes.nested_table(holder, place.table, width_mm)
    else:
        shapes.cell_paragraphs(holder, place.text or "")


def _block(p: Any, place: Place, aligned: dict[str, str], nsmap: dict, root: Any) -> bytes:
    """Paragraphs (and tables) standing where a `{{…}}` paragraph stood."""
    fill = next((tc.get("borderFillIDRef") for tc in root.iter(f"{HP}tc")), "0")
    shapes = _shapes_of(p, aligned, fill or "0")
    holder = etree.Element(f"{HP}tc", nsmap=nsmap)
    etree.SubElement(holder, f"{HP}subList")
    _content(shapes, holder, place, _text_width_mm(root))
    return _inner(holder.find(f"{HP}subList"), nsmap)


def _text_width_mm(root: Any) -> float:
    page = root.find(f".//{HP}pagePr")
    if page is None:
        return 150.0
    margin = page.find(f"{HP}margin")
    width = int(page.get("width")) if page.get("landscape") != "NARROWLY" else int(
        page.get("height"))
    used = sum(int(margin.get(k, "0")) for k in ("left", "right")) if margin is not None else 0
    return (width - used) / 7200 * 25.4


def _inner(sub: Any, nsmap: dict) -> bytes:
    """The children of `sub` as bytes, namespaces declared by the section root (not repeated)."""
    wrapper = etree.Element(etree.QName(sub).text, nsmap=nsmap)
    wrapper.extend(list(sub))
    xml = etree.tostring(wrapper, encoding="UTF-8")
    return xml[xml.index(b">") + 1:xml.rindex(b"</")]


_T = re.compile(rb"(<hp:t(?:\s[^>]*)?>)(.*?)(</hp:t>)", re.DOTALL)


def _fill_inline(xml: bytes, by_alias: dict[str, Place], found: set[str],
                 unknown: list[str]) -> bytes:
    """`{{기준일}}` and the like inside a line of text; the edited paragraph relaid out."""
    touched: list[int] = []

    def one(m: re.Match) -> bytes:
        text = m.group(2).decode("utf-8")

        def swap(ph: re.Match) -> str:
            place = by_alias.get(_key(ph.group(1)))
            if place is None:
                if ph.group(1) not in unknown:
                    unknown.append(ph.group(1))
                return ph.group(0)
            if place.text is None:
                return ph.group(0)  # a block place written inside a line: left for the clerk
            found.add(place.name)
            return _escape(text_of(place.text))

        new = PLACEHOLDER.sub(swap, text)
        if new != text:
            touched.append(m.start())
        return m.group(1) + new.encode("utf-8") + m.group(3)

    xml = _T.sub(one, xml)
    for pos in sorted(touched, reverse=True):
        xml = _drop_lineseg(xml, pos)
    return xml


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _drop_lineseg(xml: bytes, pos: int) -> bytes:
    """Remove the line layout cache of the paragraph holding `pos` (한글 lays it out anew)."""
    end = xml.find(b"</hp:p>", pos)
    seg = xml.rfind(b"<hp:linesegarray", pos, end)
    if end < 0 or seg < 0 or b"<hp:p" in xml[seg:end]:
        return xml
    close = xml.find(b"</hp:linesegarray>", seg, end)
    stop = close + len(b"</hp:linesegarray>") if close >= 0 else xml.find(b"/>", seg) + 2
    return xml[:seg] + xml[stop:]

