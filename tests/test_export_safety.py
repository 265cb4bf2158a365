"""Hostile text through every export: never a formula, never a crash, never a corrupt file."""

from __future__ import annotations

import datetime as dt
import errno
import os
import zipfile

import pytest
from openpyxl import load_workbook

from db.errors import DureError
from db.models import Organization, ReportNote, Space, Tenancy, TenancyTerm
from db.periods import Period
from db.safe_text import CUT_MARK, EXCEL_MAX, clean, excel_text
from exports import api
from tests.export_fixtures import assert_only_bundled_fonts, pdf_text, squash

LONG = "가" * 40_000
# A lone surrogate cannot even be stored (SQLite's UTF-8 refuses it): tested on the table layer.
HOSTILE = ["=SUM(A1)", "+1", "@x", "-2", "ctl\x01\x07\x1f이름", "bad\ufffe\uffff끝",
           "<b>회사", "R&D 협동조합", "☕ 이모지 🎉 기업"]


@pytest.fixture
def hostile_db(db):
    """Organizations named with hostile strings, one of them a tenant, and a hostile note."""
    with db.session() as s:
        orgs = [Organization(name=n, note="=HYPERLINK(\"http://x\")\x0b") for n in HOSTILE]
        orgs.append(Organization(name="긴 비고 기업", note=LONG))
        s.add_all(orgs)
        space = Space(provider="코레일", site="<i>백마역</i> & 1번출구", area_m2=10.5)
        s.add(space)
        s.flush()
        for i, org in enumerate(orgs[:4]):
            sp = space if i == 0 else Space(provider="LH", site=f"단지 {i} R&D", area_m2=20)
            s.add(sp)
            s.flush()
            t = Tenancy(space_id=sp.id, organization_id=orgs[6].id if i == 0 else org.id,
                        note="+cmd|' /C calc'!A0")
            t.terms.append(TenancyTerm(start_on=dt.date(2021, 1, 1), end_on=dt.date(2022, 12, 31)))
            s.add(t)
        s.add(ReportNote(year=2021, half=2, area="sales", kind="추진 실적", level=1,
                         text="<b>R&D</b> =1+1 " + "긴 문장 " * 6000))
        s.commit()
    return db


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_clean_and_cut():
    assert clean("a\x00b\x1fc\ufffed\uffffe\ud800f") == "abcdef"
    cut = excel_text(LONG)
    assert len(cut) == EXCEL_MAX and cut.endswith(CUT_MARK)


def test_workbook_keeps_hostile_text_as_text(hostile_db, tmp_path):
    out = api.export_workbook(hostile_db, Period.parse("2021"), Period.parse("2021"),
                              tmp_path / "위험.xlsx")
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist()
                       if n.startswith("xl/worksheets/"))
    wb = load_workbook(out)
    assert not [c.coordinate for c in all_cells(wb) if c.data_type == "f"]
    names = [r[1] for r in wb["기업 목록"].iter_rows(min_row=2, values_only=True)]
    assert names[:4] == ["=SUM(A1)", "+1", "@x", "-2"]
    assert names[4] == "ctl이름" and names[5] == "bad끝"
    assert names[6:9] == ["<b>회사", "R&D 협동조합", "☕ 이모지 🎉 기업"]
    formula_like = [c for c in all_cells(wb) if isinstance(c.value, str)
                    and c.value.startswith(("=", "+", "@"))]
    assert formula_like and all(c.quotePrefix for c in formula_like)
    notes = [r[-1] for r in wb["기업 목록"].iter_rows(min_row=2, values_only=True)]
    long_note = notes[-1]
    assert len(long_note) == EXCEL_MAX and long_note.endswith(CUT_MARK)
    assert any(str(c.value).startswith("+1") for c in wb["입주공간 현황(LH)"]["D"])


