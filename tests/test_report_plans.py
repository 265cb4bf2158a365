"""No report query scans a whole record table, nor do the year pickers' (EXPLAIN QUERY PLAN
on SQLite)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from db import listing
from db import queries as q
from db.periods import Period
from db.queries.dashboard import record_years
from gui.widgets.table_model import listing_of
from tests.export_fixtures import open_demo
from tests.gui_helpers import every_spec

# Read whole by design: the settings, the spaces (the roster lists every space), facility
# projects (undated ones always show) — a handful of rows each, never records by the thousand.
WHOLE = {"setting", "space", "facility_project"}
# Year probes may scan these: their period column has no index of its own, and they hold a few
# thousand rows at 1,000,000 records (a probe stops at the year's first row).
FEW = {"startup_team", "tenancy", "carried_figure"}
# The tables a year's report reads by the thousand at 1,000,000 records: their grouped and
# detail queries read index entries only (migration 0011), never a table row per record.
COVERED = {"consulting", "education", "education_date", "promotion_notice", "finance_payment"}


def _plans(database: Any, run: Callable[[], object]) -> tuple[list[str], int]:
    """EXPLAIN QUERY PLAN lines of every SELECT `run` sends, and how many it sent."""
    statements: list[tuple[str, object]] = []

    def grab(_conn, _cur, statement, params, _ctx, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    with database.engine.connect() as c:
        plans = [row[3] for statement, params in dict(statements).items()
                 for row in c.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()]
    return plans, len(statements)


def _report_plans(tmp_path) -> list[str]:
    """EXPLAIN QUERY PLAN lines of every SELECT report_figures runs on the demo."""
    database = open_demo(tmp_path)

    def run() -> None:
        with database.session() as s:
            q.report_figures(s, Period.year_of(2021))

    plans, sent = _plans(database, run)
    database.close()
    assert sent > 20  # the report's queries really ran
    return plans


def _scans(plans: list[str], whole: set[str] = WHOLE) -> set[tuple[str, str]]:
    """The plan lines that read a record table whole (`whole`: the tables allowed to be)."""
    scans = set()
    for line in plans:
        m = re.match(r"SCAN (\w+)", line)
        if m and not m[1].startswith("anon_") and m[1] != "CONSTANT" and m[1] not in whole:
            scans.add((m[1], line))
    return scans


def test_report_queries_search_by_index(tmp_path):
    assert _scans(_report_plans(tmp_path)) == set()


def test_year_pickers_read_their_years_from_indexes(tmp_path):
    """Each list's year filter and the export dialog's years: the first and last value from
    an index, then one probe a year, never a read of every record (a SELECT of min() and
    max() together is one in SQLite: 35 ms for 200,000 consultings)."""
    database = open_demo(tmp_path)
    specs = [spec for spec in every_spec() if spec.period]
    found: dict[str, list[int]] = {}

    def run() -> None:
        for spec in specs:
            found[spec.table] = listing.years(database, listing_of(spec))
        with database.session() as s:
            found["export"] = record_years(s, dt.date(2022, 6, 30))

    plans, sent = _plans(database, run)
    database.close()
    assert found["consulting"] == [2021]  # the seed report's consultings
    assert found["export"][-1] == 2022 and 2021 in found["export"]
    assert sent > 2 * len(specs)
    assert _scans(plans, WHOLE | FEW) == set()


def test_big_tables_are_read_from_covering_indexes(tmp_path):
    plans = _report_plans(tmp_path)
    reads = [line for line in plans if re.match(r"SEARCH (\w+)", line)
             and line.split()[1] in COVERED]
    assert {line.split()[1] for line in reads} == COVERED  # each is read by the report
    assert [line for line in reads if "COVERING INDEX" not in line] == []
