"""Headless subcommands `demo` (load the demo records) and `check` (integrity and rules)."""

from __future__ import annotations

import argparse
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect

if TYPE_CHECKING:
    from .check_helper import CheckHelper
    from .rules.core import Severity


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `demo` and `check` to main.py's subcommands."""
    demo = subparsers.add_parser(
        "demo",
        help="데모 기록(보고서의 모든 실적)을 데이터베이스에 넣습니다",
        description="resources/demo/*.yaml 의 데모 기록을 선택한 데이터베이스에 넣습니다. "
        "이미 있는 기록은 건너뛰므로 두 번 실행해도 중복되지 않습니다.",
    )
    demo.set_defaults(func=run_demo)
    check = subparsers.add_parser(
        "check",
        help="데이터베이스의 무결성과 기록의 규칙 위반을 검사합니다",
        description="SQLite 무결성 검사(integrity_check, foreign_key_check)와 모든 기록의 규칙 "
        "검사를 실행하고 결과를 출력합니다. 오류가 있으면 종료 코드 1.",
    )
    check.add_argument("--warnings", action="store_true",
                       help="주의(경고) 항목도 하나씩 출력합니다")
    check.set_defaults(func=run_check)


def run_demo(args: argparse.Namespace) -> int:
    """`main.py demo`: load the demo records, print what was added."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from .demo import load_demo
    from .naming import table_labels
    from .session import open_database

    database = open_database(getattr(args, "db", None))
    try:
        added = load_demo(database)
    finally:
        database.close()
    where = database.where
    if not added:
        print(f"데모 기록이 이미 모두 들어 있습니다. 추가한 기록 없음 ({where}).")
        return 0
    labels = table_labels()
    print(f"데모 기록을 넣었습니다 ({where}): 모두 {sum(added.values()):,}건")
    for table, n in added.items():
        print(f"  {labels.get(table, table)}: {n:,}건")
    return 0


@dataclass(frozen=True)
class Finding:
    """One thing `check` found: severity, the record it is about, the Korean message."""

    severity: Severity
    where: str
    message: str


def integrity_findings(database: Any) -> Iterator[Finding]:
    """SQLite's own checks: page integrity and foreign keys (nothing to do on other servers)."""
    if not database.is_sqlite:
        return
    with database.engine.connect() as conn:
        yield from _file_findings(conn.exec_driver_sql)


def _file_findings(execute: Callable[[str], Any]) -> Iterator[Finding]:
    """PRAGMA integrity_check and foreign_key_check through `execute`, as findings."""
    rows = [r[0] for r in execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        for msg in rows:
            yield Finding("error", "데이터베이스 파일", f"손상: {msg}")
    for row in execute("PRAGMA foreign_key_check"):
        table, rowid, parent = row[0], row[1], row[2]
        yield Finding(
            "error", f"{table} #{rowid}", f"참조하는 {parent} 기록이 없습니다(외래 키 위반)."
        )


class _FileChecks:
    """`integrity_findings` on a thread of its own, with its own read-only connection to the
    file, while the record checks run (issue 13).

    SQLite runs each PRAGMA inside one sqlite3_step, without Python's lock, so on a second
    core the file's own checks (at 1,000,000 records about 3.4 s of CPU) overlap the rules
    instead of coming before them. Started after open_database, so it checks the file as the
    record checks read it (after a migration, if any). `findings()` waits for it; anything
    it raised is raised there.
    """

    def __init__(self, path: Any) -> None:
        self._found: list[Finding] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,),
                                        name="dure-check-file", daemon=True)
        self._thread.start()

    def _run(self, path: Any) -> None:
        # deferred: main.py builds every command's parser at start; loads when the command runs
        from .safety.integrity import ro_connect

        try:
            con = ro_connect(path)
            try:
                self._found = list(_file_findings(con.execute))
            finally:
                con.close()
        except BaseException as exc:  # noqa: BLE001 - given to the main thread in findings()
            self._error = exc

    def findings(self) -> list[Finding]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._found


