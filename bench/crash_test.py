"""Crash test: kill a writing Dure with SIGKILL at random moments; nothing saved may be lost.

    uv run python bench/crash_test.py [--kills 200] [--seed N] [--db FILE]

A child process opens the database (open_database: integrity check, lock), saves one
enterprise per transaction through db.service.save and prints each id after its commit
returned. The parent kills it at a random moment (sometimes while it is still starting),
N times; the next child must clear the dead child's stale lock by itself. At the end the
database must pass PRAGMA integrity_check and hold every id a child reported as saved.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(path: str) -> None:
    """Save records forever, printing 'saved <id>' after each commit."""
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    from db import service
    from db.models import Education, EducationDate, Organization
    from db.session import open_database

    database = open_database(path)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        if n % 3:
            obj = service.save(database, Organization(name=f"충돌시험 {os.getpid()}-{n}", kind="기타"))
            print(f"saved organization {obj.id}", flush=True)
        else:  # a parent with child rows: both or neither must survive
            day = dt.date(2021, 1 + n % 12, 1 + n % 28)
            edu = Education(course="기초과정", title=f"시험 교육 {n}", start_date=day,
                            dates=[EducationDate(day=day), EducationDate(day=day)])
            obj = service.save(database, edu)
            print(f"saved education {obj.id}", flush=True)


@dataclass
class Result:
    kills: int
    reported: int
    missing: int
    rows: int
    integrity: str
    orphans: int
    killed_while_starting: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.integrity == "ok" and self.orphans == 0


def _reader(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.strip())


def run(path: Path, kills: int = 200, seed: int | None = None, max_delay: float = 0.4,
        log=print) -> Result:
    """Kill `kills` writing children at random moments, then check the database."""
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not path.exists():  # create and migrate it first: the test is about saves
        subprocess.run([sys.executable, __file__, "--init", str(path)], check=True, env=env)
    reported: dict[str, set[int]] = {"organization": set(), "education": set()}
    early = 0
    started = time.perf_counter()
    for i in range(kills):
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(path)],
                                stdout=subprocess.PIPE, text=True, env=env)
        lines: list[str] = []
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        reader.start()
        if rng.random() < 0.1:  # now and then while it opens the database
            time.sleep(rng.uniform(0, 0.5))
        else:
            # Wait for the first save (rules load on the first one), then kill mid-writing.
            deadline = time.monotonic() + 60
            while (not any(x.startswith("saved") for x in lines) and proc.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.005)
            time.sleep(rng.uniform(0, max_delay))
        if "ready" not in lines:
            early += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(5)
        if proc.returncode not in (-signal.SIGKILL, None):
            raise SystemExit(f"child ended by itself (exit {proc.returncode}): {lines[-3:]}")
        for line in lines:
            if line.startswith("saved "):
                _, table, ident = line.split()
                reported[table].add(int(ident))
        if (i + 1) % 25 == 0:
            log(f"  {i + 1}/{kills} kills, {sum(map(len, reported.values()))} saves reported")
    con = sqlite3.connect(path)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        missing = 0
        for table, ids in reported.items():
            present = {r[0] for r in con.execute(f"SELECT id FROM {table}")}
            missing += len(ids - present)
        rows = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in reported)
        # an education saved without its two dates would be a half-written save
        orphans = con.execute("SELECT count(*) FROM education e WHERE (SELECT count(*) FROM "
                              "education_date d WHERE d.education_id = e.id) != 2").fetchone()[0]
    finally:
        con.close()
    return Result(kills, sum(map(len, reported.values())), missing, rows, integrity, orphans,
                  early, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--max-delay", type=float, default=0.4, help="seconds of writing before a kill")
    parser.add_argument("--db", type=Path, help="database file (default: a new temporary one)")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--init", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.init:
        sys.path.insert(0, str(ROOT))
        from db.session import open_database

        open_database(args.init).close()
        return
    folder = Path(tempfile.mkdtemp(prefix="dure-crash-"))
    os.environ.setdefault("DURE_DATA_DIR", str(folder / "data"))
    path = args.db or folder / "crash.sqlite"
    print(f"crash test: {args.kills} SIGKILLs on {path}")
    r = run(path, args.kills, args.seed, args.max_delay)
    print(f"kills: {r.kills} (of which {r.killed_while_starting} while opening)")
    print(f"saves reported by the children: {r.reported}")
    print(f"records in the database: {r.rows}")
    print(f"reported but missing: {r.missing}")
    print(f"educations without both dates (half-written): {r.orphans}")
    print(f"PRAGMA integrity_check: {r.integrity}")
    print(f"time: {r.seconds:.1f} s")
    print("OK" if r.ok else "FAILED")
    sys.exit(0 if r.ok else 1)


if __name__ == "__main__":
    main()
