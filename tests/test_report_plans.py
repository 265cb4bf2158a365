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


def test_report_queries_search_by_index(tmp_path):
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
    scans = set()
    with database.engine.connect() as c:
        for statement, params in dict(statements).items():
            for row in c.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all():
                m = re.match(r"SCAN (\w+)", row[3])
                if m and not m[1].startswith("anon_") and m[1] not in WHOLE:
                    scans.add((m[1], row[3]))
    database.close()
    assert len(statements) > 20  # the report's queries really ran
    assert scans == set()
