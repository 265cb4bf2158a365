"""`main.py export …`: the files, the exit codes and the Korean errors."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import main
from tests.export_fixtures import open_demo


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    open_demo(folder).close()
    return folder / "demo.sqlite"


def run(demo_file, *args):
    return main.main(["export", *args, "--db", str(demo_file), "--quiet"])


def test_roster_pdf_and_xlsx(demo_file, tmp_path, capsys):
    assert run(demo_file, "roster", "--as-of", "2021-12-31", "--out", str(tmp_path / "r.pdf")) == 0
    assert "내보냈습니다" in capsys.readouterr().out
    assert len(PdfReader(str(tmp_path / "r.pdf")).pages) >= 1
    assert run(demo_file, "roster", "--as-of", "2021-12-31", "--out", str(tmp_path / "r.xlsx")) == 0
    assert "입주공간 현황(LH)" in load_workbook(tmp_path / "r.xlsx").sheetnames


def test_report_and_tables(demo_file, tmp_path):
    assert run(demo_file, "report", "--period", "2021H2", "--out", str(tmp_path / "b.pdf")) == 0
    assert run(demo_file, "tables", "--from", "2018", "--to", "2021H1",
               "--out", str(tmp_path / "t.pdf")) == 0
    assert (tmp_path / "b.pdf").stat().st_size > 10_000


def test_workbook(demo_file, tmp_path):
    assert run(demo_file, "workbook", "--from", "2018", "--to", "2021H1",
               "--out", str(tmp_path / "w.xlsx")) == 0
    assert "창업지원" in load_workbook(tmp_path / "w.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize(("args", "message"), [
    (("workbook", "--from", "2018", "--to", "2021H1", "--out", "{t}/w.pdf"),
     "확장자가 맞지 않습니다"),
    (("report", "--period", "2021H3", "--out", "{t}/b.pdf"), "기간 '2021H3'"),
    (("roster", "--as-of", "2021", "--out", "{t}/r.pdf"), "날짜로 쓰세요"),
    (("tables", "--from", "2021", "--to", "2018", "--out", "{t}/t.pdf"), "끝 기간이 시작 기간보다"),
    (("tables", "--from", "2018", "--to", "2021", "--out", "{t}/없음/t.pdf"), "폴더"),
])
def test_errors_are_korean_with_exit_code_2(demo_file, tmp_path, capsys, args, message):
    args = [a.format(t=tmp_path) for a in args]
    assert run(demo_file, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("오류:") and message in err
    assert not list(tmp_path.glob("*.*"))
