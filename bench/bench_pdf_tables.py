"""Long PDF tables: Dure's table layout beside a raw reportlab canvas drawing the same rows.

    uv run python bench/bench_pdf_tables.py [--sizes 2500,10000,20000] [--repeat 3]

Issue 13 target 6: linear in the table's length, within 3x of the raw canvas per row at
2,500, 10,000 and 20,000 rows. The raw canvas is the floor: the same cell texts (formatted
once beforehand), the same font and size, one drawString per cell, the grid as one path
per page, the header row repeated on each page, no measuring and no wrapping. Dure builds
the whole document: content-sized columns, word wrapping, page splitting, "n / N" footers.
Times are CPU seconds, best of --repeat, in this process (the fonts are loaded first).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from exports import pdf
from exports.fonts import FONT, FONT_BOLD, register_fonts
from exports.table_model import Cell, ReportTable, cell_text, head, spread

HEADERS = ("연번", "기업명", "사업내용", "지원일", "금액", "인원")
KINDS = ("사회적협동조합", "협동조합", "예비사회적기업", "마을기업")


def make_table(n: int) -> ReportTable:
    import datetime as dt

    body = []
    for i in range(n):
        body.append(spread(
            Cell(i + 1, "int"), Cell(f"{KINDS[i % 4]} 두레{i}"),
            Cell(f"교육 {i % 12}시간, 컨설팅 {i % 3}회"),
            Cell(dt.date(2021, 1 + i % 12, 1 + i % 28), align="center"),
            Cell(1_000_000 * (i % 90 + 1), "thousand", "천원"), Cell(i % 40, "count", "명")))
    return ReportTable("목록", "목록", [spread(*[head(h) for h in HEADERS])], body,
                       [8.0, 30.0, 36.0, 14.0, 16.0, 10.0], landscape=True)


def raw_canvas(table: ReportTable, out: Path) -> None:
    """The floor: the same texts drawn with drawString, a grid path per page."""
    texts = [[cell_text(c) for c in row] for row in table.body]  # formatted beforehand
    page_w, page_h = landscape(A4)
    width = page_w - 24 * mm
    widths = [width * w / sum(table.widths) for w in table.widths]
    xs = [12 * mm]
    for w in widths:
        xs.append(xs[-1] + w)
    row_h, size = 10 * 1.3 + 5.5, 10
    top, bottom = page_h - 12 * mm, 14 * mm
    per_page = int((top - bottom) / row_h) - 1
    canv = Canvas(str(out), pagesize=(page_w, page_h), initialFontName=FONT)
    heads = [str(c.value) for c in table.header_rows[0]]
    for start in range(0, len(texts), per_page):
        rows = [heads, *texts[start:start + per_page]]
        path = canv.beginPath()
        y = top
        for r, row in enumerate(rows):
            canv.setFont(FONT_BOLD if r == 0 else FONT, size)
            for c, text in enumerate(row):
                path.rect(xs[c], y - row_h, widths[c], row_h)
                canv.drawString(xs[c] + 3, y - row_h + 5, text)
            y -= row_h
        canv.drawPath(path, stroke=1, fill=0)
        canv.showPage()
    canv.save()


def dure(table: ReportTable, out: Path) -> int:
    story = pdf.table_flowables(table, pdf.content_width(True))
    return pdf.build_pdf(out, story, title="목록", wide=True)


def cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def timed(fn, *args) -> float:
    t = cpu()
    fn(*args)
    return cpu() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2500,10000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    register_fonts()
    work = Path(tempfile.mkdtemp(prefix="dure-bench-pdf-"))
    failed = False
    per_row = {}
    for n in (int(x) for x in args.sizes.split(",")):
        table = make_table(n)
        ours = min(timed(dure, table, work / "d.pdf") for _ in range(args.repeat))
        floor = min(timed(raw_canvas, table, work / "r.pdf") for _ in range(args.repeat))
        ratio = ours / floor
        ok = ratio <= 3.0
        failed |= not ok
        per_row[n] = ours / n * 1e6
        print(f"{n:6d} rows: Dure {ours:6.2f} s CPU ({per_row[n]:5.0f} µs/row) | raw canvas "
              f"{floor:6.2f} s ({floor / n * 1e6:5.0f} µs/row) | ratio {ratio:4.2f} "
              f"(target <= 3) {'OK' if ok else 'MISSED'}")
    if len(per_row) > 1:
        sizes = sorted(per_row)
        growth = per_row[sizes[-1]] / per_row[sizes[0]]
        linear = growth <= 1.5
        failed |= not linear
        print(f"per-row cost {sizes[0]} → {sizes[-1]} rows: x{growth:.2f} "
              f"(linear: <= 1.5) {'OK' if linear else 'MISSED'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
