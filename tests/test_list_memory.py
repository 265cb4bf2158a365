"""Long lists held in memory give exactly what SQL gives: sort orders read once per column
(ascending and descending, blanks last, ties by id), the first screen before the rest of the
ids, a search over the index's blob, and the 합계 over what is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import listing, search
from db import models as m
from db.listing import ROW_SEP, Filter
from gui.widgets import table_model
from gui.widgets.table_model import RecordTableModel, listing_of
from tests.gui_helpers import every_spec


def test_column_orders_are_the_sql_sorts_of_every_list(demo):
    for spec in every_spec():
        lst = listing_of(spec)
        for c in lst.columns:
            asc, desc = listing.orders(demo, lst, c.key)
            assert list(asc) == list(listing.ids(demo, lst, sort=(c.key, False))), c.key
            assert list(desc) == list(listing.ids(demo, lst, sort=(c.key, True))), c.key


def test_column_orders_keep_ties_by_id_and_blanks_last(db):
    import datetime as dt

    from db import service
    from gui.forms.organization import ORGANIZATION

    days = [dt.date(2020, 1, 1), None, dt.date(2019, 5, 5), dt.date(2020, 1, 1), None,
            dt.date(2019, 5, 5), dt.date(2021, 3, 3)]
    made = [service.save(db, m.Organization(name=f"기업{i % 3}", designated_on=d)).id
            for i, d in enumerate(days)]
    lst = listing_of(ORGANIZATION)
    asc, desc = listing.orders(db, lst, "designated_on")
    a, b, c, d, e, f, g = made
    assert list(asc) == [c, f, a, d, g, b, e]
    assert list(desc) == [g, a, d, c, f, b, e]
    asc, desc = listing.orders(db, lst, "name")
    assert list(asc) == list(listing.ids(db, lst, sort=("name", False))) == [a, d, g, b, e, c, f]
    assert list(desc) == list(listing.ids(db, lst, sort=("name", True))) == [c, f, b, e, a, d, g]


def test_search_positions_are_the_rows_whose_text_matches(demo):
    for spec in every_spec():
        lst = listing_of(spec)
        if not lst.search:
            continue
        index = listing.search_index(demo, lst)
        rows = index.blob.split(ROW_SEP) if len(index) else []
        for text in ("a", "마을", "㈜", "ㅁㅇ", "2", "협동조합", "ㅎ", "없는말"):
            match = search.matcher(text)
            assert index.positions(text) == [i for i, row in enumerate(rows) if match(row)]
        assert index.positions(" ") is None


def _kinds(codes):
    """Each row's filter value (kind) as its byte code stands for it (the numbering of the
    codes follows the order the values came in, which is no part of what a filter finds)."""
    kind_of = {code: kind for kind, code in codes.code_of.items()} | {0: None}
    return [kind_of[c] for c in codes.codes]


def test_an_index_read_in_small_chunks_is_the_index_read_at_once(demo, monkeypatch):
    """The index is read a few thousand rows at a time (so the window is never kept waiting
    long): chunks of 3 rows and of all the rows give the same texts, initials, sums and
    filter codes, for every list."""
    chunked = 0
    for spec in every_spec():
        lst = listing_of(spec)
        indexes = []
        for size in (3, 10**9):
            monkeypatch.setattr(listing, "INDEX_CHUNK", size)
            index = listing.search_index(demo, lst)
            indexes.append((list(index.ids), index.texts, index.initials,
                            {k: list(v) for k, v in index.values.items()},
                            {k: _kinds(c) for k, c in index.codes.items()}))
        assert indexes[0] == indexes[1], spec.table
        chunked += len(indexes[0][0]) > 3
    assert chunked >= 10  # lists of more than one chunk of 3


def _expected(database, lst, flt, sort, text):
    ids = listing.ids(database, lst, flt, sort)
    if not text:
        return list(ids)
    index = listing.search_index(database, lst)
    wanted = index.matching_ids(text)
    return [i for i in ids if i in wanted]


@pytest.mark.parametrize("table", ["finance_grant", "organization"])
def test_a_long_list_in_memory_shows_what_sql_shows(qtbot, demo, monkeypatch, table):
    """The long-list paths (first screen then the rest on a thread, sort orders and search
    index on a thread) on a small list: every sort, with a filter and a search, as in SQL."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    monkeypatch.setattr(table_model, "FIRST_IDS", 3)
    spec = next(s for s in every_spec() if s.table == table)
    model = RecordTableModel(spec)
    lst = model.listing
    model.set_sort(0, Qt.SortOrder.DescendingOrder)
    model.load(demo)
    assert model.rowCount() == listing.count(demo, lst) > 3
    assert len(model._base) == 3  # the first screen; the rest comes from a thread
    qtbot.waitUntil(lambda: len(model._base) == model.rowCount(), timeout=10_000)
    assert list(model.shown_ids()) == _expected(demo, lst, Filter(), (lst.columns[0].key, True),
                                                "")
    model.prefetch_search()
    keys = {c.key for c in lst.columns}
    qtbot.waitUntil(lambda: {k for k, _d in model._orders} == keys, timeout=20_000)
    assert model._index is not None
    choice = next(c for c in lst.columns if c.kind == "choice")
    value = listing.rows(demo, lst, model.shown_ids()[:1])[model.shown_ids()[0]][
        [c.key for c in lst.columns].index(choice.key)]
    summed = [c.key for c in lst.columns if c.summed]
    for flt_value, text in ((None, ""), (None, "2"), (value, ""), (value, "2")):
        model.set_equals(choice.key, flt_value)
        model.set_search(text)
        flt = Filter(equals=((choice.key, flt_value),)) if flt_value is not None else Filter()
        for column, c in enumerate(lst.columns):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                model.sort(column, order)
                desc = order == Qt.SortOrder.DescendingOrder
                assert list(model.shown_ids()) == _expected(demo, lst, flt, (c.key, desc),
                                                            text), (c.key, desc, text)
                assert model.rowCount() == len(model.shown_ids())
        shown = set(model.shown_ids())
        for key in summed:
            col = [c.key for c in lst.columns].index(key)
            values = listing.rows(demo, lst, list(shown))
            assert model.totals()[key] == sum(v[col] or 0 for v in values.values())


