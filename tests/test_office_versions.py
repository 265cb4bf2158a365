"""Two desks on one database: the four measured losses of issue 12 end in a merge or a conflict.

Each scenario runs on SQLite (two forms in one Dure) and on the real PostgreSQL server the
tests start (two desks: two Database objects, two real forms).
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, text

from db import models as m
from db import service
from db.office.versions import THEIRS, ConflictError
from db.safety import trash
from db.session import open_database
from gui.forms.education import EDUCATION
from gui.forms.organization import ORGANIZATION
from gui.widgets.lookups import Lookups
from gui.widgets.record_form import RecordForm
from tests.gui_helpers import type_into


@pytest.fixture(params=["sqlite", "postgres"])
def desks(request, tmp_path):
    """(database of desk A, database of desk B): the same file, or two sessions on one server."""
    if request.param == "sqlite":
        from tests.export_fixtures import copy_database

        template = request.getfixturevalue("empty_template")
        database = open_database(copy_database(template, tmp_path / "office.sqlite"))
        yield database, database
        database.close()
        return
    from tests.pg_server import migrated_database

    url = migrated_database(request.getfixturevalue("pg_admin_url"))
    a, b = open_database(url), open_database(url)
    yield a, b
    a.close()
    b.close()


def form(qtbot, spec, database, record_id):
    f = RecordForm(spec, database, Lookups(database))
    qtbot.addWidget(f)
    assert f.load(record_id)
    return f


def answer_conflict(qtbot, pick=None, accept=True):
    """Answer the conflict dialog the next form save opens; returns what it showed."""
    seen = {}

    def handle():
        from gui.conflict_dialog import ConflictDialog

        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, ConflictDialog) and w.isVisible())
        seen["rows"] = [tuple(dialog.table.item(r, c).text() for c in range(4))
                        for r in range(dialog.table.rowCount())]
        seen["message"] = dialog.message.text()
        for key, value in (pick or {}).items():
            dialog.choose(key, value)
        (dialog.ok if accept else dialog.cancel).click()

    QTimer.singleShot(0, handle)
    return seen


def org(database, **kw):
    return service.save(database, m.Organization(name="마을숲", kind="사회적기업",
                                                  representative="김하나", phone="031-111-1111",
                                                  **kw)).id


def representative_changed_by_a(qtbot, desks):
    """Both desks open one enterprise; A changes 대표 and saves. Returns (A, B, id, B's form)."""
    a_db, b_db = desks
    ident = org(a_db)
    a, b = form(qtbot, ORGANIZATION, a_db, ident), form(qtbot, ORGANIZATION, b_db, ident)
    type_into(qtbot, a.editors["representative"], "이두리")
    assert a.save() == ident
    return a_db, b_db, ident, b


def test_different_fields_merge_without_a_question(qtbot, desks):
    _a_db, b_db, ident, b = representative_changed_by_a(qtbot, desks)
    type_into(qtbot, b.editors["phone"], "031-222-2222")
    assert b.save() == ident, b.last_error  # no dialog: a different field
    with b_db.session() as s:
        row = s.get(m.Organization, ident)
        assert (row.representative, row.phone) == ("이두리", "031-222-2222")
        assert row.version == 3
    assert b.editors["representative"].value() == "이두리"  # B's form shows the merged record


def test_same_field_asks_and_keeps_the_chosen_value(qtbot, desks):
    a_db, _b_db, ident, b = representative_changed_by_a(qtbot, desks)
    type_into(qtbot, b.editors["representative"], "박세나")
    type_into(qtbot, b.editors["phone"], "031-333-3333")
    # first the clerk declines: nothing of B's is written, the form keeps its edits
    seen = answer_conflict(qtbot, accept=False)
    assert b.save() is None
    assert seen["rows"] == [("대표", "박세나", "이두리", "김하나")]
    assert "다른 책상" in b.last_error and b.editors["representative"].value() == "박세나"
    with a_db.session() as s:
        assert s.get(m.Organization, ident).representative == "이두리"
        assert s.get(m.Organization, ident).phone == "031-111-1111"
    # then takes the other desk's 대표 and keeps their own 전화
    answer_conflict(qtbot, pick={"representative": THEIRS})
    assert b.save() == ident
    with a_db.session() as s:
        row = s.get(m.Organization, ident)
        assert (row.representative, row.phone) == ("이두리", "031-333-3333")


def test_a_row_added_elsewhere_survives_an_older_form(qtbot, desks):
    a_db, b_db = desks
    edu = m.Education(course="기초과정", title="사회적경제 입문", start_date=dt.date(2021, 3, 2))
    edu.dates = [m.EducationDate(day=dt.date(2021, 3, 2))]
    ident = service.save(a_db, edu).id
    a, b = form(qtbot, EDUCATION, a_db, ident), form(qtbot, EDUCATION, b_db, ident)
    a.children["dates"].add_button.click()
    a.children["dates"].rows[-1][1]["day"].set_value(dt.date(2021, 3, 9))
    assert a.save() == ident, a.last_error
    type_into(qtbot, b.editors["note"], "수료증 발급")
    assert b.save() == ident, b.last_error
    with b_db.session() as s:
        row = s.get(m.Education, ident)
        assert row.note == "수료증 발급"
        assert [d.day for d in row.dates] == [dt.date(2021, 3, 2), dt.date(2021, 3, 9)]


def test_a_row_deleted_here_and_edited_there_is_a_conflict(qtbot, desks):
    a_db, b_db = desks
    edu = m.Education(course="기초과정", title="협동조합 기초", start_date=dt.date(2021, 4, 1))
    edu.dates = [m.EducationDate(day=dt.date(2021, 4, 1)), m.EducationDate(day=dt.date(2021, 4, 8))]
    ident = service.save(a_db, edu).id
    a, b = form(qtbot, EDUCATION, a_db, ident), form(qtbot, EDUCATION, b_db, ident)
    a.children["dates"].rows[1][1]["start_time"].set_value(dt.time(14, 0))
    a.mark_dirty()
    assert a.save() == ident
    b.children["dates"].table.selectRow(1)
    b.children["dates"].remove_selected()
    seen = answer_conflict(qtbot, accept=False)
    assert b.save() is None
    assert seen["rows"][0][1:3] == ("(삭제함)", "(고친 행)")
    with a_db.session() as s:
        assert len(s.get(m.Education, ident).dates) == 2


def test_a_stale_save_does_not_bring_back_a_trashed_record(qtbot, desks):
    a_db, b_db = desks
    ident = org(a_db)
    b = form(qtbot, ORGANIZATION, b_db, ident)
    service.delete(a_db, m.Organization, ident)
    type_into(qtbot, b.editors["phone"], "031-444-4444")
    seen = answer_conflict(qtbot, accept=False)
    assert b.save() is None
    assert "휴지통" in seen["message"]
    with a_db.session() as s:
        assert s.get(m.Organization, ident) is None
    assert len(trash.list_items(a_db)) == 1
    # keeping my values as a new record: a new id, the trash item untouched
    answer_conflict(qtbot)
    new_id = b.save()
    assert new_id is not None
    if not a_db.is_sqlite:  # SQLite reuses the largest rowid + 1 (docs/facts.md)
        assert new_id != ident
    with a_db.session() as s:
        assert s.get(m.Organization, new_id).phone == "031-444-4444"
    assert [i.record_id for i in trash.list_items(a_db)] == [ident]


def test_delete_and_save_without_a_snapshot_check_versions_too(desks):
    a_db, b_db = desks
    ident = org(a_db)
    with a_db.session() as s:
        seen_version = s.get(m.Organization, ident).version
    service.save(b_db, m.Organization(id=ident, name="마을숲", note="고침"))
    with pytest.raises(ConflictError):
        service.delete(a_db, m.Organization, ident, version=seen_version)
    with a_db.session() as s:
        assert s.get(m.Organization, ident) is not None
    service.delete(a_db, m.Organization, ident, version=seen_version + 1)
    # a script's save of the trashed id is refused too (it would re-create it)
    with pytest.raises(ConflictError):
        service.save(b_db, m.Organization(id=ident, name="마을숲"))
    with a_db.session() as s:
        assert s.scalar(select(m.Organization.id)) is None


def test_deleting_from_a_page_after_another_desk_saved_shows_it_first(qtbot, db, monkeypatch):
    from tests.gui_helpers import answer_yes, area_page, capture_warnings, make_window

    ident = org(db)
    window = make_window(qtbot, db)
    page = area_page(window, "organization")
    assert page.select_record(ident)
    with db.engine.begin() as conn:  # another desk's save: no announcement reaches this one
        conn.execute(text("UPDATE organization SET phone = '02-777-7777', version = version + 1 "
                          "WHERE id = :i"), {"i": ident})
    answer_yes(monkeypatch)
    warned = capture_warnings(monkeypatch)
    page.delete_current()
    assert warned and "다른 책상" in warned[0]
    with db.session() as s:
        assert s.get(m.Organization, ident) is not None
    assert page.form.editors["phone"].value() == "02-777-7777"  # the clerk now sees it
    page.delete_current()  # and may delete it, knowingly
    with db.session() as s:
        assert s.get(m.Organization, ident) is None
