"""Bad files and awkward cells: a clear Korean message, and nothing written."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import tabular
from db.errors import DureError
from db.importer import commit, preview, workbook
from db.importer.result import NEW, REJECTED
from db.models import FinanceGrant, FinancePayment, Organization
from main import main
from tests.import_support import header, org_rows, write

ORG_SHEET = tabular.sheet_name(Organization)
PAY_SHEET = tabular.sheet_name(FinancePayment)


def _count(db, model=Organization):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _refused(db, path, match):
    with pytest.raises(DureError, match=match):
        preview(db, path)
    assert _count(db) == 0


def test_csv_renamed_to_xlsx(db, tmp_path):
    # issue 11 (11): a file is read by its real format, so a CSV named .xlsx is a CSV (it was
    # refused as 'CSV나 텍스트 파일입니다', which the issue calls wrong)
    path = tmp_path / "명단.xlsx"
    path.write_text("기업명,대표\n마을숲,홍길동\n", encoding="utf-8")
    p = preview(db, path, {"기업명": "name", "대표": "representative"}, sheet="명단",
                entity="organization")
    assert [r.values["name"] for r in p.sheets[0].rows] == ["마을숲"]
    assert _count(db) == 0


def test_random_bytes(db, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(os.urandom(5000).replace(b"PK", b"QK"))
    _refused(db, path, "Excel 통합 문서\\(.xlsx\\)가 아닌 파일|CSV나 텍스트")


def test_empty_file_and_missing_file(db, tmp_path):
    (tmp_path / "e.xlsx").write_bytes(b"")
    _refused(db, tmp_path / "e.xlsx", "빈 파일")
    _refused(db, tmp_path / "없음.xlsx", "파일이 없습니다")


def test_zip_that_is_not_a_workbook(db, tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _refused(db, path, "Excel 통합 문서\\(.xlsx\\)가 아닙니다")


def _ole(names: list[str]) -> bytes:
    """A compound-file header and a directory sector naming the given streams (UTF-16)."""
    body = bytearray(workbook.OLE_MAGIC + bytes(504))
    for name in names:
        entry = name.encode("utf-16-le") + b"\0\0"
        body += entry + bytes(128 - len(entry))
    return bytes(body)


def test_password_protected_workbook(db, tmp_path):
    # Excel saves an encrypted .xlsx as an OLE container with these two streams.
    path = tmp_path / "암호.xlsx"
    path.write_bytes(_ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
    _refused(db, path, "암호가 걸린 통합 문서입니다.*암호를 지우고")


def test_old_xls_format(db, tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(_ole(["Root Entry", "Workbook"]))
    _refused(db, path, "예전 Excel 형식\\(.xls\\)")


def test_merged_cells_in_the_data_area_are_refused_with_the_range(db, tmp_path):
    rows = [header(Organization), *org_rows(3)]
    path = write(tmp_path / "m.xlsx", {ORG_SHEET: rows}, merged={ORG_SHEET: ["B3:C3"]})
    p = preview(db, path)
    assert not p.ok and p.problems == [(f"'{ORG_SHEET}' 시트: 병합된 셀이 있습니다: B3:C3. "
                                        "병합을 해제하고 한 칸에 한 값만 두세요.")]
    with pytest.raises(DureError):
        commit(db, p)
    assert _count(db) == 0


def test_a_merged_title_above_the_header_is_fine(db, tmp_path):
    rows = [["2021년 기업 명단"], ["업체명", "구분"], ["마을숲", "기타"]]
    path = write(tmp_path / "t.xlsx", {"명단": rows}, merged={"명단": ["A1:B1"]})
    p = preview(db, path, {"업체명": "name", "구분": "kind"}, sheet="명단", entity="기업")
    assert p.ok and p.count(NEW) == 1


def _with_cached_value(path, cell: str, value: str) -> None:
    """Give one formula cell a cached result, as Excel does when it saves."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                # <v/> from openpyxl's own writer, <v></v> when it writes with lxml
                data = re.sub(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)'.encode(),
                              rb"\1<v>" + value.encode() + b"</v>", data)
            dst.writestr(item, data)
    tmp.replace(path)


def test_formulas_use_cached_values_and_a_formula_without_one_is_named(db, tmp_path):
    from db import service

    org = service.save(db, Organization(name="마을숲", kind="기타"))
    grant = service.save(db, FinanceGrant(program="사회보험료", year=2021, organization_id=org.id))
    rows = [header(FinancePayment),
            [None, grant.id, dt.date(2021, 1, 25), "=1000*3"],
            [None, grant.id, dt.date(2021, 2, 25), "=1000*4"]]
    path = write(tmp_path / "f.xlsx", {PAY_SHEET: rows})
    _with_cached_value(path, "D2", "3000")
    p = preview(db, path)
    first, second = p.sheets[0].rows
    assert first.status == NEW and first.values["amount"] == 3000
    assert second.status == REJECTED
    assert second.messages == [("3행 '금액' 열(D3): 수식의 계산 결과가 저장되어 있지 않습니다. "
                                "Excel에서 파일을 열어 저장한 뒤 다시 가져오세요.")]


def test_dates_as_text_and_as_serial_numbers(db, tmp_path):
    rows = [header(Organization),
            [None, "가", "기타", None, None, None, None, "2021. 7. 9.(금)"],
            [None, "나", "기타", None, None, None, None, 44386],  # Excel serial of 2021-07-09
            [None, "다", "기타", None, None, None, None, "21.7.9"],
            [None, "라", "기타", None, None, None, None, 2021],  # a year typed in a date column
            [None, "마", "기타", None, None, None, None, "2021.13.1"]]
    p = preview(db, write(tmp_path / "d.xlsx", {ORG_SHEET: rows}))
    by_row = {r.row: r for r in p.sheets[0].rows}
    assert [by_row[n].values["designated_on"] for n in (2, 3, 4)] == [dt.date(2021, 7, 9)] * 3
    assert "'2021'은(는) 지정·인증일로 보기 어렵습니다" in by_row[5].messages[0]
    assert by_row[6].messages[0].startswith("6행 '지정·인증일' 열: ")


