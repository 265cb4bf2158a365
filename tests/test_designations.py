"""예비사회적기업 지정 신청: the query on the demo data, the report's sub-table, the desk page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import select

from db import models as m
from db import service
from db.periods import Period
from db.queries import designation_applications
from exports import api
from tests.export_fixtures import pdf_text, squash
from tests.gui_helpers import area_page, make_window, no_modal_unsaved_question, type_into

_ = no_modal_unsaved_question  # autouse fixture

# The seed's "2021년 하반기 경기도형 예비사회적기업 지정 신청 현황(3개팀)", row by row.
SEED_ROWS = [
    ("(주)마을숲", "이영아", "일자리제공형", "로컬푸드, 친환경상품 온/오프 플랫폼 운영"),
    ("협동조합 행호유람", "이옥석", "지역사회공헌형(가형)",
     "고양시 유적지와 문화재 탐험, 답사, 교구, 역사프로그램 기획 운영"),
    ("(주)그린다", "김선당", "창의혁신형", "식품컨텐츠 개발 운영"),
]


def test_query_lists_the_half_years_applications(demo_files):
    database, _folder = demo_files
    with database.session() as s:
        rows = designation_applications(s, Period.parse("2021H2"))
        earlier = designation_applications(s, Period.parse("2021H1"))
        teams = {t.id: t.name for t in s.scalars(select(m.StartupTeam))}
        linked = {a.applicant: a.team_id for a in s.scalars(select(m.DesignationApplication))}
    assert [(r.applicant, r.representative, r.purpose_type, r.business) for r in rows] \
        == SEED_ROWS
    assert {r.kind for r in rows} == {"경기도형"} and {r.result for r in rows} == {"심사 중"}
    assert earlier == []  # filed in 하반기: not in the 상반기 report
    assert teams[linked["(주)그린다"]] == "그린다"  # the application keeps its own name


def test_report_prints_the_sub_table(demo_files):
    database, folder = demo_files
    text = pdf_text(api.export_report(database, Period.parse("2021H2"), folder / "r.pdf"))
    assert squash("2021년 하반기 경기도형 예비사회적기업 지정 신청 현황(3개팀)") in text
    assert squash("기업명 대표 사회적목적 유형 주 사업내용 및 분야") in text
    for row in SEED_ROWS:
        assert squash("".join(row)) in text, row[0]
    assert "결과" not in text.split("지정신청현황")[1][:40]  # no result column while pending


def test_report_adds_a_result_column_once_known(db, tmp_path):
    service.save(db, m.DesignationApplication(
        applicant="두레상회", kind="부처형", applied_on=dt.date(2021, 8, 2), result="지정",
        result_on=dt.date(2021, 12, 1)))
    text = pdf_text(api.export_report(db, Period.parse("2021H2"), tmp_path / "r.pdf"))
    assert squash("2021년 하반기 부처형 예비사회적기업 지정 신청 현황(1개팀)") in text
    assert squash("두레상회") in text and squash("지정(12.1.)") in text


def test_desk_page_creates_an_application(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "startup", 2)
    assert page.spec.model is m.DesignationApplication
    page.new_record()
    for key, text in {"applicant": "(주)그린다", "representative": "김선당",
                      "purpose_type": "창의혁신형", "applied_on": "2021.10.15",
                      "business": "식품컨텐츠 개발 운영"}.items():
        type_into(qtbot, page.form.editors[key], text)
    page.form.revalidate_now()
    assert page.save_button.isEnabled(), page.form.problems
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    ident = page.form.record_id
    assert ident is not None
    with db.session() as s:
        row = s.get(m.DesignationApplication, ident)
        assert (row.applicant, row.kind, row.result, row.applied_on) == \
            ("(주)그린다", "경기도형", "심사 중", dt.date(2021, 10, 15))
        assert row.business == "식품컨텐츠 개발 운영"
    assert page.model.row_of(ident) >= 0


def test_desk_page_refuses_a_result_before_the_application(qtbot, db):
    window = make_window(qtbot, db)
    page = area_page(window, "startup", 2)
    page.new_record()
    for key, text in {"applicant": "두레", "applied_on": "2021.10.15",
                      "result_on": "2021.9.1"}.items():
        type_into(qtbot, page.form.editors[key], text)
    page.form.revalidate_now()
    assert not page.save_button.isEnabled()
    assert page.form.messages["result_on"].text()


def test_rules_warn_about_a_result_without_its_date(db):
    from db.rules import validate

    app = m.DesignationApplication(applicant="두레", applied_on=dt.date(2021, 10, 15),
                                   result="지정")
    with db.session() as s:
        problems = {p.field: p for p in validate(app, s)}
    assert "result_on" in problems and problems["result_on"].severity == "warning"
    app.result, app.result_on = "심사 중", dt.date(2021, 12, 1)
    with db.session() as s:
        assert [p.field for p in validate(app, s)] == ["result"]


def test_every_data_sheet_has_distinct_headers():
    """The importer matches columns by header: '기업명' of the applicant once collided with
    the enterprise reference's name column."""
    from db.tabular import ENTITIES
    from exports.assemble import data_columns

    assert m.DesignationApplication in ENTITIES
    for model in ENTITIES:
        _cols, labels, _kinds = data_columns(model)
        assert len(labels) == len(set(labels)), (model.__name__, labels)
