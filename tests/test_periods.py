"""Report periods: every edge of a year, a half-year and an "as of" date, and their spans."""

from __future__ import annotations

import datetime as dt

import pytest

from db.errors import DureError
from db.periods import Period, span

D = dt.date


@pytest.mark.parametrize(("period", "first", "last"), [
    (Period.year_of(2021), D(2021, 1, 1), D(2021, 12, 31)),
    (Period.half_of(2021, 1), D(2021, 1, 1), D(2021, 6, 30)),
    (Period.half_of(2021, 2), D(2021, 7, 1), D(2021, 12, 31)),
    (Period.as_of(D(2021, 11, 16)), D(2021, 1, 1), D(2021, 11, 16)),
])
def test_contains_its_first_and_last_day_and_nothing_beyond(period, first, last):
    assert (period.start, period.end) == (first, last)
    assert period.contains(first)
    assert period.contains(last)
    assert not period.contains(first - dt.timedelta(days=1))
    assert not period.contains(last + dt.timedelta(days=1))


def test_contains_no_date():
    assert Period.year_of(2021).contains(None) is False


def test_year_and_half():
    assert Period.year_of(2019).year == 2019
    assert Period.half_of(2021, 1).half == 1
    assert Period.half_of(2021, 2).half == 2
    assert Period.year_of(2021).half is None
    assert Period.as_of(D(2021, 3, 1)).half is None
    assert Period.as_of(D(2021, 11, 16)).year == 2021


@pytest.mark.parametrize(("period", "key", "label"), [
    (Period.year_of(2021), "2021", "2021년"),
    (Period.half_of(2021, 1), "2021H1", "2021년 상반기"),
    (Period.half_of(2021, 2), "2021H2", "2021년 하반기"),
    (Period.as_of(D(2021, 11, 16)), "2021-11-16", "2021. 11. 16. 기준"),
    (Period(D(2021, 3, 1), D(2021, 4, 5), "range"), "2021-03-01..2021-04-05",
     "2021.03.01~2021.04.05"),
])
def test_key_and_label(period, key, label):
    assert period.key == key
    assert period.label == label
    if period.kind != "range":  # a range is only made by code, never typed
        assert Period.parse(key) == period


@pytest.mark.parametrize(("period", "column"), [
    (Period.year_of(2020), "2020년"),
    (Period.half_of(2021, 1), "2021년 6월"),
    (Period.half_of(2021, 2), "2021년 12월"),  # starts in July: not a whole year
    (Period.as_of(D(2021, 12, 31)), "2021년"),  # 1 January to 31 December is the whole year
    (Period.as_of(D(2021, 11, 16)), "2021년 11월"),
    (Period(D(2021, 1, 1), D(2021, 12, 30), "range"), "2021년 12월"),
    (Period(D(2021, 1, 2), D(2021, 12, 31), "range"), "2021년 12월"),
    (Period(D(2021, 2, 1), D(2021, 12, 31), "range"), "2021년 12월"),
])
def test_column_label(period, column):
    assert period.column_label == column


@pytest.mark.parametrize(("text", "expected"), [
    ("2021", Period.year_of(2021)),
    (" 2021 ", Period.year_of(2021)),
    ("2021H1", Period.half_of(2021, 1)),
    ("2021h2", Period.half_of(2021, 2)),
    ("2021 H 2", Period.half_of(2021, 2)),
    ("2021-11-16", Period.as_of(D(2021, 11, 16))),
    ("2021.11.16", Period.as_of(D(2021, 11, 16))),
    ("2021.11.16.", Period.as_of(D(2021, 11, 16))),
    ("2021/1/5", Period.as_of(D(2021, 1, 5))),
    ("2021. 1. 5", Period.as_of(D(2021, 1, 5))),
    ("1990", Period.year_of(1990)),
    ("2100", Period.year_of(2100)),
])
def test_parse(text, expected):
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", [
    "", "21", "2021H3", "2021H0", "2021-02-30", "2021-13-01", "1989", "2101", "1989H1",
    "2101-01-01", "2021년", "x2021", "2021-11-16x", "20211",
])
def test_parse_refuses_in_korean(text):
    with pytest.raises(DureError) as info:
        Period.parse(text)
    message = str(info.value)
    assert f"'{text}'" in message
    assert "기간" in message


def test_parse_year_range_message_names_the_bounds():
    with pytest.raises(DureError, match="1990~2100"):
        Period.parse("1989")
    with pytest.raises(DureError, match="1990~2100"):
        Period.parse("2101H1")


def test_span_whole_years_then_the_part_year():
    cols = span(Period.year_of(2018), Period.half_of(2021, 1))
    assert [(p.start, p.end) for p in cols] == [
        (D(2018, 1, 1), D(2018, 12, 31)), (D(2019, 1, 1), D(2019, 12, 31)),
        (D(2020, 1, 1), D(2020, 12, 31)), (D(2021, 1, 1), D(2021, 6, 30)),
    ]
    assert [p.column_label for p in cols] == ["2018년", "2019년", "2020년", "2021년 6월"]
    assert [p.kind for p in cols] == ["year", "year", "year", "range"]


def test_span_ending_on_an_as_of_day_keeps_the_kind():
    cols = span(Period.year_of(2020), Period.as_of(D(2021, 11, 16)))
    assert cols[-1] == Period(D(2021, 1, 1), D(2021, 11, 16), "asof")
    assert cols[0] == Period.year_of(2020)


def test_span_of_one_whole_year_and_of_a_second_half():
    assert span(Period.year_of(2021), Period.year_of(2021)) == [Period.year_of(2021)]
    # the second half ends on 31 December: the last column is the whole year
    assert span(Period.year_of(2020), Period.half_of(2021, 2)) == [
        Period.year_of(2020), Period.year_of(2021)]


def test_span_of_a_single_day_period_is_allowed():
    day = Period(D(2021, 1, 1), D(2021, 1, 1), "range")
    assert span(day, day) == [Period(D(2021, 1, 1), D(2021, 1, 1), "range")]


def test_span_backwards_is_refused():
    with pytest.raises(DureError, match="앞섭니다"):
        span(Period.year_of(2021), Period.year_of(2020))


def test_periods_order_by_start():
    assert sorted([Period.half_of(2021, 2), Period.year_of(2020), Period.half_of(2021, 1)]) == [
        Period.year_of(2020), Period.half_of(2021, 1), Period.half_of(2021, 2)]


def test_parse_refusal_word_for_word():
    with pytest.raises(DureError) as info:
        Period.parse("2021H3")
    assert str(info.value) == (
        "기간 '2021H3'을(를) 이해할 수 없습니다. 연도(2021), 반기(2021H1, 2021H2), "
        "기준일(2021-11-16) 중 하나로 쓰세요.")
    with pytest.raises(DureError) as info:
        Period.parse("1989")
    assert str(info.value) == "기간 '1989'의 연도가 범위(1990~2100)를 벗어났습니다."