def test_empty_sheet_and_header_only_sheet(db, tmp_path):
    path = write(tmp_path / "e.xlsx", {ORG_SHEET: []})
    assert "내용이 없습니다" in preview(db, path).problems[0]
    path = write(tmp_path / "h.xlsx", {ORG_SHEET: [header(Organization)]})
    p = preview(db, path)
    assert not p.ok and "가져올 자료 행이 없습니다" in p.problems[0]


def test_missing_required_columns(db, tmp_path):
    rows = [["대표", "전화"], ["홍길동", "031-000-0000"]]
    p = preview(db, write(tmp_path / "r.xlsx", {"명단": rows}), sheet="명단", entity="기업")
    assert p.problems == ["'명단' 시트: 꼭 있어야 하는 열이 없습니다: 기업명. "
                          "열을 추가하거나 연결하세요."]


def test_unknown_sheet_and_entity(db, tmp_path):
    path = write(tmp_path / "s.xlsx", {"Sheet1": [["a"]], "Sheet2": [["b"]]})
    with pytest.raises(DureError, match="'없는 시트' 시트가 없습니다. 있는 시트: Sheet1, Sheet2"):
        preview(db, path, sheet="없는 시트")
    with pytest.raises(DureError, match="가져올 대상 '우주선'을\\(를\\) 알 수 없습니다"):
        preview(db, path, sheet="Sheet1", entity="우주선")
    with pytest.raises(DureError, match="두레 자료 시트.*가 없습니다"):
        preview(db, path)


def _million_row_xlsx(path, rows: int) -> None:
    """A one-column workbook with `rows` rows, written as raw XML (openpyxl would take minutes).

    Like Excel, it declares its size in <dimension>; without one openpyxl parses the whole sheet
    just to size it.
    """
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
            f'.org/spreadsheetml/2006/main"><dimension ref="A1:A{rows + 1}"/><sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
            'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
            'workbook.xml"/></Relationships>'))
        zf.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
            'org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships"><sheets><sheet name="{ORG_SHEET}" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>'))
        zf.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
            'sheet1.xml"/></Relationships>'))
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(head.encode())
            fh.write('<row r="1"><c r="A1" t="inlineStr"><is><t>기업명</t></is></c></row>'.encode())
            for start in range(2, rows + 2, 50_000):
                fh.write("".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                                 for n in range(start, min(start + 50_000, rows + 2))).encode())
            fh.write(b"</sheetData></worksheet>")


def test_a_million_rows_stop_at_the_limit_with_a_clear_message(db, tmp_path, monkeypatch):
    monkeypatch.setattr("db.importer.plan.MAX_ROWS", 20_000)  # the real limit is 100,000
    path = tmp_path / "million.xlsx"
    _million_row_xlsx(path, 1_000_000)
    p = preview(db, path)
    assert p.problems == [(f"'{ORG_SHEET}' 시트: 행이 너무 많습니다(20,000행 초과). 한 번에 "
                           "20,000행까지 가져올 수 있습니다. 파일을 나눠서 가져오세요.")]
    assert _count(db) == 0


def test_main_import_exit_codes(db, tmp_path, capsys):
    url = str(db.path)
    db.close()  # main opens the file itself (one desk at a time)
    good = write(tmp_path / "good.xlsx", {ORG_SHEET: [header(Organization), *org_rows(3)]})
    bad_rows = org_rows(3)
    bad_rows[1][2] = "주식회사"
    bad = write(tmp_path / "bad.xlsx", {ORG_SHEET: [header(Organization), *bad_rows]})
    (tmp_path / "csv.xlsx").write_text("a,b\n", encoding="utf-8")

    assert main(["--db", url, "import", str(bad), "--yes"]) == 1
    out = capsys.readouterr().out
    assert "3행 '기업 유형' 열: 기업 유형은 다음 중 하나여야 합니다" in out
    assert "가져오지 않았습니다" in out and _count(db) == 0

    assert main(["--db", url, "import", str(tmp_path / "csv.xlsx")]) == 2
    assert "오류: " in capsys.readouterr().err

    assert main(["--db", url, "import", str(good)]) == 0
    assert "--yes를 붙여" in capsys.readouterr().out and _count(db) == 0
    assert main(["--db", url, "import", str(good), "--yes"]) == 0
    assert "가져왔습니다: 3행" in capsys.readouterr().out and _count(db) == 3


def test_a_fresh_process_applies_the_area_rules(tmp_path):
    """`main.py import` in its own process loads every area's rules (end before start here)."""
    import sys

    from db.models import Education
    from tests import zygote

    rows = [["과정", "교육명", "시작일", "종료일"],
            ["기초과정", "사회적경제 입문", dt.date(2021, 9, 28), dt.date(2021, 9, 1)]]
    path = write(tmp_path / "edu.xlsx", {"교육": rows})
    root = Path(__file__).resolve().parents[1]
    out = zygote.run(  # main.py in its own process, forked by the tests' zygote
        [sys.executable, str(root / "main.py"), "--db", str(tmp_path / "p.sqlite"),
         "import", str(path), "--sheet", "교육", "--entity", tabular.label(Education)],
        capture_output=True, text=True, timeout=120, cwd=root, check=False,
        env={**os.environ, "PYTHONPATH": str(root)})
    assert out.returncode == 1, out.stderr
    assert "2행 '종료일' 열:" in out.stdout