def record_findings(database: Any, helper: CheckHelper | None = None
                    ) -> Iterator[tuple[int, list[Finding]]]:
    """Every record of every model through the rules; yields (records checked, findings) per model.

    The records are light rows read in chunks (db/rules/rows.py), each with the relatives its
    rules declare, one query per relationship and chunk; a model whose rules walk to a parent
    is read with that parent, as its collections (rows.families). The same rules as the forms
    run on ORM objects, without building one. Models in table order, records in id order.

    `helper` (db/check_helper.py, `main.py check` on a large SQLite file): a forked process
    checks some of the families meanwhile; this one checks the others, then takes its
    results. Whatever it does not hand back is checked here, so the findings are the same.
    """
    plan = helper.plan if helper is not None else check_plan()
    theirs = helper.hand_over(database) if helper is not None else set()
    done: dict[type, tuple[int, list[tuple[Any, Finding]]]] = {}
    with database.session() as session, _old_objects_frozen():
        if theirs:
            for root in plan.roots:
                if root not in theirs:
                    done.update(check_family(session, plan, root))
            assert helper is not None
            done.update(helper.results())
        for model in plan.order:
            if model not in done:
                done.update(check_family(session, plan, plan.family_of.get(model, model)))
            count, found = done.pop(model)
            if model in plan.family_of:  # read parent by parent: back in id order
                found.sort(key=lambda pair: pair[0])
            yield count, [finding for _id, finding in found]


@dataclass(frozen=True)
class CheckPlan:
    """What `check` reads: every model in table order, the relatives its rules read, and
    the families read together (a parent model with the child models its rules walk to)."""

    order: list[Any]
    reads: dict[type, Any]
    families: dict[type, list[Any]]
    family_of: dict[type, type]

    @property
    def roots(self) -> list[type]:
        """The models read on their own (a family's parent, or a model of no family)."""
        return [model for model in self.order if model not in self.family_of]

    def members(self, root: type) -> list[type]:
        return [root, *(child for child, *_ in self.families.get(root, []))]


def check_plan() -> CheckPlan:
    """The plan of `check`, its rules and imports loaded."""
    # deferred: main.py --help builds every command's parser; the models load when check runs
    from . import models, service
    from .rules import rows
    from .rules.core import reads_of

    service._load_rule_modules()  # the @rule registrations (and their reads) of every area
    order = sorted((mp.class_ for mp in models.Base.registry.mappers),
                   key=lambda model: str(model.__tablename__))
    reads = {model: rows.tree_of(reads_of(model)) for model in order}
    families = rows.families(order, reads)
    family_of = {child: parent for parent, members in families.items() for child, *_ in members}
    _describer()  # its imports too (a forked helper then has them)
    return CheckPlan(order, reads, families, family_of)


def check_families(database: Any, plan: CheckPlan, roots: list[str]
                   ) -> dict[str, tuple[int, list[tuple[Any, Finding]]]]:
    """The findings of the families of `roots` (table names), by table name: a forked
    helper's share of `main.py check` (db/check_helper.py), by the plan it inherited."""
    tables = {str(model.__tablename__): model for model in plan.order}
    tables_of = {model: name for name, model in tables.items()}.__getitem__
    found: dict[str, tuple[int, list[tuple[Any, Finding]]]] = {}
    with database.session() as session, _old_objects_frozen():
        for name in roots:
            for member, result in check_family(session, plan, tables[name]).items():
                found[str(tables_of(member))] = result
    return found


def check_family(session: Any, plan: CheckPlan, root: type
                 ) -> dict[type, tuple[int, list[tuple[Any, Finding]]]]:
    """(records checked, [(parent id or 0, finding)]) of `root` and each member of its family."""
    # deferred: main.py --help builds every command's parser; the rules load when check runs
    from .naming import title_fields
    from .rules import rows
    from .rules.core import validate_many

    members = plan.families.get(root, [])
    done: dict[type, tuple[int, list[tuple[Any, Finding]]]] = {m: (0, []) for m in
                                                                plan.members(root)}
    for m, records, held in rows.walk(session, root, members, plan.reads):
        count, found = done[m]
        flagged = list(validate_many(records, session))
        titles = rows.tree_of(p.rsplit(".", 1)[0] for p in title_fields(m.__title__)
                              if "." in p)
        rows.resolve(session, m, [rec for rec, _p in flagged], titles, held, records)
        for rec, problems in flagged:
            where = describe(rec)
            ident = rec.id if m in plan.family_of else 0
            found.extend((ident, Finding(p.severity, where, p.message)) for p in problems)
        done[m] = (count + len(records), found)
    return done


