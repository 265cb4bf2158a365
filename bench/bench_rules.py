"""Time the business rules and the parsers on the synthetic database.

    uv run python bench/bench_rules.py [DB.sqlite] [--records 100000]

Validates every record of every model with a session (what `main.py check` does), prints the
time per model and the problems found (the generator follows the rules, so errors there
point at a rule or generator bug), then times parse_money / parse_date on 100,000 inputs
(an Excel import of that size). No pass/fail: the figures go in the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate
from db import formats, models, service
from db.session import open_database


def bench_rules(path: Path) -> None:
    """Validate every stored record; print seconds and problem counts per model."""
    database = open_database(path)
    total_records, total_time = 0, 0.0
    problems: Counter[tuple[str, str]] = Counter()
    try:
        with database.session() as s:
            for mapper in sorted(models.Base.registry.mappers, key=lambda m: m.local_table.name):
                model = mapper.class_
                start = time.perf_counter()
                rows = list(s.scalars(select(model)))
                for obj in rows:
                    for p in service.check(obj, s):
                        problems[(model.__name__, p.severity)] += 1
                took = time.perf_counter() - start
                total_records += len(rows)
                total_time += took
                if rows:
                    print(f"{model.__name__:<20} {len(rows):>7,} records {took * 1000:>8.0f} ms")
                s.rollback()  # the BRN normaliser may touch attributes; keep the file as it is
    finally:
        database.close()
    print(f"{'all records':<20} {total_records:>7,} records {total_time * 1000:>8.0f} ms")
    for (name, severity), n in sorted(problems.items()):
        print(f"  {severity:<7} {name}: {n:,}")


def bench_parsers(n: int = 100_000) -> None:
    """parse_money / parse_date on n mixed inputs, as an Excel import would call them."""
    money = ["8,000,000", "800만원", "1억 2천만원", "5,665천원", "12.5백만원", "₩1,000"]
    dates = ["2021.7.9", "2021. 7. 9.(금)", "2021-07-09", "'21.7.9.", "20210709"]
    start = time.perf_counter()
    for i in range(n):
        formats.parse_money(money[i % len(money)])
    took_money = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(n):
        formats.parse_date(dates[i % len(dates)])
    took_dates = time.perf_counter() - start
    start = time.perf_counter()
    day = dt.date(2021, 7, 9)
    for i in range(n):
        formats.report_date(day)
        formats.million_won(i * 12_345)
    took_fmt = time.perf_counter() - start
    print(f"parse_money  {n:,}: {took_money * 1000:.0f} ms")
    print(f"parse_date   {n:,}: {took_dates * 1000:.0f} ms")
    print(f"report_date+million_won {n:,}: {took_fmt * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", nargs="?", help="an existing synthetic database (made if omitted)")
    ap.add_argument("--records", type=int, default=100_000)
    args = ap.parse_args()
    if args.db:
        path = Path(args.db)
    else:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite"
        start = time.perf_counter()
        generate(path, records=args.records)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s")
    bench_rules(path)
    bench_parsers()


if __name__ == "__main__":
    main()