def test_typing_on_narrows_to_what_sql_shows(qtbot, demo, monkeypatch):
    """A longer needle searches among the rows shown for its start: the same rows, in the
    same order, as a fresh search; a needle that is not a longer one starts afresh."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    spec = next(s for s in every_spec() if s.table == "organization")
    model = RecordTableModel(spec)
    lst = model.listing
    model.load(demo)
    name = [c.key for c in lst.columns].index("name")
    model.sort(name, Qt.SortOrder.DescendingOrder)
    for text in ("협", "협동", "협동조합", "동조", "ㅎ", "ㅎㄷ", "ㅎㄷㅈ", "협ㄷ", "", "㈜",
                 "㈜마"):
        model.set_search(text)
        assert list(model.shown_ids()) == _expected(demo, lst, Filter(), ("name", True), text), \
            text
    assert 0 < model.rowCount() < listing.count(demo, lst)


def test_a_row_beyond_the_first_screen_reads_the_rest_at_once(qtbot, demo, monkeypatch):
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    monkeypatch.setattr(table_model, "FIRST_IDS", 3)
    monkeypatch.setattr(table_model, "background", lambda *_job: None)  # no thread brings them
    spec = next(s for s in every_spec() if s.table == "organization")
    model = RecordTableModel(spec)
    model.load(demo)
    assert len(model._base) == 3 < model.rowCount()
    last = model.rowCount() - 1
    assert model.id_at(last) == listing.ids(demo, model.listing)[last]
    assert model.index(last, 0).data() == model.row_texts([last]).__next__()[0]
    assert len(model._base) == model.rowCount()


def _held(qtbot, model):
    model.prefetch_search()
    keys = {c.key for c in model.listing.columns}
    qtbot.waitUntil(lambda: model._index is not None
                    and {k for k, _d in model._orders} == keys, timeout=20_000)


@pytest.mark.parametrize("table", ["consulting", "finance_grant", "education"])
def test_filters_in_memory_show_what_sql_shows(qtbot, demo, monkeypatch, table):
    """Year, half and choice filters on a long list whose orders are held are picked from the
    index's filter codes (no query): the same rows in the same order, count and 합계 as SQL,
    for every sort, with and without a search."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    spec = next(s for s in every_spec() if s.table == table)
    model = RecordTableModel(spec)
    lst = model.listing
    model.load(demo)
    qtbot.waitUntil(lambda: len(model._base) == model.rowCount(), timeout=10_000)
    _held(qtbot, model)
    queries = []
    monkeypatch.setattr(listing, "summary", lambda *a: queries.append(a) or (0, {}))
    choice = next((c for c in lst.columns if c.kind == "choice"), None)
    values = sorted({v for v in listing.rows(demo, lst, listing.ids(demo, lst)).values()
                     for v in [v[[c.key for c in lst.columns].index(choice.key)]]
                     if v is not None}) if choice else []
    periods = [(y, h) for y in model.years()
               for h in ((None, 1, 2) if lst.period_is_date else (None,))]
    cases = [(p, None) for p in periods] + [(None, v) for v in values] \
        + [(periods[0], values[-1])] * bool(periods and values) + [(None, None)]
    summed = [c.key for c in lst.columns if c.summed]
    for period, value in cases:
        model.set_period(*(period or (None, None)))
        if choice is not None:
            model.set_equals(choice.key, value)
        flt = Filter(*(period or (None, None)),
                     equals=((choice.key, value),) if value is not None else ())
        for text in ("", "2"):
            model.set_search(text)
            for column in (0, len(lst.columns) - 1):
                model.sort(column, Qt.SortOrder.DescendingOrder)
                key = (lst.columns[column].key, True)
                assert list(model.shown_ids()) == _expected(demo, lst, flt, key, text), \
                    (period, value, text, key)
            if summed:
                shown = listing.rows(demo, lst, list(model.shown_ids()))
                for k in summed:
                    col = [c.key for c in lst.columns].index(k)
                    assert model.totals()[k] == sum(v[col] or 0 for v in shown.values())
        assert model.rowCount() == len(model.shown_ids())
        assert model.total_count() == listing.count(demo, lst)
    assert queries == []  # every filter was picked in memory