# Objects made (net of those freed) before the collector's youngest generation runs, while
# `check` runs: Python's 700 had it run ~480 times at 100,000 records (0.18 s of a 1.1 s
# check); cyclic garbage (a grant and its payments) waits for at most this many objects.
CHECK_GC_THRESHOLD = 50_000


@contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """The objects that exist before the check (modules, mappers, the session) left out of
    the garbage collector's runs until it ends (gc.freeze), and its youngest generation run
    every CHECK_GC_THRESHOLD objects instead of 700; both given back afterwards.

    The check makes rows by the hundred thousand, so the collector runs again and again,
    and each of its full runs walked every object of the process (a quarter of the check's
    time at 100k). Rows made during the check are collected as usual (a chunk's rows hold
    cycles: a grant and its payments), so memory stays flat.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], CHECK_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def describe(obj: Any) -> str:
    """'입주공간 #3 (백마역 1번출구)': the record's Korean kind, id and its title (db/naming.py)."""
    return _describer()(obj)


@cache
def _describer() -> Callable[[Any], str]:
    """`describe`, its imports done once (check names thousands of records)."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from .naming import label, title
    from .rules.core import model_of

    keys: dict[type, tuple[str, ...]] = {}

    def describe(obj: Any) -> str:
        model = model_of(obj)
        what = label(model)
        if model is type(obj):
            state: Any = sa_inspect(obj)
            ident = state.identity
        else:  # a light row of `check`
            if model not in keys:
                mapper: Any = sa_inspect(model)
                keys[model] = tuple(col.key for col in mapper.primary_key)
            ident = tuple(getattr(obj, key) for key in keys[model])
        head = f"{what} #{ident[0]}" if ident else what
        name = title(obj)
        return f"{head} ({name[:30]})" if name and not name.startswith(what) else head

    return describe


def run_check(args: argparse.Namespace) -> int:
    """`main.py check`: integrity and consistency; exit 1 when anything is an error."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from .safety.precheck import Precheck, plain_path

    # open_database's quick_check of the file runs on a thread while the ORM loads (as at
    # the window's start); the full integrity_check and foreign_key_check then run on another
    # while the records are checked.
    path = plain_path(getattr(args, "db", None))
    precheck = Precheck(path) if path is not None else None
    # deferred: the models and ORM load while the quick_check above runs (0.25 s here)
    from .check_helper import CheckHelper
    from .session import open_database

    if precheck is not None:
        precheck.verdict(precheck.path)  # its thread done: a forked helper has only this one
    helper = CheckHelper.start(path, check_plan(), check_families) if path is not None else None
    try:
        database = open_database(getattr(args, "db", None), create=False, precheck=precheck)
    except BaseException:
        if helper is not None:
            helper.close()
        raise
    try:
        # read-only (write-protected media, an unwritable folder): through the engine's own
        # connection, as it opened the file (immutable where it must be)
        beside = database.is_sqlite and database.path and not database.read_only
        files = _FileChecks(database.path) if beside else None
        found_in_records: list[Finding] = []
        checked = 0
        for count, found in record_findings(database, helper):
            checked += count
            found_in_records += found
        integrity = files.findings() if files is not None else list(integrity_findings(database))
    finally:
        if helper is not None:
            helper.close()
        database.close()
    findings = integrity + found_in_records
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    print(f"검사한 데이터베이스: {database.where}")
    if database.is_sqlite:
        state = "문제 있음" if integrity else "이상 없음"
        print(f"무결성 검사(integrity_check, foreign_key_check): {state}")
    for f in errors:
        print(f"[오류] {f.where}: {f.message}")
    if getattr(args, "warnings", False):
        for f in warnings:
            print(f"[주의] {f.where}: {f.message}")
    print(f"기록 {checked:,}건 검사: 오류 {len(errors):,}건, 주의 {len(warnings):,}건")
    if errors:
        print("오류가 있는 기록을 고친 뒤 다시 검사하세요.")
        return 1
    print("오류 없음." if not warnings else "오류 없음. 주의 항목은 --warnings 로 볼 수 있습니다.")
    return 0
