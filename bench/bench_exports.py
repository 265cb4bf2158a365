"""Dure's exports beside their floor, in one run (each side in its own fresh process).

    uv run python bench/bench_exports.py [--db FILE] [--db1m FILE] [--repeat 3]

Times are CPU seconds of each child (user + system; wall time is printed beside them but
swings with whatever else the shared machine runs). Workbook (issue 13, target 1): Dure's
10-year workbook (every report sheet and every data sheet) against XlsxWriter in
constant-memory mode writing the same cells: the same data sheets read with plain sqlite3
and written with typed calls in the same number formats, plus the report sheets' cells
(computed beforehand, outside the timer). Target: within 1.3x, memory flat (peak of the
1,000,000-record run close to the 100,000 one). The roster and report PDFs are timed too
(issue 4 targets). Peak memory is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST, LAST = "2013", "2022"
BENCH = Path("/work/benchdb")

DURE = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from db.periods import Period
from db.session import open_database
from exports import api
kind, db_path, out, first, last = sys.argv[1:6]
database = open_database(db_path, read_only=True)
cpu = 0.0

def once():
    global cpu
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    if kind == "workbook":
        api.export_workbook(database, Period.parse(first), Period.parse(last), Path(out))
    elif kind == "roster":
        api.export_roster(database, Period.parse(last).end, Path(out))
    else:
        api.export_report(database, Period.parse(last), Path(out))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    cpu = ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime  # the export call alone
    return time.perf_counter() - t

cold = once()
warm = cold if kind == "workbook" else once()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": warm, "cold": cold, "cpu": cpu, "peak_mb": ru.ru_maxrss / 1024}}))
"""

# The floor: the same cells with XlsxWriter constant memory, rows read with sqlite3.
REFERENCE = r"""
import datetime as dt, json, resource, sqlite3, sys, time
ru0 = resource.getrusage(resource.RUSAGE_SELF)
import xlsxwriter
plan = json.load(open(sys.argv[1]))
db_path, out = sys.argv[2:4]
t = time.perf_counter()
con = sqlite3.connect(f"file:{{db_path}}?mode=ro", uri=True)
wb = xlsxwriter.Workbook(out, {{"constant_memory": True, "strings_to_numbers": False,
                                "strings_to_formulas": False, "strings_to_urls": False}})
fmts = {{}}
def fmt(nf):
    if nf not in fmts:
        fmts[nf] = wb.add_format({{"num_format": nf}} if nf else {{}})
    return fmts[nf]
for sheet in plan["tables"]:
    ws = wb.add_worksheet(sheet["name"])
    for r, row in enumerate(sheet["rows"]):
        for c, (v, nf) in enumerate(row):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v, fmt(nf))
            else:
                ws.write_number(r, c, v, fmt(nf))
names = dict(con.execute("SELECT id, name FROM organization"))
money, date = fmt("#,##0"), fmt("yyyy-mm-dd")
for sheet in plan["data"]:
    ws = wb.add_worksheet(sheet["name"])
    for c, label in enumerate(sheet["labels"]):
        ws.write_string(0, c, label)
    kinds, orgs = sheet["kinds"], set(sheet["org_cols"])
    sql = ("SELECT " + ", ".join('"%s"' % k for k in sheet["keys"])
           + f' FROM "{{sheet["table"]}}" ORDER BY id')
    r = 1
    for row in con.execute(sql):
        c = 0
        for i, v in enumerate(row):
            k = kinds[i]
            if v is not None:
                if k == "money":
                    ws.write_number(r, c, v, money)
                elif k == "date":
                    ws.write_datetime(r, c, dt.date.fromisoformat(v), date)
                elif k == "bool":
                    ws.write_string(r, c, "예" if v else "아니오")
                elif k == "time":
                    ws.write_string(r, c, v[:5])
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
            c += 1
            if i in orgs:
                name = names.get(v)
                if name is not None:
                    ws.write_string(r, c, name)
                c += 1
        r += 1
wb.close()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": time.perf_counter() - t, "peak_mb": ru.ru_maxrss / 1024,
                  "cpu": ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime}}))
"""


