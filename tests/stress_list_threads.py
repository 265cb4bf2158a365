"""Recreate the list thread's race: unparented list models dropped while their reads run.

    uv run python -m tests.stress_list_threads [ROUNDS]

Each round makes a RecordTableModel without a parent (as tests do, and as a dropped page
leaves one), loads the demo, queues its search index and sort orders, sorts, drops it and
runs the event loop for 3 ms, so results arrive for models in every state. Before the fix of
gui/relay.py this ended in a segmentation fault within 200 rounds in each of 4 runs (exit
139, once 135); it prints where every model was destroyed and exits 1 if any was destroyed
off the GUI thread. Not collected by pytest (a child Python of its own costs ~1 s of CPU);
tests/test_list_threads.py checks the same invariant deterministically.
"""

from __future__ import annotations

import faulthandler
import importlib
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path


def main(rounds: int) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DURE_DATA_DIR"] = tempfile.mkdtemp(prefix="dure-stress-")
    faulthandler.enable()
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from gui.main_window import AREAS
    from gui.widgets import table_model
    from tests.export_fixtures import open_demo

    table_model.BACKGROUND_INDEX = 1  # the demo's lists take the long-list paths
    specs = [s for key, _label in AREAS for s in importlib.import_module(f"gui.forms.{key}").SPECS
             if s.table in ("consulting", "finance_grant", "education")]
    database = open_demo(Path(tempfile.mkdtemp(prefix="dure-stress-db-")))
    where: list[str] = []
    started = time.process_time()
    for i in range(rounds):
        model = table_model.RecordTableModel(specs[i % len(specs)])
        model.destroyed.connect(lambda *_: where.append(threading.current_thread().name),
                                Qt.ConnectionType.DirectConnection)
        model.load(database)
        model.prefetch_search()
        model.sort(1, Qt.SortOrder.DescendingOrder)
        del model
        end = time.monotonic() + 0.003
        while time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    end = time.monotonic() + 1.0  # the last reads and the models' pending timers
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    counts = Counter(where)
    print(f"{rounds} models, destroyed in: {dict(counts)}, "
          f"CPU {time.process_time() - started:.2f} s")
    database.close()
    return 0 if set(counts) <= {"MainThread"} else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
