"""Pytest plugin for the mutation run (bench/mutation.py): databases from templates.

mutmut forks one child per mutant from the process that ran the clean tests, and each child
starts a new pytest session, so every session-, module- and test-scoped database is built
again for every mutant: migrating an empty database costs 0.3–0.8 s and loading the demo
another second, while copying the same file and opening it costs 10 ms. This plugin (loaded
with `-p tests.mutation_plugin` from `[tool.mutmut] pytest_add_cli_args`, never by the plain
suite) builds each kind of database once per process, in the parent, and gives every test a
copy of it:

- `db.session.open_database(path)` on a new SQLite file copies the empty migrated template
  there first, so the real `open_database` then finds it at the newest schema;
- `tests.export_fixtures.open_demo(folder)` copies its demo template (built once per process
  there, for the plain suite as well; a forked child inherits it).

Tests marked `postgres` are deselected here: each would start a PostgreSQL server for every
mutant (4–5 s before its first query). The plain suite and CI run them as before; the rules
they check on the server are the ones the SQLite tests run under every mutant.

The copies hold the same rows as a fresh build (same migrations, same demo loader, run with
no mutant active); the tests and their assertions are unchanged. One consequence is stated
in bench/mutation.py: under a mutant, the demo is not loaded again, so loading the demo no
longer counts as a test of the functions it calls (each of those has tests of its own).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path


def _install() -> None:
    import db.session as session
    from tests.export_fixtures import build_template, copy_database

    real_open = session.open_database
    if getattr(real_open, "_from_template", False):
        return
    folder = Path(tempfile.mkdtemp(prefix="dure-mutation-templates-"))
    owner = os.getpid()  # mutmut's forked children must not remove it at their exit
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, True))
    empty = build_template(folder, "empty", lambda database: None)  # before the patch below

    def open_database(db=None, **kwargs):
        if isinstance(db, (str, os.PathLike)) and not kwargs:
            target = Path(db)
            if "://" not in str(db) and not target.exists() and target.suffix == ".sqlite":
                target.parent.mkdir(parents=True, exist_ok=True)
                copy_database(empty, target)
        return real_open(db, **kwargs)

    open_database._from_template = True  # type: ignore[attr-defined]
    session.open_database = open_database
    # tests.export_fixtures.open_demo copies its own once-per-process demo template already.


def pytest_configure(config) -> None:
    _install()
    # No hypothesis deadline (200 ms by default): at nice 19 on a shared machine an example
    # overruns it for want of CPU, and the stats phase then stops on a DeadlineExceeded.
    from hypothesis import settings

    settings.register_profile("mutation", deadline=None)
    settings.load_profile("mutation")


def pytest_runtest_setup(item) -> None:
    """The rules' per-process caches emptied before every test, as in a new process.

    mutmut forks each mutant from a process that has run the clean tests, so these caches are
    full there and the code that fills them (a model's checked columns, its rules, its row
    class, its date pairs) would never run under a mutant of that code; and in the stats
    phase only the first test to fill an entry would be mapped to that code. Emptied before
    each test, every test that uses them runs that code (they fill again in milliseconds).
    The session-cache keys (checks._SESSION_CACHES) stay: a session opened by a fixture before
    the test must still forget its indexes when it writes.
    """
    from db.rules import checks, core, rows

    for cache in (core._PLANS, core._COLUMNS, rows._KINDS, checks._order_cache):
        cache.clear()


# The order a mutant's tests run in. mutmut runs them with -x, so a mutant the first test kills
# costs one test: the files written for the mutated area come first (a mutant of db/rules/space.py
# meets tests/test_mut_rules.py and the rules tests before any query test that happens to save a
# tenancy), then pure-function tests, the demo reports last. mutmut hands the tests over sorted
# by their duration, mixing files; they are grouped by file again here (a file's own tests keep
# mutmut's order, fastest first), so that a module-scoped database is built once per mutant.
_FIRST = {
    "db.formats": ("tests/test_mut_formats.py", "tests/test_formats.py"),
    "db.periods": ("tests/test_periods.py",),
    "db.rules": ("tests/test_mut_rules", "tests/test_rules_", "tests/test_boundaries.py"),
    "db.queries": ("tests/test_mut_queries.py", "tests/test_queries"),
}
_LAST = ("tests/test_designations.py", "tests/test_report_counts.py")


def _first_files() -> tuple[str, ...]:
    """The test files written for the module of the mutant under test (none outside a run)."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    return next((files for area, files in _FIRST.items() if mutant.startswith(area + ".")), ())


def _rank(path: str, first: tuple[str, ...]) -> tuple[int, int]:
    for i, prefix in enumerate(first):
        if path.startswith(prefix):
            return 0, i
    if path in _LAST:
        return 4, 0
    if path.startswith("tests/test_queries"):
        return 3, 0
    if path.startswith("tests/test_rules"):
        return 2, 0
    return 1, 0


def pytest_collection_modifyitems(session, config, items) -> None:
    """No server tests; the area's own files first, then the cheapest; each file's tests
    together."""
    server = [item for item in items if item.get_closest_marker("postgres")]
    if server:
        config.hook.pytest_deselected(items=server)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
    first = _first_files()
    paths = [item.nodeid.split("::", 1)[0] for item in items]
    first_seen: dict[str, int] = {}
    for n, path in enumerate(paths):
        first_seen.setdefault(path, n)

    def key(n: int) -> tuple[tuple[int, int], int, int]:
        return _rank(paths[n], first), first_seen[paths[n]], n
    items[:] = [items[n] for n in sorted(range(len(items)), key=key)]