def test_lone_surrogates_and_controls_on_the_table_layer(tmp_path):
    from exports.pdf_docs import roster_pdf
    from exports.table_model import Cell, ReportTable, head, spread
    from exports.xlsx import save_tables

    bad = ["lone\ud800surrogate", "=1+2", "\x00nul", "\ufffe", LONG]
    table = ReportTable("표 =1", "표", [spread(*[head(h) for h in ("가", "나", "다", "라", "마")])],
                        [spread(*[Cell(v) for v in bad])], [10.0] * 5)
    save_tables([table], tmp_path / "t.xlsx")
    got = [c.value for c in load_workbook(tmp_path / "t.xlsx")["표"][4]]
    assert got[:3] == ["lonesurrogate", "=1+2", "nul"] and got[3] in (None, "")
    assert got[4].endswith(CUT_MARK)
    roster_pdf(tmp_path / "t.pdf", "표", dt.date(2021, 1, 1), [table])
    text = pdf_text(tmp_path / "t.pdf")
    assert "lonesurrogate" in text and squash(CUT_MARK) in text


def test_pdfs_escape_hostile_text_and_embed_only_our_fonts(hostile_db, tmp_path):
    roster = api.export_roster(hostile_db, dt.date(2021, 6, 30), tmp_path / "명단.pdf")
    text = pdf_text(roster)
    assert squash("<i>백마역</i> & 1번출구") in text
    assert squash("<b>회사") in text and "@x" in text and "-2" in text
    assert_only_bundled_fonts(roster)
    report = api.export_report(hostile_db, Period.parse("2021H2"), tmp_path / "보고서.pdf")
    text = pdf_text(report)
    assert squash("<b>R&D</b> =1+1") in text  # markup shown as typed, long note split over pages
    assert_only_bundled_fonts(report)
    xlsx = api.export_roster(hostile_db, dt.date(2021, 6, 30), tmp_path / "명단.xlsx")
    assert load_workbook(xlsx)["입주공간 현황(LH)"]["D4"].value.startswith("+1")


def test_full_disk_leaves_no_partial_file(hostile_db, tmp_path, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DureError, match="디스크 공간이 부족"):
        api.export_roster(hostile_db, dt.date(2021, 6, 30), tmp_path / "명단.pdf")
    assert list(tmp_path.glob("*.pdf")) == [] and not list(tmp_path.glob(".dure-*"))


def test_unwritable_folder_has_a_korean_message(hostile_db, tmp_path, monkeypatch):
    import tempfile

    def denied(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(DureError, match="쓸 수 없습니다"):
        api.export_workbook(hostile_db, Period.parse("2021"), Period.parse("2021"),
                            tmp_path / "x.xlsx")
    with pytest.raises(DureError, match="폴더 .*이\\(가\\) 없습니다"):
        api.export_tables(hostile_db, Period.parse("2021"), Period.parse("2021"),
                          tmp_path / "없는폴더" / "x.pdf")


def test_cancel_writes_nothing(hostile_db, tmp_path):
    seen = []
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(api.Cancelled):
        api.export_workbook(hostile_db, Period.parse("2021"), Period.parse("2021"),
                            folder / "x.xlsx", progress=lambda *a: seen.append(a),
                            cancelled=lambda: len(seen) >= 3)
    assert len(seen) == 3 and not list(folder.iterdir())
    with pytest.raises(api.Cancelled):
        api.export_report(hostile_db, Period.parse("2021H2"), folder / "x.pdf",
                          cancelled=lambda: True)
    assert not list(folder.iterdir())


def test_wrong_extension_is_refused(hostile_db, tmp_path):
    with pytest.raises(DureError, match=r"\.xlsx 파일로 저장"):
        api.export_workbook(hostile_db, Period.parse("2021"), Period.parse("2021"),
                            tmp_path / "x.pdf")
    with pytest.raises(DureError, match=r"\.pdf 또는 \.xlsx"):
        api.export_roster(hostile_db, dt.date(2021, 6, 30), tmp_path / "x.docx")
