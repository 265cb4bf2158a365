"""The report table never fails a whole report over its keep-together rules.

On the 100,000-record database a run of headings (each kept with what follows) filled a page,
the table found nothing it was allowed to leave there, and reportlab raised LayoutError for the
whole 2021 하반기 report. Keeping is a preference: when it would leave a page empty it gives way.
"""

from __future__ import annotations

from exports.pdf import para, style
from exports.pdf_sections import Item, SectionTable


def test_a_page_of_kept_headings_still_splits():
    items = []
    for n in range(80):
        p = para(f"○ 제목 {n}", style(10.5, True))
        p.keepWithNext = True  # every line wants to stay with the next one
        items.append(Item(p, label=para("하반기", style(9, True)) if n == 0 else None))
    items[-1].last_of_section = True
    table = SectionTable([60.0, 380.0, 60.0], [para(h, style(10.5)) for h in "abc"], items)
    table.wrap(500, 700)
    parts = table.split(500, 700)
    assert parts, "the table refused to split: the report would fail with LayoutError"
    first, *_rest = parts
    assert 0 < len(first.items) < len(items)
    assert sum(len(p.items) for p in parts if isinstance(p, SectionTable)) == len(items)
