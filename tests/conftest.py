"""Shared fixtures: offscreen Qt, a fresh database per test, the demo database."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

# pytest-qt with no display aborts the run unless Qt is told to draw offscreen (docs/facts.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import PySide6.QtCore  # noqa: F401,E402 - its import hook is in place before the scan is skipped
import pytest

from gui.qt_features import skip_source_scan  # noqa: E402

skip_source_scan()  # as the desk does (gui/app.py make_app): each import reads no source

pytest_plugins = ["tests.xdist_plugin"]  # files heaviest first, templates shared by workers

ROOT = Path(__file__).resolve().parents[1]
PACKAGING_TESTS = "tests/test_packaging.py"
MEMORY_TMP = Path("/dev/shm")
MEMORY_TMP_ROOM = 4 * 1024**3  # a whole run leaves ~350 MB; pytest keeps the last three runs


def _tests_on_a_memory_file_system() -> None:
    """Test files (databases, backups, the one-folder build) in RAM when the machine has room.

    Every SQLite commit waits for an fsync, 2 ms on this machine's disk and ~0 on tmpfs; the
    suite commits thousands of times. What the tests check does not change: the crash tests
    kill processes, not the machine. TMPDIR set by the caller wins; DURE_TEST_DISK_TMP=1 keeps
    the disk. Set before pytest makes its temporary folders, inherited by workers and children.
    """
    if os.environ.get("TMPDIR") or os.environ.get("DURE_TEST_DISK_TMP") == "1":
        return
    try:
        room = shutil.disk_usage(MEMORY_TMP).free
    except OSError:
        return
    if room >= MEMORY_TMP_ROOM and os.access(MEMORY_TMP, os.W_OK):
        os.environ["TMPDIR"] = str(MEMORY_TMP)
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again


_tests_on_a_memory_file_system()


def _bytecode_cached_outside_the_tree() -> None:
    """Compiled modules kept between processes, in a folder outside the source tree.

    This machine's shell sets PYTHONDONTWRITEBYTECODE, so every pytest-xdist worker and every
    child Python a test starts (crash, lock, leftovers, CLI tests) compiled SQLAlchemy, PySide6's
    Python parts, hypothesis and Dure from source again: 12 s of CPU per worker just to collect.
    The variable's intent (no __pycache__ folders in the tree or the venv) is kept by writing
    them under PYTHONPYCACHEPREFIX instead, as bench/bench_gui.py does. Set before the test
    modules are imported, inherited by the workers and children. A prefix given by the caller
    wins; DURE_TEST_NO_PYCACHE=1 leaves the environment as it is.
    """
    if os.environ.get("DURE_TEST_NO_PYCACHE") == "1" \
            or not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or str(Path(tempfile.gettempdir())
                                                          / "dure-test-pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False


_bytecode_cached_outside_the_tree()

_compiling: dict[str, Any] = {}  # the open lock file of the worker that compiles for all


def _one_worker_compiles_for_all() -> None:
    """On a first run, one pytest-xdist worker compiles; the others wait and read its pycs.

    With an empty pycache every worker compiled the same ~1,600 modules (SQLAlchemy, Qt's
    Python parts, hypothesis, Dure, the standard library under the prefix) at the same moment:
    8 s of CPU each on this 2-core machine, as much as a warm collection of the whole suite.
    The first worker here takes the lock and collects; the others block until it has
    collected (tests/conftest.py `pytest_collection_finish`), then import compiled code.
    Meanwhile the controller's build uses the other core. Once a run has collected with this
    tree and this venv, a marker beside the pycs says so and no worker waits again. Only with
    our pycache prefix (a caller's own bytecode settings are left alone), only where flock
    exists, and never for long: a worker that dies releases the lock with its process.
    """
    prefix = sys.pycache_prefix
    if not os.environ.get("PYTEST_XDIST_WORKER") or not prefix \
            or os.environ.get("DURE_TEST_NO_PYCACHE") == "1":
        return
    try:
        import fcntl
    except ImportError:
        return
    import hashlib  # deferred: only xdist workers with the prefix get here

    key = hashlib.sha256(f"{ROOT}\0{sys.prefix}\0{sys.version}".encode()).hexdigest()[:16]
    marker = Path(prefix) / f"dure-collected-{key}"
    if marker.exists():
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        lock = open(marker.with_suffix(".lock"), "a")  # noqa: SIM115 - closed once collected
    except OSError:
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # another worker is compiling: wait for it, then go on together
        fcntl.flock(lock, fcntl.LOCK_SH)
        lock.close()
        return
    _compiling.update(lock=lock, marker=marker)


_one_worker_compiles_for_all()


def pytest_collection_finish(session):
    """The compiling worker has imported everything collection needs: let the others go."""
    lock = _compiling.pop("lock", None)
    if lock is not None:
        try:
            _compiling.pop("marker").touch()
        except OSError:
            pass
        lock.close()

GC_YOUNG_THRESHOLD = 10_000  # Python's default is 700


def _collector_for_many_short_tests() -> None:
    """The cyclic garbage collector's youngest generation collected every 10,000 new objects.

    A test makes objects that live for the test (a window, sessions, hypothesis examples):
    counted from 700 they outlive two young collections and reach the oldest generation, and
    each 25 % more there starts a full pass over every object of the process, 0.1-0.25 s here
    (11-14 % of a worker's CPU went to the collector). From 10,000 most of them die young.
    Reference counting frees everything else at once as before; only cyclic garbage waits
    longer. The same reasoning as db/commands.py's CHECK_GC_THRESHOLD; this process only
    (the child Pythons that tests start keep Python's default).
    """
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


_collector_for_many_short_tests()


def pytest_configure(config):
    """Under pytest-xdist, name the build folder before the workers start (they inherit it)."""
    if getattr(config.option, "maxworkerrestart", "") is None:  # not given on the command line
        # A crashed worker ends the run, naming its test: pytest-xdist 3.8 replaces it, and
        # under --dist loadfile the run can then wait forever (xdist #784, #1327).
        config.option.maxworkerrestart = "0"
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None) \
            and not config.getoption("collectonly"):
        from tests.frozen_build import BUILD_ROOT_ENV

        os.environ[BUILD_ROOT_ENV] = tempfile.mkdtemp(prefix="dure-frozen-")
        if _whole_suite(config):
            _start_controller_build()


def _whole_suite(config) -> bool:
    """The run is the whole suite (no paths, -k, -m, --lf or --sw): the packaging tests are in."""
    option = config.option
    return not (option.file_or_dir or option.keyword or option.markexpr
                or getattr(option, "lf", False) or getattr(option, "stepwise", False))


def _start_controller_build() -> None:
    """The xdist controller's build, started once; a thread writes its exit code beside it."""
    from tests.frozen_build import BUILD_ROOT_ENV, _build, record_exit_code, start_build

    if _build:
        return
    start_build(Path(os.environ[BUILD_ROOT_ENV]))
    threading.Thread(target=record_exit_code, name="dure-build", daemon=True).start()


@pytest.hookimpl(trylast=True)  # after -k / -m have deselected what they deselect
def pytest_collection_modifyitems(session, config, items):
    """Start the one-folder build early when its tests will run (it uses an idle core)."""
    from tests.frozen_build import BUILD_ROOT_ENV

    if os.environ.get(BUILD_ROOT_ENV):
        return  # a pytest-xdist worker: the controller builds
    if any(item.nodeid.startswith(PACKAGING_TESTS) and "frozen" in item.fixturenames
           for item in items):
        from tests.frozen_build import start_build

        start_build()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """Any other run: the controller builds once a worker has collected the packaging tests.

    The whole suite starts the build at once (`pytest_configure`), beside the first worker's
    collection, which on a first run has one core to itself while it compiles for all.
    """
    if any(nodeid.startswith(PACKAGING_TESTS) for nodeid in ids):
        _start_controller_build()


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Every test gets its own user data folder: nothing touches the real one."""
    monkeypatch.setenv("DURE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DURE_DATABASE_URL", raising=False)


@pytest.fixture(autouse=True)
def _window_thread_collector(request):
    """A GUI test's cycles are collected on the window's thread, as in the desk
    (gui/collector.py): a worker's collection never frees a test's Qt objects."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    from gui import collector

    app = request.getfixturevalue("qapp")
    collector.install(app)
    yield
    collector.install(app).stop(collect_all=False)  # (the one a test may have made anew)


@pytest.fixture(scope="session")
def empty_template() -> Path:
    """A freshly migrated, empty database file (closed): copy it, never open it."""
    from tests.export_fixtures import shared_template

    return shared_template("empty", lambda database: None)[0]


@pytest.fixture
def db(tmp_path, empty_template):
    """A fresh, migrated, empty SQLite database."""
    from db.session import open_database
    from tests.export_fixtures import copy_database

    database = open_database(copy_database(empty_template, tmp_path / "test.sqlite"))
    yield database
    database.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One database with the demo records, shared by a module's read-only tests."""
    from tests.export_fixtures import open_demo

    base = tmp_path_factory.mktemp("demo")
    # module fixtures start before the per-test _data_dir: keep the user's folder untouched
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DURE_DATA_DIR", str(base / "data"))
        mp.delenv("DURE_DATABASE_URL", raising=False)
        database = open_demo(base)
    yield database
    database.close()


@pytest.fixture(scope="module")
def demo_files(demo):
    """(demo database, its folder): export tests write their files beside the database."""
    return demo, demo.path.parent


@pytest.fixture(scope="session")
def pg_admin_url():
    """A reachable PostgreSQL server: DURE_TEST_PG_URL, else a private temporary one.

    Skipped only where no server can be had; under CI (CI=true) that is a failure, since CI
    installs PostgreSQL and both backends must really be tested.
    """
    from tests.pg_server import TempServer

    given = os.environ.get("DURE_TEST_PG_URL")
    if given:
        yield given
        return
    server = TempServer()
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        server.stop()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL could not be started under CI: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield server.url()
    server.stop()


@pytest.fixture
def pg_db(pg_admin_url):
    """A fresh, migrated PostgreSQL database for one test."""
    from db.session import open_database
    from tests.pg_server import migrated_database

    database = open_database(migrated_database(pg_admin_url))
    yield database
    database.close()
