"""Search normal form: corporate marks, spaces and hyphens, 초성, and the SQL twin of it."""

from __future__ import annotations

import pytest

from db import search


@pytest.mark.parametrize(("stored", "typed"), [
    ("㈜구민초", "(주)구민"), ("주식회사 구민초", "(주)구민"), ("구민초(주)", "㈜구민"),
    ("(주)마을숲", "ㅁㅇㅅ"), ("(주)마을숲", "마ㅇ숲"), ("123-45-67890", "1234567890"),
    ("1234567890", "123 45 67890"), ("Green Food", "greenfood"), ("마을 숲 협동조합", "마을숲"),
])
def test_typed_text_finds_the_stored_one(stored, typed):
    test = search.matcher(typed)
    assert test is not None and test(search.normalize(stored))


@pytest.mark.parametrize(("stored", "typed"), [
    ("(주)마을숲", "ㅁㅇㄱ"), ("㈜구민초", "ㄱㅁㅅ"), ("두레", "두래"),
])
def test_other_text_is_not_found(stored, typed):
    test = search.matcher(typed)
    assert test is not None and not test(search.normalize(stored))


def test_empty_search_matches_nothing_special():
    assert search.matcher("  ") is None
    assert search.needle("㈜") == "㈜"  # a search for the mark alone still means the mark
