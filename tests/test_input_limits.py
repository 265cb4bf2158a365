"""Issue 11 (5, 6, 10): bounds, text that is not text, one BRN in three digit forms, hostile XML.

Each test here failed before the fix: the amount 2^63 raised OverflowError at save, a lone
surrogate a raw UnicodeEncodeError, three digit forms of one BRN made three enterprises, an
entity payload ended in "예상하지 못한 문제 (ParseError…)".
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from db import rules, service
from db.errors import DureError, ValidationFailed
from db.importer import commit, preview
from db.importer.result import REJECTED
from db.models import Education, FinanceGrant, Organization
from tests import zygote
from tests.db_helpers import row_count
from tests.import_support import brn, write

ROOT = Path(__file__).resolve().parent.parent


def _grant(db, amount):
    org = service.save(db, Organization(name="㈜마을숲", kind="협동조합"))
    return FinanceGrant(program="사업개발비", year=2021, organization_id=org.id,
                        approved_amount=amount)


@pytest.mark.parametrize("amount", [2**63, 2**63 - 1, 10**15 + 1])
def test_an_amount_past_the_bound_is_refused_in_korean_not_overflowing(db, amount):
    grant = _grant(db, amount)
    problems = rules.errors(service.check(grant))
    assert [p.field for p in problems] == ["approved_amount"]
    assert "1,000조 원" in problems[0].message
    with pytest.raises(ValidationFailed, match="너무 큽니다"):
        service.save(db, grant)
    assert row_count(db, FinanceGrant) == 0


def test_the_bound_itself_is_accepted(db):
    assert service.save(db, _grant(db, 10**15)).id is not None


def test_counts_and_hours_have_bounds_too(db):
    edu = Education(title="협동조합 기초", hours=1e12, attendees=2**40)
    found = {p.field: p.message for p in rules.errors(service.check(edu))}
    assert "너무 큽니다" in found["hours"] and "너무 큽니다" in found["attendees"]


def test_an_infinite_or_huge_cell_is_a_cell_reason_on_import(db, tmp_path):
    org = service.save(db, Organization(name="㈜마을숲", kind="협동조합"))
    path = write(tmp_path / "g.xlsx", {"Sheet1": [
        ["기업", "지원사업", "연도", "승인 금액"],
        [org.id, "사업개발비", 2021, 2**63],
        [org.id, "사업개발비", 2020, "9,223,372,036,854,775,808"],
    ]})
    p = preview(db, path, {"기업": "organization_id", "지원사업": "program", "연도": "year",
                           "승인 금액": "approved_amount"}, sheet="Sheet1", entity="finance_grant")
    assert p.count(REJECTED) == 2
    for r in p.sheets[0].rows:
        assert any("너무 큽니다" in m for m in r.messages), r.messages
    with pytest.raises(DureError, match="거부된 행이 2개"):
        commit(db, p)


@pytest.mark.parametrize("bad", ["\ud800", "a\udfffb", "nul\x00byte"])
def test_a_lone_surrogate_or_nul_is_refused_with_a_message(db, bad):
    org = Organization(name="두레" + bad, kind="협동조합")
    problems = rules.errors(service.check(org))
    assert [p.field for p in problems] == ["name"]
    assert "저장할 수 없는 문자" in problems[0].message and "U+" in problems[0].message
    with pytest.raises(ValidationFailed):
        service.save(db, org)  # before: UnicodeEncodeError from the driver
    assert row_count(db, Organization) == 0


def test_a_text_longer_than_a_field_holds_is_refused(db):
    org = Organization(name="두레", kind="협동조합", business="가" * (rules.core.MAX_TEXT + 1))
    assert [p.field for p in rules.errors(service.check(org))] == ["business"]


def test_one_brn_in_three_digit_forms_is_one_enterprise(db):
    number = brn(7)  # '1010000077'-style ASCII digits
    full = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    arabic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    first = service.save(db, Organization(name="가 기업", kind="협동조합", brn=number))
    for other in (full, arabic):
        with pytest.raises(ValidationFailed, match="이미"):
            service.save(db, Organization(name="다른 기업", kind="협동조합", brn=other))
    assert row_count(db, Organization) == 1
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    saved = service.save(db, Organization(name="나 기업", kind="협동조합",
                                          brn=brn(8).translate(wide)))
    assert saved.brn == brn(8) and first.brn == number  # stored as ASCII digits


def _hostile(path: Path, payload: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["기업명", "기업 유형"])
    ws.append(["두레", "협동조합"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                ref = "&e;" if "SYSTEM" in payload else "&d;"
                cell = f'<c r="C2" t="inlineStr"><is><t>{ref}</t></is></c>'
                text = payload + text.replace('<c r="A2"', cell + '<c r="A2"', 1)
                data = text.encode()
            out.writestr(item, data)
    return path


XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE x [<!ENTITY a "hahahahaha">' + "".join(
    f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(3)) + "]>")


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_an_entity_payload_in_a_sheet_is_refused_as_unsafe(db, tmp_path, payload):
    path = _hostile(tmp_path / "hostile.xlsx", payload)
    with pytest.raises(DureError, match="안전하지 않으므로"):
        preview(db, path, {"기업명": "name", "기업 유형": "kind"}, sheet="Sheet1",
                entity="organization")
    assert row_count(db, Organization) == 0


def test_the_cli_refuses_a_hostile_sheet_with_exit_2_in_korean(tmp_path):
    path = _hostile(tmp_path / "hostile.xlsx", XXE)
    env = {"DURE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    run = zygote.run([sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "t.sqlite"),
                      "import", str(path), "--sheet", "Sheet1", "--entity", "organization"],
                     capture_output=True, text=True, env=env, timeout=120, check=False)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "안전하지 않으므로" in run.stderr and "예상하지 못한" not in run.stderr


def test_a_sheet_problem_is_not_reported_as_rejected_rows(db, tmp_path):
    path = write(tmp_path / "m.xlsx", {"Sheet1": [["기업명", "기업 유형"], ["두레", "협동조합"],
                                                 ["마을", "협동조합"]]},
                 merged={"Sheet1": ["A2:A3"]})
    p = preview(db, path, {"기업명": "name", "기업 유형": "kind"}, sheet="Sheet1",
                entity="organization")
    assert p.problems and p.count(REJECTED) == 0
    assert "거부된 행" not in p.refusal() and "시트" in p.refusal()
    with pytest.raises(DureError, match="시트를 가져올 수 없는 문제"):
        commit(db, p)


def _with_sheet_xml(path: Path, cell_xml, shared: bytes | None = None) -> Path:
    """A one-sheet workbook whose sheet XML (and shared strings) are written as a stream."""
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["기업명", "기업 유형"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.decode().split("</sheetData>")
                with out.open(item.filename, "w", force_zip64=True) as fh:
                    fh.write(head.encode())
                    for piece in cell_xml():
                        fh.write(piece)
                    fh.write(("</sheetData>" + tail).encode())
                continue
            out.writestr(item, data)
    return path


def test_a_512_mib_cell_is_refused_before_it_is_read(db, tmp_path):
    def cells():
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        block = b"a" * (1 << 20)
        for _ in range(512):
            yield block
        yield b"</t></is></c></row>"

    path = _with_sheet_xml(tmp_path / "big.xlsx", cells)
    assert path.stat().st_size < 4 << 20  # a small file
    with pytest.raises(DureError, match="압축을 풀면 너무 큽니다"):
        preview(db, path, {"기업명": "name"}, sheet="Sheet1", entity="organization")
    assert row_count(db, Organization) == 0


def test_a_cell_longer_than_a_field_is_refused_before_anything_is_written(db, tmp_path):
    def cells():
        yield (b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"a" * (2 << 20)
               + b"</t></is></c></row>")

    path = _with_sheet_xml(tmp_path / "long.xlsx", cells)
    with pytest.raises(DureError, match="너무 긴 칸"):
        preview(db, path, {"기업명": "name"}, sheet="Sheet1", entity="organization")


def test_a_sheet_of_countless_blank_cells_is_refused(db, tmp_path, monkeypatch):
    from db.importer import workbook

    monkeypatch.setattr(workbook, "MAX_CELLS", 200_000)  # the real bound is 20 million

    def cells():
        for r in range(2, 1_002):
            yield f'<row r="{r}">'.encode() + b'<c s="0"/>' * 300 + b"</row>"

    path = _with_sheet_xml(tmp_path / "blank.xlsx", cells)
    with pytest.raises(DureError, match="칸\\(빈 칸 포함\\)이 너무 많습니다"):
        preview(db, path, {"기업명": "name"}, sheet="Sheet1", entity="organization")
    assert row_count(db, Organization) == 0