def _child(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=False, env=env)
    if res.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def reference_plan(db_path: str, path: Path) -> None:
    """What the reference writes: the report sheets' cells and each data sheet's columns."""
    from sqlalchemy import inspect as sa_inspect

    from db.models import Organization
    from db.periods import Period
    from db.session import open_database
    from exports import assemble
    from exports.table_model import cell_number, cell_text, number_format

    database = open_database(db_path, read_only=True)
    with database.session() as s:
        tables = assemble.workbook_tables(s, Period.parse(FIRST), Period.parse(LAST))
    database.close()
    plan: dict = {"tables": [], "data": []}
    for t in tables:
        rows = [[[t.title, None]], [[t.unit_line or "", None]]]
        for row in t.rows:
            out = []
            for cell in row:
                n = None if cell is None else cell_number(cell)
                if cell is None or cell.value is None:
                    out.append([None, None])
                elif n is not None:
                    out.append([n, number_format(cell)])
                else:
                    out.append([cell_text(cell), None])
            rows.append(out)
        plan["tables"].append({"name": t.sheet_name[:31], "rows": rows})
    for model, name in assemble.entity_sheets():
        cols, labels, _kinds = assemble.data_columns(model)
        mapper = sa_inspect(model)
        keys = [mapper.columns[c.key].name for c in cols]
        kinds = []
        for c in cols:
            sql_type = type(mapper.columns[c.key].type).__name__
            kinds.append("time" if sql_type == "Time" else c.kind)
        org_cols = [i for i, c in enumerate(cols) if c.kind == "fk" and c.target is Organization]
        plan["data"].append({"name": name, "table": mapper.local_table.name, "keys": keys,
                             "labels": labels, "kinds": kinds, "org_cols": org_cols})
    path.write_text(json.dumps(plan, ensure_ascii=False))


def migrated_copy(db_path: str, work: Path) -> str:
    """A copy of the shared database brought to the current schema (the original untouched)."""
    import shutil

    from db.session import open_database

    copy = work / Path(db_path).name
    shutil.copyfile(db_path, copy)
    open_database(str(copy)).close()  # migrates, with its own safety backup
    return str(copy)


def workbook_pair(db_path: str, work: Path, repeat: int) -> tuple[dict, dict]:
    plan = work / "plan.json"
    reference_plan(db_path, plan)
    dure, ref = [], []
    for _ in range(repeat):  # alternate, so both sides see the same machine load
        dure.append(_child(DURE.format(root=str(ROOT)), "workbook", db_path,
                           str(work / "dure.xlsx"), FIRST, LAST))
        ref.append(_child(REFERENCE.format(), str(plan), db_path, str(work / "ref.xlsx")))
    return _best(dure), _best(ref)


def _best(runs: list[dict]) -> dict:
    return {"seconds": min(r["seconds"] for r in runs), "cpu": min(r["cpu"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(BENCH / "bench100k.sqlite"))
    ap.add_argument("--db1m", default=str(BENCH / "bench1m.sqlite"),
                    help="the 1,000,000-record database ('' to skip)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf", action="store_true", help="also time the roster and report PDFs")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dure-bench-"))
    failed = False
    peaks = {}
    for label, path, repeat in (("100k", args.db, args.repeat), ("1M", args.db1m, 1)):
        if not path or not Path(path).exists():
            print(f"workbook {label:4s}: {path or '-'} 없음, 건너뜁니다")
            continue
        dure, ref = workbook_pair(migrated_copy(path, work), work, repeat)
        ratio = dure["cpu"] / ref["cpu"]  # CPU time: wall time swings with the shared load
        ok = ratio <= 1.3
        failed |= not ok
        peaks[label] = dure["peak_mb"]
        print(f"workbook {label:4s}: Dure {dure['cpu']:6.2f} s CPU ({dure['seconds']:6.2f} s wall) "
              f"{dure['peak_mb']:5.0f} MB | xlsxwriter constant-memory, same cells "
              f"{ref['cpu']:6.2f} s CPU ({ref['seconds']:6.2f} s wall) {ref['peak_mb']:5.0f} MB"
              f" | ratio {ratio:4.2f} (target <= 1.3) {'OK' if ok else 'MISSED'}")
    if "100k" in peaks and "1M" in peaks:
        flat = peaks["1M"] <= 1.5 * peaks["100k"]
        failed |= not flat
        print(f"workbook memory: 1M {peaks['1M']:.0f} MB vs 100k {peaks['100k']:.0f} MB "
              f"(flat: <= 1.5x) {'OK' if flat else 'MISSED'}")
    if args.pdf:
        for kind, last, target in (("roster", "2022-06-30", 0.5), ("report", "2022H1", 2.0)):
            runs = [_child(DURE.format(root=str(ROOT)), kind, args.db, str(work / f"{kind}.pdf"),
                           "2022", last) for _ in range(args.repeat)]
            best = min(r["seconds"] for r in runs)
            ok = best < target
            failed |= not ok
            print(f"{kind:8s} 100k: {best:5.2f} s (first in a new process "
                  f"{min(r['cold'] for r in runs):5.2f} s) target < {target} s "
                  f"{'OK' if ok else 'MISSED'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
