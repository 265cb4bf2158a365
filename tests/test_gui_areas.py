"""Every program area, on the real widgets: type a record and save it, edit it, delete it, a
rule-breaking input blocks the save, the search box and the year filter narrow the list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db import models as m
from db import service
from tests.db_helpers import row_count as count
from tests.gui_helpers import (
    answer_yes,
    area_page,
    capture_warnings,
    key_text,
    make_window,
    no_modal_unsaved_question,
    type_into,
)

_ = no_modal_unsaved_question  # autouse fixture


@dataclass
class Recipe:
    """What a clerk types for one area's main entity."""

    area: str
    create: dict[str, str]  # field key → typed text
    expect: dict[str, Any]  # stored values checked after the save
    edit: tuple[str, str, Any]  # field, typed text, stored value
    bad: dict[str, str]  # typed text that breaks a rule
    bad_field: str  # the field whose message must show
    search: str  # matches the created record only
    other: dict[str, str] = field(default_factory=dict)  # a second record, another year


RECIPES = [
    Recipe("organization",
           {"name": "행복두레 협동조합", "kind": "협동조합", "representative": "김두레",
            "designated_on": "2021.7.9"},
           {"name": "행복두레 협동조합", "kind": "협동조합", "designated_on": dt.date(2021, 7, 9)},
           ("representative", "이두레", "이두레"),
           {"designated_on": "2021.7.9", "expires_on": "2020.1.1"}, "expires_on", "행복",
           {"name": "다른마을 기업", "designated_on": "2019-03-02"}),
    Recipe("education",
           {"course": "심화과정", "title": "사회적경제 심화과정 1기", "start_date": "2021.7.9",
            "hours": "30", "attendees": "14"},
           {"title": "사회적경제 심화과정 1기", "hours": 30.0, "attendees": 14},
           ("attendees", "15", 15),
           {"start_date": "2021.7.9", "end_date": "2021.7.1"}, "end_date", "심화",
           {"title": "찾아가는 교육", "start_date": "19.5.2"}),
    Recipe("consulting",
           {"kind": "심화 1:1", "held_on": "21.7.9", "topic": "회계 기초", "sessions": "3"},
           {"topic": "회계 기초", "sessions": 3, "held_on": dt.date(2021, 7, 9)},
           ("topic", "노무 관리", "노무 관리"),
           {"held_on": "2021.7.9", "end_on": "2021.6.30"}, "end_on", "회계",
           {"topic": "마케팅", "held_on": "2019.8.1"}),
    Recipe("startup",
           {"year": "2030", "fund_per_team": "800만원", "education_hours": "12",
            "space_support": "1~2인실 공간"},
           {"year": 2030, "fund_per_team": 8_000_000},
           ("fund_per_team", "8,500,000", 8_500_000),
           {"year": "2031", "fund_per_team": "팔백"}, "fund_per_team", "1~2인실",
           {"year": "2019", "space_support": "없음"}),
    Recipe("sales",
           {"kind": "프리마켓", "name": "꿈길마켓", "start_date": "2021-10-20",
            "sales_amount": "8백만"},
           {"name": "꿈길마켓", "sales_amount": 8_000_000, "start_date": dt.date(2021, 10, 20)},
           ("booths", "12", 12),
           {"name": "장터", "start_date": "2021.10.20", "end_date": "2021.10.1"}, "end_date",
           "꿈길", {"name": "온라인 기획전", "start_date": "2019.11.1"}),
    Recipe("finance",
           {"program": "사회보험료", "year": "2021", "organization_id": "두레상회",
            "approved_persons": "3", "approved_amount": "8,000,000"},
           {"year": 2021, "approved_amount": 8_000_000, "approved_persons": 3},
           ("approved_amount", "1천만원", 10_000_000),
           {"year": "2021", "organization_id": "두레상회", "approved_amount": "-5"},
           "approved_amount", "사회보험",
           {"program": "사업개발비", "year": "2019", "organization_id": "두레상회"}),
    Recipe("space",
           {"provider": "코레일", "site": "테스트역 1번출구", "area_m2": "45.5",
            "agreement_on": "2021.3.2"},
           {"site": "테스트역 1번출구", "area_m2": 45.5},
           ("area_m2", "50", 50.0),
           {"site": "넓은 공간", "area_m2": "넓음"}, "area_m2", "테스트역",
           {"provider": "LH", "site": "행신 단지", "agreement_on": "2019.12.1"}),
    Recipe("social_service",
           {"name": "고양해피케어", "year": "2021", "budget_national": "1억"},
           {"name": "고양해피케어", "budget_national": 100_000_000},
           ("budget_city", "5천만원", 50_000_000),
           {"name": "돌봄", "year": "2021", "start_on": "2021.5.1", "end_on": "2021.4.1"},
           "end_on", "해피", {"name": "돌봄 사업", "year": "2019"}),
    Recipe("purchasing",
           {"year": "2021", "as_of": "2021.11.16", "amount": "56억", "grade": "A"},
           {"amount": 5_600_000_000, "as_of": dt.date(2021, 11, 16)},
           ("rate", "4.5", 4.5),
           {"year": "2021", "as_of": "2021.2.30", "amount": "1억"}, "as_of", "A",
           {"year": "2019", "as_of": "2019.12.31", "amount": "30억"}),
    Recipe("events",
           {"name": "사회적경제 한마당", "held_on": "2021.10.8", "venue": "호수공원"},
           {"name": "사회적경제 한마당", "held_on": dt.date(2021, 10, 8)},
           ("venue", "일산문화광장", "일산문화광장"),
           {"name": "축제", "held_on": "2021.10.8", "end_on": "2021.10.1"}, "end_on", "한마당",
           {"name": "장터 축제", "held_on": "2019.9.1"}),
    Recipe("governance",
           {"kind": "전문가 자문", "held_on": "2021.3.2", "title": "공약 이행 자문 회의"},
           {"title": "공약 이행 자문 회의", "held_on": dt.date(2021, 3, 2)},
           ("title", "공약 점검 회의", "공약 점검 회의"),
           {"title": "회의", "held_on": "어제"}, "held_on", "자문",
           {"kind": "기타", "held_on": "2019.4.1", "title": "언론 보도"}),
]


