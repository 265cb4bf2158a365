"""Benchmark: import preview of a 10,000-row sheet (target: under 5 s), commit, a
1,000,000-row sheet.

    uv run python bench/bench_import.py [--records 100000] [--rows 10000]

Generates the synthetic database with bench/generate.py (so duplicates are checked against a
full-size database), writes 10,000-row '기업 목록' and '지급 목록' sheets the way a clerk's
workbook looks, then times the preview of each, the commit of the organizations (one
transaction, with change history), and the refusal of a 1,000,000-row sheet at the row limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 5.0


def timed(label: str, fn, *args, **kw):
    """Run fn once, print its time in seconds, return (result, seconds)."""
    start = time.perf_counter()
    result = fn(*args, **kw)
    seconds = time.perf_counter() - start
    print(f"  {label:<52} {seconds:7.2f} s")
    return result, seconds


def write_sheets(folder: Path, rows: int, grant_ids: list[int]) -> tuple[Path, Path]:
    """Two workbooks: new organizations, and payments of existing grants (write-only mode)."""
    from openpyxl import Workbook

    from db import tabular
    from db.models import FinancePayment, Organization
    from tests.import_support import header, org_rows

    orgs = folder / "orgs.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(tabular.sheet_name(Organization))
    ws.append(header(Organization))
    for row in org_rows(rows, start=500_000):
        ws.append(row)
    wb.save(orgs)
    pays = folder / "payments.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(tabular.sheet_name(FinancePayment))
    ws.append(header(FinancePayment))
    for i in range(rows):
        day = dt.date(2021, 1 + i % 12, 25)
        ws.append([None, grant_ids[i % len(grant_ids)], day, f"{1_000_000 + i * 10:,}", 1 + i % 5])
    wb.save(pays)
    return orgs, pays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="records in the database")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in each imported sheet")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dure-bench-import-"))
    os.environ["DURE_DATA_DIR"] = str(folder / "data")

    from sqlalchemy import select

    from bench.generate import generate
    from db.importer import commit, preview
    from db.importer.workbook import MAX_ROWS
    from db.models import FinanceGrant
    from db.session import open_database
    from tests.test_import_files import _million_row_xlsx

    path = folder / "big.sqlite"
    print(f"generating {args.records:,} records …")
    timed("generate", generate, path, records=args.records)
    db = open_database(path)
    with db.session() as s:  # a year's payment sheet: monthly payments of 100 enterprises
        grants = list(s.scalars(select(FinanceGrant.id).limit(100)))
    (orgs, pays), _t = timed(f"write two {args.rows:,}-row workbooks", write_sheets, folder,
                             args.rows, grants)

    p, t_orgs = timed(f"preview {args.rows:,} new organizations", preview, db, orgs)
    print(f"    → {p.summary()}")
    q, t_pays = timed(f"preview {args.rows:,} payments of 100 grants", preview, db, pays)
    print(f"    → {q.summary()}")
    n, _t = timed(f"commit {p.writes:,} organizations (one transaction)", commit, db, p)
    again, t_again = timed(f"preview the same {args.rows:,} again (all duplicates)", preview,
                           db, orgs)
    print(f"    → {again.summary()}")

    million = folder / "million.xlsx"
    timed("write a 1,000,000-row sheet (raw XML)", _million_row_xlsx, million, 1_000_000)
    big, _ = timed(f"preview 1,000,000 rows (refused at {MAX_ROWS:,})", preview, db, million)
    print(f"    → {big.problems[0]}")
    db.close()

    worst = max(t_orgs, t_pays, t_again)
    verdict = "OK" if worst < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"\nimport preview of a {args.rows:,}-row sheet: worst {worst:.2f} s "
          f"(target < {TARGET_SECONDS:.0f} s) {verdict}; {n:,} rows written")


if __name__ == "__main__":
    main()
