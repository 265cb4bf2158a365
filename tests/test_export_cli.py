"""`main.py export …`: the files, the exit codes and the Korean errors."""

from __future__ import annotations

import re
import sys
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import main
from tests import zygote
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


def _no_ids(xml: bytes) -> bytes:
    """HWPX XML without its object ids (python-hwpx draws some at random, a footer's)."""
    return re.sub(rb' (id|instid|idRef)="-?\d+"', b"", xml)


def _cells(path):
    return [[c.value for c in row] for ws in load_workbook(path, read_only=True).worksheets
            for row in ws.iter_rows()]


def test_an_export_in_its_own_process_writes_the_files_an_export_in_this_one_does(
        demo_file, tmp_path):
    """`main.py export` as a user runs it: its own process, ended as main.py ends it (its last
    collection skipped, gc.freeze). Every file it wrote is whole: the same cells, pages and
    text, and the HWPX's parts, as the same exports run in this process."""
    runs = [("workbook", "--from", "2018", "--to", "2021H1", "w.xlsx"),
            ("roster", "--as-of", "2021-12-31", "r.xlsx"),
            ("report", "--period", "2021H2", "b.pdf"),
            ("report", "--period", "2021H2", "b.hwpx")]
    for *args, name in runs:
        (tmp_path / "own").mkdir(exist_ok=True)
        (tmp_path / "here").mkdir(exist_ok=True)
        done = zygote.run([sys.executable, str(main.__file__), "export", *args, "--db",
                           str(demo_file), "--quiet", "--out", str(tmp_path / "own" / name)],
                          capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert run(demo_file, *args, "--out", str(tmp_path / "here" / name)) == 0
        own, here = tmp_path / "own" / name, tmp_path / "here" / name
        if name.endswith(".xlsx"):
            assert _cells(own) == _cells(here)
        elif name.endswith(".pdf"):
            texts = [[p.extract_text() for p in PdfReader(str(f)).pages] for f in (own, here)]
            assert texts[0] == texts[1] and "추진" in "".join(texts[0])
        else:
            with zipfile.ZipFile(own) as a, zipfile.ZipFile(here) as b:
                assert a.testzip() is None
                assert sorted(a.namelist()) == sorted(b.namelist())
                parts = [n for n in a.namelist() if n.endswith(".xml")]
                assert all(_no_ids(a.read(n)) == _no_ids(b.read(n)) for n in parts)
