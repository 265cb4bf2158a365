"""Load test: 20 desks (processes) editing an overlapping set of records on one PostgreSQL server.

    uv run python bench/bench_office.py [--desks 20] [--seconds 60] [--records 8] [--url URL]

Without --url it starts a private server (tests/pg_server.py). Each desk loops until the time
is up: read one of the shared records as a form does (db.office.versions.snapshot), append a
unique token ("d3-17;") to one of three text fields, and save through the write path with the
snapshot as base. A save either is acknowledged or raises ConflictError (both desks changed the
same field: reported to the desk, which reloads and goes on); another desk's change to a
different field merges. At the end every acknowledged token must be in its field, every
record's version must be 1 + its acknowledged saves, and the history must hold one update per
acknowledged save: anything else is a lost update. Prints saves/s and conflicts; exits 1 on loss.
CI does not run it (a short run is in tests/test_office_bench.py).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("note", "business", "address")


def desk(number: int, url: str, ids: list[int], seconds: float, ready: mp.Queue,
         go: mp.Event, results: mp.Queue) -> None:
    """One desk: save, save, save … until the time is up; report what was acknowledged."""
    from db import models as m
    from db import service
    from db.office import versions
    from db.session import open_database

    database = open_database(url)
    rng = random.Random(number)
    acked: list[tuple[int, str, str]] = []
    conflicts = errors = 0
    service._load_rule_modules()  # warm up (imports) before the clock starts
    with database.session() as s:
        versions.snapshot(s.get(m.Organization, ids[0]))
    ready.put(number)
    go.wait()
    deadline = time.time() + seconds
    n = 0
    while time.time() < deadline:
        ident, key = rng.choice(ids), rng.choice(FIELDS)
        with database.session() as s:
            stored = s.get(m.Organization, ident)
            base = versions.snapshot(stored)
        token = f"d{number}-{n};"
        n += 1
        mine = m.Organization(id=ident, **base.row.values)
        setattr(mine, key, (getattr(mine, key) or "") + token)
        try:
            service.save(database, mine, base=base)
        except versions.ConflictError:
            conflicts += 1
            continue
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            errors += 1
            if errors <= 3:
                print(f"desk {number}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        acked.append((ident, key, token))
    database.close()
    results.put((number, acked, conflicts, errors))


def verify(url: str, ids: list[int], acked: list[tuple[int, str, str]]) -> list[str]:
    """Every acknowledged token in its field, versions and history counts as expected."""
    from sqlalchemy import func, select

    from db import models as m
    from db.session import open_database

    database = open_database(url)
    problems: list[str] = []
    with database.session() as s:
        for ident in ids:
            row = s.get(m.Organization, ident)
            mine = [(k, t) for i, k, t in acked if i == ident]
            for key, token in mine:
                if token not in (getattr(row, key) or ""):
                    problems.append(f"기업 {ident} {key}: 저장 확인된 {token} 이(가) 사라짐")
            if row.version != 1 + len(mine):
                problems.append(f"기업 {ident}: 버전 {row.version}, 확인된 저장 {len(mine)}건 + 1")
            logged = s.scalar(select(func.count()).select_from(m.ChangeLog).where(
                m.ChangeLog.table_name == "organization", m.ChangeLog.record_id == str(ident),
                m.ChangeLog.op == "update"))
            if logged != len(mine):
                problems.append(f"기업 {ident}: 이력 {logged}건, 확인된 저장 {len(mine)}건")
    database.close()
    return problems


def run(desks: int, seconds: float, records: int, url: str | None) -> int:
    from db import models as m
    from db import service
    from db.session import open_database

    server = None
    if url is None:
        from tests.pg_server import TempServer, fresh_database

        server = TempServer()
        server.start()
        url = fresh_database(server.url())
    try:
        database = open_database(url)
        ids = [service.save(database, m.Organization(name=f"공유 기업 {i + 1}")).id
               for i in range(records)]
        database.close()
        # The desks are forked from this process where the platform allows: it has imported
        # Dure and its rules (the saves above), and holds no connection and no thread now (each
        # desk opens its own database). Spawned Pythons elsewhere (each imports Dure anew).
        forked = "fork" in mp.get_all_start_methods() and threading.active_count() == 1
        ctx = mp.get_context("fork" if forked else "spawn")
        results: mp.Queue = ctx.Queue()
        ready: mp.Queue = ctx.Queue()
        go = ctx.Event()
        procs = [ctx.Process(target=desk, args=(i, url, ids, seconds, ready, go, results))
                 for i in range(desks)]
        for p in procs:
            p.start()
        for _ in procs:  # every desk has imported and connected: then all start together
            ready.get(timeout=300)
        go.set()
        got = [results.get(timeout=seconds + 120) for _ in procs]
        for p in procs:
            p.join(timeout=30)
        acked = [a for _n, acks, _c, _e in got for a in acks]
        conflicts = sum(c for _n, _a, c, _e in got)
        errors = sum(e for _n, _a, _c, e in got)
        problems = verify(url, ids, acked)
        print(f"책상 {desks}개 · 기업 {records}건 · {seconds:.0f}초")
        print(f"  저장 확인 {len(acked):,}건 ({len(acked) / seconds:,.1f}건/초), "
              f"충돌 알림 {conflicts:,}건, 기타 오류 {errors}건")
        print(f"  잃어버린 저장: {len(problems)}건")
        for p in problems[:20]:
            print("   ", p)
        return 1 if problems or errors else 0
    finally:
        if server is not None:
            server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--records", type=int, default=8)
    parser.add_argument("--url", help="a PostgreSQL URL (default: a private temporary server)")
    args = parser.parse_args()
    os.environ.setdefault("DURE_DATA_DIR", tempfile.mkdtemp(prefix="dure-bench-office-"))
    return run(args.desks, args.seconds, args.records, args.url)


if __name__ == "__main__":
    sys.exit(main())
