"""Record titles print what the clerk typed: braces in a value are text, not placeholders."""

from __future__ import annotations

import pytest

from db.naming import render

TEMPLATE = "{metric}[ {category}]"  # 이월 실적: an optional part after the name


@pytest.mark.parametrize("typed", ["a{b", "a}b", "a{x}b", "{metric}", "{{}}", "[괄호]"])
def test_braces_typed_into_a_title_come_back_as_typed(typed):
    assert render(TEMPLATE, {"metric": typed, "category": ""}) == typed
    assert render(TEMPLATE, {"metric": "매출액", "category": typed}) == f"매출액 {typed}"
    assert render(TEMPLATE, {"metric": typed, "category": typed}) == f"{typed} {typed}"


def test_an_empty_optional_part_is_left_out_and_spaces_close_up():
    assert render(TEMPLATE, {"metric": "매출액", "category": None}) == "매출액"
    assert render("{name} ({year}년)[ · {note}]", {"name": "마을숲", "year": 2021, "note": ""}) \
        == "마을숲 (2021년)"
