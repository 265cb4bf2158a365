"""Issue 11 (7): an export then import with no edits never overwrites a full text with a cut one.

Before: texts over 32,767 characters came back cut and ending '…(이하 생략)', control
characters stripped, and the preview listed both as ordinary 변경 rows.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from db import service, tabular
from db.errors import DureError
from db.importer import commit, preview
from db.importer.result import CHANGED, REJECTED, UNCHANGED
from db.models import Organization
from db.periods import Period

SHEET = tabular.sheet_name(Organization)
LONG = "사회적경제 " * 8_000  # 48,000 characters


def _export(db, tmp_path):
    from exports.api import export_workbook

    return export_workbook(db, Period.parse("2021"), Period.parse("2021"), tmp_path / "두레.xlsx")


def _full(db, ident):
    with db.session() as s:
        org = s.get(Organization, ident)
        return org.business, org.note


def test_a_40000_character_text_and_control_characters_survive_a_round_trip(db, tmp_path):
    org = service.save(db, Organization(name="㈜마을숲", kind="협동조합", business=LONG[:40_000],
                                        note="첫 줄\x07벨\x1b끝"))
    plain = service.save(db, Organization(name="두레", kind="협동조합", business="목공"))
    out = _export(db, tmp_path)
    cell = next(c for c in load_workbook(out, read_only=True)[SHEET].iter_rows(values_only=True)
                if c[1] == "㈜마을숲")
    assert any(isinstance(v, str) and v.endswith("…(이하 생략)") for v in cell)  # Excel's limit
    p = preview(db, out)
    rows = {r.record_id: r for r in p.sheets[0].rows}
    assert rows[org.id].status == UNCHANGED, rows[org.id].changes
    assert rows[plain.id].status == UNCHANGED
    assert p.count(CHANGED) == 0 and p.writes == 0
    assert _full(db, org.id) == (LONG[:40_000], "첫 줄\x07벨\x1b끝")


def test_an_edited_row_with_a_cut_cell_refuses_that_cell_and_keeps_the_full_text(db, tmp_path):
    org = service.save(db, Organization(name="㈜마을숲", kind="협동조합", business=LONG[:40_000]))
    out = _export(db, tmp_path)
    book = load_workbook(out)
    ws = book[SHEET]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("기업명")].value == "㈜마을숲":
            cell = row[header.index("사업내용 및 분야")]
            cell.value = "고친 앞부분 " + cell.value[10:]  # edited, still ending in the mark
    book.save(out)
    p = preview(db, out)
    row = next(r for r in p.sheets[0].rows if r.record_id == org.id)
    assert row.status == REJECTED
    assert any("잘라서 내보낸 글" in m for m in row.messages)
    assert _full(db, org.id)[0] == LONG[:40_000]
    assert not p.ok
    with pytest.raises(DureError, match="거부된 행이 1개"):
        commit(db, p)
    assert _full(db, org.id)[0] == LONG[:40_000]