@pytest.fixture
def org(db):
    return service.save(db, m.Organization(name="두레상회", kind="마을기업")).id


def fill(qtbot: Any, page: Any, values: dict[str, str]) -> None:
    page.new_record()
    for key, text in values.items():
        type_into(qtbot, page.form.editors[key], text)
    page.form.revalidate_now()  # the debounce timer would do this 250 ms later


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.area)
def test_create_edit_delete(qtbot, db, org, monkeypatch, recipe):
    window = make_window(qtbot, db)
    page = area_page(window, recipe.area)
    model = page.spec.model
    before = count(db, model)
    fill(qtbot, page, recipe.create)
    assert page.save_button.isEnabled(), page.form.problems
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    ident = page.form.record_id
    assert ident is not None and count(db, model) == before + 1
    with db.session() as s:
        row = s.get(model, ident)
        for key, value in recipe.expect.items():
            assert getattr(row, key) == value, key
    assert page.model.row_of(ident) >= 0  # the list refreshed through records_changed

    key, text, stored = recipe.edit
    type_into(qtbot, page.form.editors[key], text)
    page.form.revalidate_now()
    qtbot.keyClick(page.form.editors[key], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.form.dirty
    with db.session() as s:
        assert getattr(s.get(model, ident), key) == stored

    asked = answer_yes(monkeypatch)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert asked and count(db, model) == before
    assert page.model.row_of(ident) < 0


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.area)
def test_rule_breaking_input_saves_nothing(qtbot, db, org, monkeypatch, recipe):
    window = make_window(qtbot, db)
    page = area_page(window, recipe.area)
    before = count(db, page.spec.model)
    fill(qtbot, page, recipe.bad)
    message = page.form.messages[recipe.bad_field]
    assert not page.save_button.isEnabled()
    assert message.isVisibleTo(page) and message.text()
    assert "border" in page.form.editors[recipe.bad_field].styleSheet() or \
        "border" in getattr(page.form.editors[recipe.bad_field], "combo",
                            page.form.editors[recipe.bad_field]).styleSheet()
    warnings = capture_warnings(monkeypatch)
    assert page.save() is False and warnings
    assert count(db, page.spec.model) == before


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: r.area)
def test_search_and_year_filter(qtbot, db, org, recipe):
    window = make_window(qtbot, db)
    page = area_page(window, recipe.area)
    for values in (recipe.create, recipe.other):
        fill(qtbot, page, values)
        assert page.save(), page.form.problems
    total = page.model.rowCount()
    assert total >= 2
    key_text(qtbot, page.search, recipe.search)
    assert 1 <= page.model.rowCount() < total
    page.search.clear()
    assert page.model.rowCount() == total
    if page.spec.period is None:
        return
    years = {page.period.itemText(i) for i in range(page.period.count())}
    assert {"전체", "2019년"} <= years
    page.period.setCurrentIndex(page.period.findText("2019년"))
    assert page.model.rowCount() == 1
    half = page.period.findText("2019년 하반기")
    if half >= 0:  # date periods also offer halves
        page.period.setCurrentIndex(half)
        assert page.model.rowCount() in (0, 1)
    page.period.setCurrentIndex(0)
    assert page.model.rowCount() == total
