"""The in-memory search index finds what the search's own matcher finds, row by row: plain
text, 초성 (the rows' initials) and mixed needles, from scratch and narrowed from a shorter
needle's matches, as a clerk types, deletes and pastes."""

from __future__ import annotations

from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from db import listing, search
from db.listing import COLUMN_SEP, ROW_SEP

# Few characters, so needles often match: syllables sharing initials (마, 말, 모 share ㅁ),
# consonants typed alone (stored jamo are no syllable), digits, latin, the column separator,
# a space and the corporate mark's spellings, and a character beyond the first 65,536.
STORED = "마말모을아숲수가각ㅁㅇㅅ1a" + COLUMN_SEP + " ㈜(주)-\U00020000"
TYPED = "마말모을아숲수가ㅁㅇㅅㄱ1a ㈜-"

texts = st.lists(st.text(STORED, max_size=12), max_size=30)
typed = st.text(TYPED, min_size=1, max_size=5)


def _index(rows: list[str]) -> listing.SearchIndex:
    stored = [search.normalize(r) for r in rows]
    return listing.SearchIndex(array("q", range(1, len(stored) + 1)), stored)


def _expected(index: listing.SearchIndex, text: str) -> list[int] | None:
    match = search.matcher(text)
    if match is None:
        return None
    return [i for i, row in enumerate(index.texts) if match(row)]


@settings(max_examples=300, deadline=None)
@given(rows=texts, text=typed)
def test_index_positions_are_the_rows_the_matcher_finds(rows: list[str], text: str) -> None:
    index = _index(rows)
    assert index.positions(text) == _expected(index, text)


@settings(max_examples=200, deadline=None)
@given(rows=texts, text=typed, data=st.data())
def test_typing_deleting_and_pasting_find_what_a_fresh_search_finds(
        rows: list[str], text: str, data: st.DataObject) -> None:
    """Each prefix as typed (the rows found for the one before searched), then each shorter
    one as letters are deleted, then a pasted needle: the rows a fresh search finds."""
    index = _index(rows)
    hits: list[int] | None = None
    before = ""
    steps = [text[:n] for n in range(1, len(text) + 1)] + [text[:n] for n in range(
        len(text) - 1, 0, -1)] + [data.draw(typed, label="pasted")]
    for step in steps:
        needle = search.needle(step).replace(ROW_SEP, "")
        narrowed = hits is not None and before and before in needle
        if needle:
            hits = index.find(needle, hits if narrowed else None)
            assert hits == _expected(index, step), (before, step)
        else:
            hits = None
        before = needle


def test_initials_are_one_character_per_syllable_of_each_row() -> None:
    rows = listing.initial_rows(ROW_SEP.join(["마을숲", "ㅁ1마 을", "", "a", "가\U00020000각"]))
    assert rows == ["\x07\x0c\x0a", "\x07\x00\x0c", "", "", "\x01\x00\x01"]


@given(st.lists(st.integers(min_value=-5, max_value=5)),
       st.lists(st.integers(min_value=0, max_value=30), max_size=40))
def test_picked_is_each_keys_value_in_order(values: list[int], keys: list[int]) -> None:
    """listing.picked: one itemgetter call in place of map(values.__getitem__, keys), for no
    key, one key (itemgetter gives the value itself, not a tuple) and many, repeated or not."""
    table = array("q", values) if values else array("q", range(31))
    keys = [k % len(table) for k in keys]
    assert list(listing.picked(table, keys)) == [table[k] for k in keys]
    by_id = dict(enumerate(table))  # ranks may be a dict (sparse ids)
    assert list(listing.picked(by_id, keys)) == [by_id[k] for k in keys]


def test_sums_over_no_one_and_many_positions() -> None:
    index = listing.SearchIndex(array("q", [1, 2, 3]), ["가", "나", "다"],
                                {"amount": array("q", [10, 200, 3000])})
    assert index.sums([]) == {"amount": 0}
    assert index.sums([2]) == {"amount": 3000}
    assert index.sums([0, 2]) == {"amount": 3010}
    assert index.sums(range(3)) == {"amount": 3210}
