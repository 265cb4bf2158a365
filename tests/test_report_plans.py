"""No report query scans a whole record table (EXPLAIN QUERY PLAN on SQLite)."""

from __future__ import annotations

import re

from sqlalchemy import event

from db import queries as q
from db.periods import Period
from tests.export_fixtures import open_demo

# Read whole by design: the settings, the spaces (the roster lists every space), facility
# projects (undated ones always show) — a handful of rows each, never records by the thousand.
WHOLE = {"setting", "space", "facility_project"}
# The tables a year's report reads by the thousand at 1,000,000 records: their grouped and
# detail queries read index entries only (migration 0011), never a table row per record.
COVERED = {"consulting", "education", "education_date", "promotion_notice", "finance_payment"}


def _report_plans(tmp_path) -> list[str]:
    """EXPLAIN QUERY PLAN lines of every SELECT report_figures runs on the demo."""
    database = open_demo(tmp_path)
    statements: list[tuple[str, object]] = []

    def grab(_conn, _cur, statement, params, _ctx, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", grab)
    try:
        with database.session() as s:
            q.report_figures(s, Period.year_of(2021))
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    with database.engine.connect() as c:
        plans = [row[3] for statement, params in dict(statements).items()
                 for row in c.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()]
    database.close()
    assert len(statements) > 20  # the report's queries really ran
    return plans


def test_report_queries_search_by_index(tmp_path):
    scans = set()
    for line in _report_plans(tmp_path):
        m = re.match(r"SCAN (\w+)", line)
        if m and not m[1].startswith("anon_") and m[1] not in WHOLE:
            scans.add((m[1], line))
    assert scans == set()


def test_big_tables_are_read_from_covering_indexes(tmp_path):
    plans = _report_plans(tmp_path)
    reads = [line for line in plans if re.match(r"SEARCH (\w+)", line)
             and line.split()[1] in COVERED]
    assert {line.split()[1] for line in reads} == COVERED  # each is read by the report
    assert [line for line in reads if "COVERING INDEX" not in line] == []
