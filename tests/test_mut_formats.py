"""db/formats.py: the whole message of every refusal, and each branch the mutation run found open.

Messages are what the clerk reads, so they are compared whole (label, quoted text, the accepted
forms). Each parser branch is tried on the input that only it handles: bools, None, numbers
given as numbers, a true minus sign, a unit after a bare number, half-way roundings.
"""

from __future__ import annotations

import pytest

from db.errors import DureError
from db.formats import (
    area,
    eok_won,
    josa,
    million_won,
    parse_date,
    parse_float,
    parse_int,
    parse_money,
    percent,
    pyeong,
)

MONEY_FORMS = "8,000,000 · 800만원 · 8백만원 · 1억 2천만원 · 5,665천원 · 12.5백만원"
DATE_FORMS = "2021.7.9. · 2021-07-09 · 2021/7/9 · '21.7.9. · 20210709 · 2021년 7월 9일"


def refusal(fn, *args, **kwargs) -> str:
    with pytest.raises(DureError) as info:
        fn(*args, **kwargs)
    return str(info.value)


# ---------------------------------------------------------------- money


@pytest.mark.parametrize("value, message", [
    (True, f"금액 값(True)을(를) 알아볼 수 없습니다. {MONEY_FORMS}처럼 입력하세요."),
    (None, f"금액이(가) 비어 있습니다. {MONEY_FORMS}처럼 입력하세요."),
    (-5, "금액 '-5'이(가) 음수입니다. 0원 이상으로 입력하세요."),
    (2.5, "금액 '2.5'에 1원 미만의 소수가 있습니다. 원 단위 정수로 입력하세요."),
    ("X100", f"금액 'X100'을(를) 알아볼 수 없습니다. {MONEY_FORMS}처럼 입력하세요."),
    (" 0.5원 ", "금액 '0.5원'에 1원 미만의 소수가 있습니다. 원 단위 정수로 입력하세요."),
    ("△300", "금액 '△300'이(가) 음수입니다. 0원 이상으로 입력하세요."),
])
def test_money_refusals_word_for_word(value, message):
    assert refusal(parse_money, value) == message


def test_money_refusals_carry_the_callers_label():
    assert refusal(parse_money, -1, "지원금") == (
        "지원금 '-1'이(가) 음수입니다. 0원 이상으로 입력하세요.")
    assert refusal(parse_money, "1.5", "지원금") == (
        "지원금 '1.5'에 1원 미만의 소수가 있습니다. 원 단위 정수로 입력하세요.")


@pytest.mark.parametrize("text, value", [
    ("1천5만원", 10_050_000),      # a number before 만 adds to the 천 already read
    ("2억3천4만", 230_040_000),
    ("1억 만원", 100_010_000),     # 만 alone after 억 is one 만
    ("3천999", 3_999),
])
def test_money_units_combine(text, value):
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["3천1000", "2백100", "5십10"])
def test_money_a_plain_number_as_big_as_the_unit_before_it_is_refused(text):
    assert refusal(parse_money, text) == (
        f"금액 '{text}'을(를) 알아볼 수 없습니다. {MONEY_FORMS}처럼 입력하세요.")


# ---------------------------------------------------------------- plain numbers


@pytest.mark.parametrize("value, message", [
    (None, "수 ''을(를) 정수로 알아볼 수 없습니다. 14, 1,234처럼 숫자만 입력하세요."),
    (True, "수 'True'을(를) 정수로 알아볼 수 없습니다. 14, 1,234처럼 숫자만 입력하세요."),
    (3.5, "수 '3.5'을(를) 정수로 알아볼 수 없습니다. 14, 1,234처럼 숫자만 입력하세요."),
    (-3, "수 '-3'이(가) 음수입니다. 0 이상으로 입력하세요."),
    ("−3", "수 '−3'이(가) 음수입니다. 0 이상으로 입력하세요."),
    ("1.5명", "수 '1.5명'을(를) 정수로 알아볼 수 없습니다. 14, 1,234처럼 숫자만 입력하세요."),
])
def test_int_refusals_word_for_word(value, message):
    assert refusal(parse_int, value) == message


@pytest.mark.parametrize("value, message", [
    (None, "값 ''을(를) 숫자로 알아볼 수 없습니다. 138.62, 3.5처럼 숫자만 입력하세요."),
    ("3,5", "값 '3,5'을(를) 숫자로 알아볼 수 없습니다. 138.62, 3.5처럼 숫자만 입력하세요."),
    (-0.5, "값 '-0.5'이(가) 음수입니다. 0 이상으로 입력하세요."),
])
def test_float_refusals_word_for_word(value, message):
    assert refusal(parse_float, value) == message


def test_numbers_read_through_spaces_units_and_a_true_minus_sign():
    assert parse_int(" 1 234 명 ", unit="명") == 1234
    assert parse_int("−7", allow_negative=True) == -7
    assert parse_int(-7, allow_negative=True) == -7
    assert parse_int(14) == 14
    assert parse_float("−1.5", allow_negative=True) == -1.5
    assert parse_float("-2", allow_negative=True) == -2.0
    assert parse_float("1 234.5㎡", unit="㎡") == 1234.5
    assert parse_float(1e20) == 1e20


# ---------------------------------------------------------------- dates


def test_date_refusals_word_for_word():
    assert refusal(parse_date, None) == f"날짜이(가) 비어 있습니다. {DATE_FORMS}처럼 입력하세요."
    assert refusal(parse_date, "X2021.7.9", "협약일") == (
        f"협약일 'X2021.7.9'을(를) 알아볼 수 없습니다. {DATE_FORMS}처럼 입력하세요.")


# ---------------------------------------------------------------- formatting


def test_negative_money_keeps_its_sign():
    assert million_won(-143_500_000) == "-143.5"
    assert million_won(-903_000_000) == "-903"
    assert eok_won(-450_000_000) == "-4.5억"
    assert eok_won(-7_600_000_000) == "-76억"


def test_half_way_values_round_up():
    assert area(0.125) == "0.13㎡"
    assert area(2.345) == "2.35㎡"
    assert percent(0.25) == "0.3%"
    assert percent(2.5, 0) == "3%"
    assert pyeong(1.6529) == 1      # exactly 0.5평
    assert pyeong(8.2645) == 3      # exactly 2.5평


@pytest.mark.parametrize("digit, eun, euro", [
    ("0", "은", "으로"), ("1", "은", "로"), ("2", "는", "로"), ("3", "은", "으로"),
    ("4", "는", "로"), ("5", "는", "로"), ("6", "은", "으로"), ("7", "은", "로"),
    ("8", "은", "로"), ("9", "는", "로"),
])
def test_josa_after_each_digit(digit, eun, euro):
    assert josa(f"제{digit}", "은/는") == f"제{digit}{eun}"
    assert josa(f"{digit}", "으로/로") == f"{digit}{euro}"


def test_josa_edges_of_the_hangul_block_and_what_is_not_hangul():
    assert josa("사가", "은/는") == "사가는"      # 가, the first syllable
    assert josa("힣", "은/는") == "힣은"          # 힣, the last one
    assert josa("abc", "이/가") == "abc이(가)"
    assert josa("138㎡", "을/를") == "138㎡을(를)"
    assert josa("'능곡역 2층'", "은/는") == "'능곡역 2층'은"
    assert josa("「학교」", "을/를") == "「학교」를"
    assert josa("학교 ", "을/를") == "학교 를"
