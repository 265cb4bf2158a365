"""Parsing the clerk's input and formatting figures as the seed report prints them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db import formats as f
from db.errors import DureError

HANGUL = re.compile(r"[가-힣]")


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8,000,000", 8_000_000),
        ("8000000", 8_000_000),
        ("800만원", 8_000_000),
        ("800만", 8_000_000),
        ("8백만", 8_000_000),
        ("8백만원", 8_000_000),
        ("1억 2천만원", 120_000_000),
        ("1억2천만", 120_000_000),
        ("5,665천원", 5_665_000),
        ("12.5백만원", 12_500_000),
        ("₩1,000", 1_000),
        ("  8 000 000 원 ", 8_000_000),
        ("3천5백만원", 35_000_000),
        ("천만원", 10_000_000),
        ("1억", 100_000_000),
        ("0", 0),
        ("1,234.0", 1_234),
        ("８,０００,０００원", 8_000_000),  # full-width, as a Korean IME may type it
        ("￦1,000", 1_000),
        (8_000_000, 8_000_000),
        (8_000_000.0, 8_000_000),
    ],
)
def test_parse_money_accepts(text, expected):
    assert f.parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("-1,000", "음수"),
        ("−500원", "음수"),
        ("1.5", "소수"),
        ("1,000.5원", "소수"),
        ("12.34567만원", "소수"),
        ("abc", "알아볼 수 없습니다"),
        ("8000원x", "알아볼 수 없습니다"),
        ("", "비어"),
        ("   ", "비어"),
        ("만억", "알아볼 수 없습니다"),
        ("1,00,000", "알아볼 수 없습니다"),
        ("3천5000만", "알아볼 수 없습니다"),
        (-5, "음수"),
        (2.5, "소수"),
    ],
)
def test_parse_money_rejects_in_korean_naming_the_text(text, needle):
    with pytest.raises(DureError) as err:
        f.parse_money(text)
    message = str(err.value)
    assert needle in message
    assert HANGUL.search(message)
    if isinstance(text, str) and text.strip():
        assert text.strip() in message  # the clerk sees what they typed
    if needle == "알아볼 수 없습니다":
        assert "800만원" in message  # and the accepted forms


def test_parse_money_label_in_message():
    with pytest.raises(DureError, match="^매출액"):
        f.parse_money("x", label="매출액")


@given(st.integers(min_value=0, max_value=10**15))
def test_money_round_trip(n):
    assert f.parse_money(f.won(n)) == n
    assert f.parse_money(f.won(n) + "원") == n
    assert f.parse_money(str(n)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_unit_formats_round_trip(n):
    assert f.parse_money(f.thousand_won(n * 1000) + "천원") == n * 1000
    assert f.parse_money(f.million_won(n * 100_000) + "백만원") == n * 100_000
    assert f.parse_money(f.eok_won(n * 10**7) + "원") == n * 10**7


# ---------------------------------------------------------------- dates and times

JULY_9 = dt.date(2021, 7, 9)


@pytest.mark.parametrize(
    "text",
    [
        "2021.7.9", "2021.7.9.", "2021. 7. 9.", "2021-07-09", "2021/7/9", "21.7.9", "'21.7.9.",
        "20210709", "2021. 7. 9.(금)", "2021.7.9 (금요일)", "2021년 7월 9일", " 2021-7-9 ",
        "2021-07-09 00:00:00", "2021-07-09T15:30", "２０２１．７．９．",
    ],
)
def test_parse_date_accepts(text):
    assert f.parse_date(text) == JULY_9


def test_two_digit_years_pivot():
    assert f.parse_date("'98.3.1.") == dt.date(1998, 3, 1)
    assert f.parse_date("19.8.15") == dt.date(2019, 8, 15)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2021.2.30", "달력에 없는"),
        ("2021.13.1", "달력에 없는"),
        ("어제", "알아볼 수 없습니다"),
        ("2021.7", "알아볼 수 없습니다"),
        ("2021.7-9", "알아볼 수 없습니다"),
        ("", "비어"),
        ("2021.7.9.(목)", "요일"),
    ],
)
def test_parse_date_rejects(text, needle):
    with pytest.raises(DureError) as err:
        f.parse_date(text)
    assert needle in str(err.value)
    if text:
        assert text in str(err.value)


def test_wrong_weekday_can_be_tolerated_for_old_text():
    # The seed report prints 2021.10.8.(화) for a Friday.
    assert f.parse_date("2021.10.8.(화)", check_weekday=False) == dt.date(2021, 10, 8)
    with pytest.raises(DureError, match="금요일"):
        f.parse_date("2021.10.8.(화)")


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_date_round_trip(d):
    assert f.parse_date(f.report_date(d)) == d
    assert f.parse_date(f.report_date(d, weekday=False)) == d
    assert f.parse_date(f.dotted(d)) == d
    assert f.parse_date(f.yy_date(d)) == d
    assert f.parse_date(d.isoformat()) == d
    assert f.parse_date(d.strftime("%Y%m%d")) == d


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2021, 7, 9, 15, 30), JULY_9),
        (JULY_9, JULY_9),
        (44386, JULY_9),  # Excel's serial for 2021-07-09
        (44386.625, JULY_9),  # with a time of day
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        ("2021. 7. 9.(금)", JULY_9),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_excel_date(value, expected):
    assert f.parse_excel_date(value) == expected


@pytest.mark.parametrize("value", [0, -3, 60, True, 10**8, [2021]])
def test_parse_excel_date_rejects(value):
    with pytest.raises(DureError) as err:
        f.parse_excel_date(value)
    assert HANGUL.search(str(err.value))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15:00", dt.time(15)), ("9:30", dt.time(9, 30)), ("15시", dt.time(15)),
     ("15시 30분", dt.time(15, 30)), ("1500", dt.time(15)), ("10:00:00", dt.time(10))],
)
def test_parse_time(text, expected):
    assert f.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "12:60", "오후", ""])
def test_parse_time_rejects(text):
    with pytest.raises(DureError, match="시각"):
        f.parse_time(text)


# ---------------------------------------------------------------- plain numbers


def test_parse_int_and_float():
    assert f.parse_int("1,234") == 1234
    assert f.parse_int("14명", unit="명") == 14
    assert f.parse_int(9.0) == 9
    assert f.parse_float("138.62") == pytest.approx(138.62)
    assert f.parse_float("3.5") == 3.5
    assert f.parse_float("138.62㎡", unit="㎡") == pytest.approx(138.62)
    assert f.parse_int("-3", allow_negative=True) == -3


@pytest.mark.parametrize("text", ["1.5", "열", "", "-3", "14명"])
def test_parse_int_rejects(text):
    with pytest.raises(DureError) as err:
        f.parse_int(text, label="참석 인원")
    assert "참석 인원" in str(err.value)


@pytest.mark.parametrize("text", ["3.5시간", "x", "-1"])
def test_parse_float_rejects(text):
    with pytest.raises(DureError, match="교육 시간"):
        f.parse_float(text, label="교육 시간")


# ---------------------------------------------------------------- formatting


def test_money_formats():
    assert f.won(8_000_000) == "8,000,000"
    assert f.thousand_won(5_665_000) == "5,665"
    assert f.thousand_won(5_665_500) == "5,666"  # half up, not to even
    assert f.thousand_won(5_664_499) == "5,664"
    assert f.thousand_won(-1_500) == "-2"
    assert f.million_won(143_500_000) == "143.5"
    assert f.million_won(903_000_000) == "903"
    assert f.million_won(902_960_000) == "903"  # whole after rounding to one decimal
    assert f.million_won(1_234_560_000) == "1,234.6"
    assert f.million_won(250_000) == "0.3"
    assert f.eok_won(7_600_000_000) == "76억"
    assert f.eok_won(10_000_000_000) == "100억"
    assert f.eok_won(5_600_000_000) + "원" == "56억원"
    assert f.eok_won(450_000_000) == "4.5억"


def test_count_area_pyeong_percent():
    assert f.count(9, "개팀") == "9개팀"
    assert f.count(1234, "명") == "1,234명"
    assert f.area(138.62) == "138.62㎡"
    assert f.area(50) == "50㎡"
    assert f.area(1234.5) == "1,234.5㎡"
    assert f.pyeong(138.62) == round(138.62 / 3.3058)  # 41.93… → 42
    assert f.pyeong(49.587) == 15  # exactly 15.0 평
    assert f.pyeong_text(138.62) == "42평"
    assert f.percent(4.5) == "4.5%"
    assert f.percent(5.0) == "5%"


def test_date_formats():
    assert f.report_date(JULY_9) == "2021. 7. 9.(금)"
    assert f.report_date(JULY_9, weekday=False) == "2021. 7. 9."
    assert f.short_date(JULY_9) == "7.9."
    assert f.dotted(dt.date(2019, 8, 15)) == "2019.8.15."
    assert f.yy_month(dt.date(2019, 7, 1)) == "'19.7."
    assert f.yy_date(dt.date(2019, 4, 25)) == "'19.4.25."
    assert f.yy_month(dt.date(2005, 1, 1)) == "'05.1."
    assert f.year_month(dt.date(2018, 12, 3)) == "2018. 12."
    assert f.weekday_name(JULY_9) == "금"


def test_date_ranges():
    assert f.date_range(dt.date(2021, 5, 12), dt.date(2021, 5, 14)) == "5. 12.(수)~14.(금)"
    assert f.date_range(dt.date(2021, 6, 17), dt.date(2021, 6, 20), compact=True) == (
        "6.17.(목)~20.(일)"
    )
    assert f.date_range(dt.date(2021, 6, 30), dt.date(2021, 7, 2)) == "6. 30.(수)~7. 2.(금)"
    assert f.date_range(dt.date(2021, 12, 30), dt.date(2022, 1, 2)) == (
        "2021. 12. 30.(목)~2022. 1. 2.(일)"
    )
    assert f.date_range(JULY_9, JULY_9) == "7. 9.(금)"


def test_josa_follows_the_last_sound():
    assert f.josa("종료일", "이/가") == "종료일이"
    assert f.josa("계약 종료", "이/가") == "계약 종료가"
    assert f.josa("금액", "을/를") == "금액을"
    assert f.josa("점수", "은/는") == "점수는"
    assert f.josa("서울", "으로/로") == "서울로"
    assert f.josa("부산", "으로/로") == "부산으로"
    assert f.josa("ABC", "이/가") == "ABC이(가)"
