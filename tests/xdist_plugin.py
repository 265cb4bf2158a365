"""How the suite uses its pytest-xdist workers: files heaviest first, templates built once.

**Order.** With `--dist loadfile` a worker takes one whole file at a time, from a queue in
collection order (`--no-loadscope-reorder`; xdist's own reorder puts the files with the most
tests first, which left one-test files such as the crash test, 40 s of children, for the very
end while the other core sat idle). Longest first, then the many light files, leaves only
light files for the end, so both workers finish within a light file's time of each other.

The list is what a whole run measured; a file not named (each under 1.7 s) runs after them in
collection order. Only the order changes: every file's tests still run on one worker, in their
own order, with their module fixtures.

**Templates.** The controller names a folder in DURE_TEST_TEMPLATES before the workers start;
tests/export_fixtures.py builds each template database (the empty migrated file, the demo)
there once per run, under a file lock, instead of once in every worker. A serial run, or a
platform without fcntl, builds them once per process as before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Generator

import pytest

TEMPLATES_ENV = "DURE_TEST_TEMPLATES"

# Heaviest first (CPU of the file's tests and their children in a whole run at load 7-12,
# session six). test_packaging waits for the controller's build: early enough that the build
# is done before the other files run out, never last.
HEAVY_FIRST = (
    "test_crash.py",  # 11 s, two long tests: they must not be the last thing a worker does
    "test_gui_window.py",  # 9.5
    "test_gui_areas.py",  # 9
    "test_dashboard_screen.py",  # 11.5 since the first screen's tests grew (session seven)
    "test_export_hwpx.py",  # 9
    "test_check_rows.py",  # 8.5
    "test_packaging.py",  # 10, mostly waiting for the build
    "test_leftovers.py",  # 7.5
    "test_demo.py",  # 7
    "test_import.py",  # 6.5
    "test_dashboard_days.py",  # 4.5, new in session seven: it ran among the last files
    "test_check_helper.py",  # 3.3, new in session seven
    "test_property_entities.py",  # 3.6 since its row count is compiled once (8.5 before)
    "test_office_bench.py",  # 5.5, one test
    "test_gui_small_screens.py",
    "test_gui_access.py",
    "test_lock_file_identity.py",
    "test_first_screen.py",
    "test_migrations.py",
    "test_input_limits.py",
    "test_backup.py",
    "test_import_files.py",
    "test_video_thumbnail.py",
    "test_gui_inputs.py",
    "test_office_backup.py",
    "test_write_path.py",
    "test_import_property.py",
    "test_lock.py",
    "test_export_writer.py",
    "test_pdf_layout.py",
    "test_export_workbook.py",
    "test_gui_lists.py",
    "test_office_transfer.py",
    "test_check_speed.py",
    "test_office_write_paths.py",
    "test_list_memory.py",
    "test_gui_excel.py",
    "test_export_safety.py",
    "test_report_document.py",
    "test_mut_queries.py",
    "test_gui_korean.py",
    "test_registry.py",
    "test_backup_identity.py",
    "test_office_versions.py",
    "test_import_graph.py",
    "test_gui_formats.py",
    "test_integrity.py",
    "test_history.py",
    "test_gui_dashboard.py",
    "test_trash.py",
    "test_startup_path.py",
)


def pytest_collection_modifyitems(session, config, items) -> None:
    """On an xdist worker: files in HEAVY_FIRST order, then the rest as collected."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # a serial run keeps pytest's order
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}

    def key(item) -> int:
        return rank.get(item.path.name, len(HEAVY_FIRST))

    items.sort(key=key)  # stable: each file's tests keep their order


EXTRA_WORKERS = 1


@pytest.hookimpl(wrapper=True)
def pytest_xdist_auto_num_workers(config) -> Generator[None, int, int]:
    """`-n auto`: one worker more than xdist counts cores (unless PYTEST_XDIST_AUTO_NUM_WORKERS).

    A worker spends about a third of its wall time waiting, not computing: on child processes
    (the crash and lock tests, the frozen program), on the PostgreSQL server, on the
    controller's build and on timers. With one worker per core those waits leave a core idle;
    one more worker fills them. Whole warm runs on a 2-core machine, session nine: 114.5 s
    with 2 workers, 105.6 s with 3 and 106.9 s with 4; after that session's cuts to the tests'
    own CPU, 107.9 s with 2 and 108.5 s with 3 (the gain is gone where the waits were cut).
    """
    counted = yield
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return counted
    return counted + EXTRA_WORKERS


def pytest_configure(config) -> None:
    """The xdist controller names the shared template folder (the workers inherit it)."""
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None) \
            and not config.getoption("collectonly") and not os.environ.get(TEMPLATES_ENV):
        folder = tempfile.mkdtemp(prefix="dure-templates-")
        os.environ[TEMPLATES_ENV] = folder
        config.add_cleanup(lambda: (os.environ.pop(TEMPLATES_ENV, None),
                                    shutil.rmtree(folder, ignore_errors=True)))