def test_filter_codes_pick_the_rows_sql_picks(demo):
    for spec in every_spec():
        lst = listing_of(spec)
        index = listing.search_index(demo, lst)
        ids = list(index.ids)
        for key, codes in index.codes.items():
            assert len(codes.codes) == len(ids)
            if key == lst.period:
                for (year, half) in codes.code_of:
                    flt = Filter(year, half)
                    found = listing.filtered_positions(index, lst, flt)
                    assert [ids[p] for p in found] == list(listing.ids(demo, lst, flt)), flt
            else:
                for value in codes.code_of:
                    flt = Filter(equals=((key, value),))
                    found = listing.filtered_positions(index, lst, flt)
                    assert [ids[p] for p in found] == list(listing.ids(demo, lst, flt)), flt
        assert listing.filtered_positions(index, lst, Filter(equals=(("id", 1),))) is None


@pytest.mark.parametrize("step", [1, 10_000])  # dense ids (an array by id), sparse (a dict)
def test_rows_in_puts_index_positions_in_the_order_given(step):
    import random
    from array import array

    ids = array("q", range(step, step * 2_001, step))  # 2,000 ids, ascending
    index = listing.SearchIndex(ids, [str(i) for i in ids])
    rng = random.Random(13)
    order = array("i", rng.sample(list(ids), 1_500))  # 500 ids the order does not hold
    ranks = listing.ranks(index.ids, order)
    for count in (0, 3, 40, 1_000, 2_000):  # a few (sorted rows) and many (one compress)
        positions = sorted(rng.sample(range(len(ids)), count))
        wanted = {ids[p] for p in positions}
        assert list(listing.rows_in(order, index, positions, ranks)) == \
            [i for i in order if i in wanted]


@pytest.mark.parametrize("step", [1, 10_000])  # dense ids (a byte per id), sparse (a set)
def test_rows_in_without_ranks_gives_what_ranks_give(step):
    """A base whose ranks the thread has not read yet (just sorted or filtered) places the
    matches by looking its ids up: the same rows in the same order, ids the index lacks
    (added since it was read, beyond its last id) left out."""
    import random
    from array import array

    ids = array("q", range(step, step * 2_001, step))
    index = listing.SearchIndex(ids, [str(i) for i in ids])
    rng = random.Random(7)
    order = array("i", rng.sample(list(ids), 1_500) + [step * 3_000, step * 2_500])
    rng.shuffle(order)
    ranks = listing.ranks(index.ids, order)
    for count in (0, 3, 40, 1_000, 2_000):
        positions = sorted(rng.sample(range(len(ids)), count))
        assert listing.rows_in(order, index, positions) == \
            listing.rows_in(order, index, positions, ranks)


