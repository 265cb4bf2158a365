"""Crash test: kill a writing Dure with SIGKILL at random moments; nothing saved may be lost.

    uv run python bench/crash_test.py [--kills 200] [--seed N] [--db FILE]
    uv run python bench/crash_test.py --mode restore [--kills 50]   # kills during restore
    uv run python bench/crash_test.py --mode import [--kills 50]    # kills during import

A child process opens the database (open_database: integrity check, lock), saves one
enterprise per transaction through db.service.save and prints each id after its commit
returned. The parent kills it at a random moment (sometimes while it is still starting),
N times; the next child must clear the dead child's stale lock by itself. At the end the
database must pass PRAGMA integrity_check and hold every id a child reported as saved.

`--mode restore`: the child restores two backups in turn (30 and 60 enterprises) into the
database; after each kill the database must open at once (a hot journal is played back, never
"damaged") and hold exactly one of the states: before the restore or the backup, nothing in
between. `--mode import`: the child imports workbooks of 50 new enterprises, one commit each;
every workbook it reported must be there whole, and no workbook may be there in part.
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
            obj = service.save(database,
                               Organization(name=f"충돌시험 {os.getpid()}-{n}", kind="기타"))
            print(f"saved organization {obj.id}", flush=True)
        else:  # a parent with child rows: both or neither must survive
            day = dt.date(2021, 1 + n % 12, 1 + n % 28)
            edu = Education(course="기초과정", title=f"시험 교육 {n}", start_date=day,
                            dates=[EducationDate(day=day), EducationDate(day=day)])
            obj = service.save(database, edu)
            print(f"saved education {obj.id}", flush=True)


IMPORT_ROWS = 50


def child_restore(path: str, first: str, second: str) -> None:
    """Restore two backups in turn forever, printing 'restored <n>' after each."""
    sys.path.insert(0, str(ROOT))
    from db.safety.restore import restore

    print("ready", flush=True)
    for n in range(1_000_000):
        restore(Path(path), Path(first if n % 2 else second))
        print(f"restored {n}", flush=True)


def child_import(path: str, folder: str) -> None:
    """Import workbooks of IMPORT_ROWS new enterprises, printing 'imported <tag>' after each."""
    sys.path.insert(0, str(ROOT))
    from openpyxl import Workbook

    from db.importer import commit, preview
    from db.session import open_database

    database = open_database(path)
    print("ready", flush=True)
    for n in range(1_000_000):
        tag = f"{os.getpid()}-{n}"
        book = Workbook()
        ws = book.active
        ws.title = "명단"
        ws.append(["업체명", "유형"])
        for j in range(IMPORT_ROWS):
            ws.append([f"가져오기 {tag}-{j:02d}", "기타"])
        out = Path(folder) / f"{tag}.xlsx"
        book.save(out)
        p = preview(database, out, {"업체명": "name", "유형": "kind"}, sheet="명단",
                    entity="organization")
        commit(database, p)
        print(f"imported {tag}", flush=True)


def _names(path: Path) -> frozenset[str]:
    """The enterprises of the database, read through a normal open (the way Dure opens it)."""
    sys.path.insert(0, str(ROOT))
    from db.models import Organization
    from db.session import open_database

    database = open_database(path)  # refuses a file left damaged: the test fails loudly
    try:
        with database.session() as s:
            return frozenset(s.scalars(__import__("sqlalchemy").select(Organization.name)))
    finally:
        database.close()


@dataclass
class StateResult:
    """Kills during restore or import: whole states only, nothing reported lost."""

    mode: str
    kills: int
    reported: int
    lost: int
    partial: int
    refused_opens: int
    integrity: str
    seconds: float

    @property
    def ok(self) -> bool:
        return (self.lost == 0 and self.partial == 0 and self.refused_opens == 0
                and self.integrity == "ok")


def _kill_loop(args: list[str], env: dict[str, str], rng: random.Random, max_delay: float,
               first: str = "ready") -> list[str]:
    """Start one child, wait for its first `first` report, then SIGKILL it a random while later.

    With `first` other than 'ready' the delay is drawn from up to 1.2 times what the first
    step took (however loaded the machine is, the kill lands inside a later step), capped at
    `max_delay` times ten.
    """
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True,
                            env=env)
    lines: list[str] = []
    reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    ready_at = None
    while proc.poll() is None and time.monotonic() < deadline:
        if ready_at is None and "ready" in lines:
            ready_at = time.monotonic()
        if any(x.startswith(first) for x in lines):
            break
        time.sleep(0.005)
    step = time.monotonic() - ready_at if ready_at is not None and first != "ready" else max_delay
    time.sleep(rng.uniform(0, min(step * 1.2, max_delay * 10)))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    if proc.returncode not in (-signal.SIGKILL, None):
        raise SystemExit(f"child ended by itself (exit {proc.returncode}): {lines[-3:]}")
    return lines


def run_restore(path: Path, kills: int = 50, seed: int | None = None, max_delay: float = 4.0,
                log=print) -> StateResult:
    """Kill restoring children; after each kill the file opens and holds one whole state."""
    sys.path.insert(0, str(ROOT))
    from db.models import Organization
    from db.safety.backup import backup_to
    from db.session import open_database

    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    backups = []
    for n, size in ((1, 1500), (2, 3000)):  # a few MB each: the kill often lands mid-copy
        source = open_database(path.with_name(f"source{n}.sqlite"))
        with source.session() as ses:
            ses.info["history"] = False
            ses.add_all(Organization(name=f"백업{n} 기업{i:04d}", kind="기타", business="가" * 1500)
                        for i in range(size))
            ses.commit()
        backups.append(backup_to(source, path.with_name(f"backup{n}.sqlite")).path)
        source.close()
    open_database(path).close()
    states = {_names(path), _names(backups[0]), _names(backups[1])}
    from db.safety.integrity import hot_journal

    refused = partial = reported = hot = 0
    started = time.perf_counter()
    for i in range(kills):
        lines = _kill_loop(["--child-restore", str(path), *map(str, backups)], env, rng, max_delay,
                           first="restored")
        reported += sum(1 for x in lines if x.startswith("restored"))
        hot += hot_journal(path) is not None  # killed inside the restore's transaction
        try:
            now = _names(path)
        except Exception as exc:  # noqa: BLE001 - a refused open is what this test looks for
            refused += 1
            log(f"  kill {i + 1}: the database did not open: {exc}")
            continue
        if now not in states:
            partial += 1
        if (i + 1) % 10 == 0:
            log(f"  {i + 1}/{kills} kills, {reported} restores reported, {hot} hot journals")
    log(f"  kills that left a hot journal (mid-restore): {hot}")
    con = sqlite3.connect(path)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return StateResult("restore", kills, reported, 0, partial, refused, integrity,
                       time.perf_counter() - started)


def run_import(path: Path, kills: int = 50, seed: int | None = None, max_delay: float = 2.0,
               log=print) -> StateResult:
    """Kill importing children; every reported workbook is whole, none is there in part."""
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--init", str(path)], check=True, env=env)
    folder = Path(tempfile.mkdtemp(prefix="dure-crash-books-"))
    reported: set[str] = set()
    refused = 0
    started = time.perf_counter()
    for i in range(kills):
        lines = _kill_loop(["--child-import", str(path), str(folder)], env, rng, max_delay,
                           first="imported")
        reported |= {x.split()[1] for x in lines if x.startswith("imported ")}
        if (i + 1) % 10 == 0:
            log(f"  {i + 1}/{kills} kills, {len(reported)} imports reported")
    try:
        names = _names(path)
    except Exception:  # noqa: BLE001 - counted as a failure below
        names, refused = frozenset(), 1
    counts: dict[str, int] = {}
    for name in names:
        if name.startswith("가져오기 "):
            tag = name.split()[1].rsplit("-", 1)[0]
            counts[tag] = counts.get(tag, 0) + 1
    lost = sum(1 for tag in reported if counts.get(tag, 0) != IMPORT_ROWS)
    partial = sum(1 for n in counts.values() if n != IMPORT_ROWS)
    con = sqlite3.connect(path)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return StateResult("import", kills, len(reported), lost, partial, refused, integrity,
                       time.perf_counter() - started)


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
    parser.add_argument("--max-delay", type=float, default=0.4,
                        help="seconds of writing before a kill")
    parser.add_argument("--db", type=Path, help="database file (default: a new temporary one)")
    parser.add_argument("--mode", choices=("save", "restore", "import"), default="save",
                        help="what the killed child does (default: save records)")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--child-restore", nargs=3, metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--child-import", nargs=2, metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--init", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.child_restore:
        child_restore(*args.child_restore)
        return
    if args.child_import:
        child_import(*args.child_import)
        return
    if args.init:
        sys.path.insert(0, str(ROOT))
        from db.session import open_database

        open_database(args.init).close()
        return
    folder = Path(tempfile.mkdtemp(prefix="dure-crash-"))
    os.environ.setdefault("DURE_DATA_DIR", str(folder / "data"))
    path = args.db or folder / "crash.sqlite"
    if args.mode != "save":
        print(f"crash test: {args.kills} SIGKILLs during {args.mode} on {path}")
        runner = run_restore if args.mode == "restore" else run_import
        st = runner(path, args.kills, args.seed)
        print(f"kills: {st.kills}; {args.mode}s reported done: {st.reported}")
        print(f"reported but lost: {st.lost}; partial states: {st.partial}; "
              f"opens refused after a kill: {st.refused_opens}")
        print(f"PRAGMA integrity_check: {st.integrity}; time: {st.seconds:.1f} s")
        print("OK" if st.ok else "FAILED")
        sys.exit(0 if st.ok else 1)
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
