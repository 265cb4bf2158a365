"""The 현황 figures of several days read together (db/queries/dashboard.py: due_items_days,
PeriodReads) are, day by day, the figures each day's own read gives: on days from
November 2021 to February 2022 of the demo (items enter and leave the warning window, a year
ends), for windows of the days a start may come after a close (gui/dashboard_screen.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from db.queries.dashboard import (
    PeriodReads,
    due_items,
    due_items_days,
    key_figures,
    yearly_bars,
)
from gui.dashboard import AHEAD_DAYS

FIRST = dt.date(2021, 11, 1)
SPAN = 105  # to 2022-02-14


def window(start: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range(AHEAD_DAYS + 1)]


@pytest.mark.parametrize("warn", [90, 30])
def test_due_items_read_together_are_each_days_own(demo, warn):
    with demo.session() as s:
        alone = {day: due_items(s, day, warn)
                 for day in (FIRST + dt.timedelta(days=k) for k in range(SPAN + AHEAD_DAYS))}
        named = [{(i.kind, i.record_id) for i in items} for items in alone.values()]
        changes = sum(1 for k in range(1, len(named)) if named[k] != named[k - 1])
        assert changes >= 4  # the span has items coming and going
        for k in range(0, SPAN, 4):
            days = window(FIRST + dt.timedelta(days=k))
            assert due_items_days(s, days, warn) == [alone[d] for d in days]


def test_figures_and_bars_read_together_are_each_days_own(demo):
    with demo.session() as s:
        for start in (dt.date(2021, 11, 16), dt.date(2021, 12, 25)):
            reads = PeriodReads(s)
            for day in window(start):
                assert key_figures(s, day, reads) == key_figures(s, day)
                assert yearly_bars(s, day, reads=reads) == yearly_bars(s, day)
        years = {b.year for b in yearly_bars(s, dt.date(2022, 1, 4), reads=reads)}
        assert 2022 in years and 2021 in years

