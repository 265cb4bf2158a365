"""The import window: pick a file and sheet, map columns, preview (colour-coded), import."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from db import tabular
from db.models import ImportMapping, Organization
from gui.import_dialog import COLOURS, ImportDialog
from tests.import_support import brn, header, org_rows, write


def _count(db, model=Organization):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _dialog(qtbot, db, path):
    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load_file(str(path))
    return dialog


def _preview(qtbot, dialog):
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None and dialog.result is not None, timeout=10_000)


def test_mapped_sheet_preview_then_confirmed_import_saves_the_mapping(db, qtbot, tmp_path):
    rows = [["업체명", "사업자번호", "구분", "메모"],
            ["햇살공방", brn(3), "마을기업", "x"],
            ["푸른들", brn(4), "자활기업", "y"]]
    path = write(tmp_path / "명단.xlsx", {"Sheet1": rows})
    dialog = _dialog(qtbot, db, path)
    assert dialog.sheet.currentText() == "Sheet1"
    assert dialog.headers == ["업체명", "사업자번호", "구분", "메모"]
    dialog.entity.setCurrentIndex(dialog.entity.findData("organization"))
    assert dialog.current_mapping() == {}  # no label matches: the clerk maps the columns
    dialog.set_field("업체명", "name")
    dialog.set_field("사업자번호", "brn")
    dialog.set_field("구분", "kind")
    _preview(qtbot, dialog)
    assert dialog.rows.rowCount() == 2
    assert dialog.rows.item(0, 1).text() == "새 기록"
    assert dialog.rows.item(0, 0).background().color().name() == COLOURS["new"]
    assert dialog.import_button.isEnabled() and _count(db) == 0

    dialog.confirm = lambda *_a: False
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(db) == 0
    dialog.confirm = lambda *_a: True
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert signal.args == [2] and _count(db) == 2
    qtbot.waitUntil(lambda: dialog.job is None)
    assert _count(db, ImportMapping) == 1

    again = _dialog(qtbot, db, path)  # the same headers next time: the mapping is proposed
    again.entity.setCurrentIndex(again.entity.findData("organization"))
    assert again.current_mapping() == {"업체명": "name", "사업자번호": "brn", "구분": "kind"}


def test_dure_sheet_with_a_bad_row_shows_the_reason_in_red_and_cannot_be_imported(db, qtbot,
                                                                                   tmp_path):
    rows = org_rows(5)
    rows[2][7] = "2021.13.1"
    path = write(tmp_path / "두레.xlsx",
                 {"메모": [["아무거나"]],
                  tabular.sheet_name(Organization): [header(Organization), *rows]})
    dialog = _dialog(qtbot, db, path)
    assert dialog.sheet.currentText() == "기업 목록"  # Dure data sheets come first
    assert dialog.entity.currentData() == "organization"
    assert dialog.current_mapping()["기업명"] == "name"
    _preview(qtbot, dialog)
    first = [dialog.rows.item(0, c).text() for c in range(4)]
    assert first[:2] == ["4", "거부"] and "'2021.13.1'" in first[3]
    assert dialog.rows.item(0, 1).background().color().name() == COLOURS["rejected"]
    assert not dialog.import_button.isEnabled()
    assert "거부 1행" in dialog.summary.text()


def test_not_a_workbook_is_explained_in_the_window(db, qtbot, tmp_path):
    # a CSV is imported since issue 11 (11); a file that is neither is still explained
    path = tmp_path / "x.xlsx"
    path.write_bytes(bytes(range(1, 9)) * 500)
    dialog = _dialog(qtbot, db, path)
    assert "Excel 통합 문서(.xlsx)가 아닌 파일" in dialog.summary.text()
    assert dialog.sheet.count() == 0 and not dialog.import_button.isEnabled()


def test_a_whole_dure_workbook_is_previewed_and_imported_parents_first(db, qtbot, tmp_path):
    from db import service
    from db.models import FinanceGrant

    org = service.save(db, Organization(name="마을숲", kind="기타"))
    grants = [header(FinanceGrant), [None, "사회보험료", 2021, org.id, "마을숲", 2, "1,000,000"]]
    path = write(tmp_path / "두레.xlsx", {tabular.sheet_name(FinanceGrant): grants,
                                        tabular.sheet_name(Organization): [header(Organization),
                                                                           *org_rows(2)]})
    dialog = _dialog(qtbot, db, path)
    assert dialog.sheet.currentText() == "두레 자료 시트 전부 (2개)" and dialog.all_sheets()
    assert not dialog.entity.isEnabled() and dialog.mapping.rowCount() == 0
    _preview(qtbot, dialog)
    assert [s.model for s in dialog.result.sheets] == [Organization, FinanceGrant]
    assert dialog.result.count("new") == 3
    assert dialog.rows.item(0, 0).text() == "기업 목록 2"
    dialog.confirm = lambda *_a: True
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(db) == 3 and _count(db, FinanceGrant) == 1
    qtbot.waitUntil(lambda: dialog.job is None)
