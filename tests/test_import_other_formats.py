"""Issue 11 (11): '.xls' files that are HTML or tab-separated text, and CSV in CP949 or UTF-8
(with or without BOM), go through the same mapping, preview and rules as a workbook.

Before: each was refused ('CSV나 텍스트 파일입니다', '예전 Excel 형식(.xls)입니다').
"""

from __future__ import annotations

import pytest

from db.errors import DureError
from db.importer import commit, preview, sheet_names
from db.importer.result import NEW, REJECTED
from db.importer.workbook import OLE_MAGIC
from db.models import Organization
from tests.db_helpers import row_count
from tests.import_support import brn

MAP = {"업체명": "name", "유형": "kind", "사업자번호": "brn", "지정일": "designated_on"}
ROWS = [["업체명", "유형", "사업자번호", "지정일"],
        ["㈜마을숲", "사회적기업", brn(1), "2019-08-15"],
        ["두레협동조합", "협동조합", brn(2), "2020.3.2"],
        ["잘못된 유형", "주식회사 아님", "", ""]]


def _html(rows) -> str:
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    return ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
            f"</head><body><h3>지정 기업 현황</h3><table border=1>{body}</table></body></html>")


def _tsv(rows) -> str:
    return "\r\n".join("\t".join(r) for r in rows) + "\r\n"


def _csv(rows) -> str:
    return "\n".join(",".join(f'"{v}"' if "," in v else v for v in r) for r in rows) + "\n"


CASES = {
    "html.xls": lambda: _html(ROWS).encode("utf-8"),
    "html-cp949.xls": lambda: _html(ROWS).encode("cp949"),
    "tabs.xls": lambda: _tsv(ROWS).encode("cp949"),
    "cp949.csv": lambda: _csv(ROWS).encode("cp949"),
    "utf8.csv": lambda: _csv(ROWS).encode("utf-8"),
    "utf8-bom.csv": lambda: b"\xef\xbb\xbf" + _csv(ROWS).encode("utf-8"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_file_from_another_system_goes_through_the_same_preview_and_rules(db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(CASES[name]())
    (sheet,) = sheet_names(path)
    p = preview(db, path, MAP, sheet=sheet, entity="organization")
    assert p.sheets[0].headers[:4] == ROWS[0]
    rows = p.sheets[0].rows
    assert [r.status for r in rows] == [NEW, NEW, REJECTED]
    assert rows[0].values["name"] == "㈜마을숲" and rows[0].values["brn"] == brn(1)
    assert str(rows[1].values["designated_on"]) == "2020-03-02"
    assert any("기업 유형" in m for m in rows[2].messages)  # the form's own rule
    with pytest.raises(DureError, match="거부된 행이 1개"):
        commit(db, p)
    assert row_count(db, Organization) == 0


def test_the_good_rows_of_a_cp949_csv_are_written(db, tmp_path):
    path = tmp_path / "지정기업.csv"
    path.write_bytes(_csv(ROWS[:3]).encode("cp949"))
    p = preview(db, path, MAP, sheet="지정기업", entity="organization")
    assert p.ok and commit(db, p) == 2
    with db.session() as s:
        assert sorted(o.name for o in s.query(Organization)) == ["㈜마을숲", "두레협동조합"]


def test_a_damaged_legacy_xls_is_refused_in_korean(db, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_MAGIC + b"\0" * 4000)
    with pytest.raises(DureError, match=r"\.xls"):
        preview(db, path, MAP, sheet="Sheet1", entity="organization")