@pytest.mark.parametrize("step", [1, 10_000])
def test_first_rows_are_the_head_of_rows_in(step):
    import random
    from array import array

    ids = array("q", range(step, step * 2_001, step))
    index = listing.SearchIndex(ids, [str(i) for i in ids])
    rng = random.Random(11)
    order = array("i", rng.sample(list(ids), 1_500))
    for count in (0, 3, 40, 1_000):
        positions = sorted(rng.sample(range(len(ids)), count))
        whole = listing.rows_in(order, index, positions)
        for first in (1, 5, 2_000):
            assert listing.first_rows(order, index, positions, first) == whole[:first]


def _enterprises_by_name(demo, monkeypatch):
    """The enterprises' list sorted by name, on the demo, as a long list: a search shows its
    first 2 matches at once and places the rest later (model, its listing, the name column)."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    monkeypatch.setattr(table_model, "FIRST_IDS", 2)
    spec = next(s for s in every_spec() if s.table == "organization")
    model = RecordTableModel(spec)
    lst = model.listing
    name = [c.key for c in lst.columns].index("name")
    model.set_sort(name, Qt.SortOrder.AscendingOrder)
    model.load(demo)
    return model, lst, name


def test_a_search_shows_its_first_rows_and_places_the_rest_later(qtbot, demo, monkeypatch):
    """A long list's search shows its first matches at once, counts and sums all of them, and
    places the rest once idle, or at once when a row beyond the first is asked for: always the
    rows and order SQL gives."""
    model, lst, name = _enterprises_by_name(demo, monkeypatch)
    text = next(t for t in ("협", "조합", "마을", "ㅎ") if len(_expected(
        demo, lst, Filter(), ("name", False), t)) > 4)
    expected = _expected(demo, lst, Filter(), ("name", False), text)
    model.set_search(text)
    assert model._view_rest is not None and len(model._view) == 2  # the first rows only
    assert model.rowCount() == len(expected)
    assert [model.data(model.index(r, name), table_model.ID_ROLE) for r in range(2)] == \
        expected[:2]
    last = len(expected) - 1
    assert model.data(model.index(last, name), table_model.ID_ROLE) == expected[last]
    assert model._view_rest is None and list(model._view) == expected  # placed when asked
    model.set_search("")  # no search, then the same again
    model.set_search(text)
    assert model._view_rest is not None
    qtbot.waitUntil(lambda: model._view_rest is None, timeout=5_000)  # placed once idle
    assert list(model._view) == expected == list(model.shown_ids())
    assert model.rowCount() == len(expected)


def test_first_rows_never_take_a_negative_id_for_a_match():
    """A negative id (never an autoincrement key, but storable) in the order read is no match:
    a byte per id would read it from the end of the marks."""
    from array import array

    ids = array("q", range(1, 101))
    index = listing.SearchIndex(ids, [str(i) for i in ids])
    order = array("i", [5, -1, 7, -2, 100, 9])
    positions = [4, 6, 98, 99]  # ids 5, 7, 99 and 100 (the last bytes of the marks)
    assert list(listing.first_rows(order, index, positions, 10)) == [5, 7, 100]
    assert list(listing.first_rows(order, index, positions, 2)) == [5, 7]
    assert list(listing.rows_in(order, index, positions)) == [5, 7, 100]


def test_typing_on_before_the_rest_is_placed_shows_every_match(qtbot, demo, monkeypatch):
    """A letter typed while a search still shows only its first matches (the rest not placed
    yet) searches all of that search's matches, not the first screen: every row SQL gives,
    then as many when the rest is placed."""
    model, lst, name = _enterprises_by_name(demo, monkeypatch)
    start, longer = next((a, b) for a, b in (("협", "협동"), ("조", "조합"), ("ㅎ", "ㅎㄷ"))
                         if len(_expected(demo, lst, Filter(), ("name", False), b)) > 4)
    model.set_search(start)
    assert model._view_rest is not None  # only the first matches shown
    model.set_search(longer)
    expected = _expected(demo, lst, Filter(), ("name", False), longer)
    assert model.rowCount() == len(expected)
    assert list(model.shown_ids()) == expected
    assert model.rowCount() == len(expected)


@pytest.mark.parametrize("table", ["organization", "consulting"])  # (the second has a 합계)
@pytest.mark.parametrize("first", [2, 1_000])  # first screens shorter than most searches, longer
def test_typed_deleted_and_pasted_searches_show_what_sql_shows(qtbot, demo, monkeypatch, first,
                                                               table):
    """Letters typed on (narrowed from the rows found so far, placed or not), deleted
    (widened: searched afresh), 초성 typed and a needle pasted over another: at every step
    the count and first rows SQL gives, and a 합계 over them; at the end every row."""
    monkeypatch.setattr(table_model, "BACKGROUND_INDEX", 1)
    monkeypatch.setattr(table_model, "FIRST_IDS", first)
    spec = next(s for s in every_spec() if s.table == table)
    model = RecordTableModel(spec)
    lst = model.listing
    model.set_sort(0, Qt.SortOrder.DescendingOrder)
    model.load(demo)
    sort = (lst.columns[0].key, True)
    summed = [c.key for c in lst.columns if c.summed]
    for text in ("조", "조합", "조합", "조", "", "ㅎ", "ㅎㄷ", "ㅎ", "ㅎㄷㅈ", "협동조합", "동",
                 "ㅈㅎ", "조ㅎ", "2", "", "마을", "상", "상담", "ㅅ", "ㅅㄷ", "1"):
        model.set_search(text)
        expected = _expected(demo, lst, Filter(), sort, text)
        assert model.rowCount() == len(expected), text  # (counting places no rows)
        head = min(first, len(expected))  # the first screen (reading it places no more)
        assert [model.id_at(r) for r in range(head)] == expected[:head], text
        values = listing.rows(demo, lst, expected)
        for k in summed:
            col = [c.key for c in lst.columns].index(k)
            assert model.totals()[k] == sum(v[col] or 0 for v in values.values()), text
    assert list(model.shown_ids()) == expected


@pytest.mark.parametrize("first", [1, 500])
def test_a_search_marks_its_matches_from_its_own_answers_with_the_same_rows(first):
    """With ids without a gap, a search that most rows match marks its matches' ids from the
    answers its pass made (SearchIndex.id_mask): the same first rows and rows as marking
    each match's id, for dense and sparse needles, with ids the index lacks in the order."""
    import random
    from array import array

    rng = random.Random(first)
    ids = array("q", range(first, first + 2_000))
    texts = [rng.choice(["2021", "마을", "숲", "가게", "2", "ㄱ"]) + str(rng.randrange(99))
             for _ in ids]
    index = listing.SearchIndex(ids, texts)
    assert index.contiguous
    order = array("i", rng.sample(list(ids), 1_800) + [first + 5_000])  # one id added since
    rng.shuffle(order)
    used = 0
    for needle in ("2", "1", "마을", "숲9", "없는말", "ㅁ"):
        found = index.find(needle)
        copied = list(found)  # not what find returned: each match's id is marked
        assert index.id_mask(copied) is None
        used += index.id_mask(found) is not None
        expected = [i for i in order if i in {ids[p] for p in found}]
        assert list(listing.rows_in(order, index, found)) == expected
        assert listing.rows_in(order, index, found) == listing.rows_in(order, index, copied)
        for count in (1, 7, 3_000):
            assert list(listing.first_rows(order, index, found, count)) == expected[:count]
    assert used >= 2  # the dense needles took the answers' path
    stale = index.find("2")
    index.find("마을")
    assert index.id_mask(stale) is None  # another search since: its answers are not these


def test_ids_with_a_gap_mark_each_match():
    from array import array

    index = listing.SearchIndex(array("q", [1, 2, 4]), ["a", "a", "a"])
    assert not index.contiguous
    assert index.id_mask(index.find("a")) is None
    assert list(listing.rows_in(array("i", [4, 2, 1]), index, index.find("a"))) == [4, 2, 1]
