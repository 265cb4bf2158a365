"""Grab every desk tab (and inner page) with the demo data to PNG, offscreen, at each size.

    uv run python tools/shoot_tabs.py OUT_DIR [--docs] [--size 1366x768 --size 1600x1000]

Each size draws every tab and inner page into OUT_DIR/<size>/. `--docs` also writes every
top tab at both sizes to docs/screens/<size>/ and the three README pictures
(docs/tab-space.png, tab-startup.png, tab-sales.png, at 1600x1000). Look at every image
before a release: cut labels, cramped columns and empty halves show here first.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
os.environ["DURE_DATA_DIR"] = tempfile.mkdtemp(prefix="dure-shots-")

SIZES = ("1366x768", "1600x1000")
README = {("space", 0): "tab-space.png", ("startup", 0): "tab-startup.png",
          ("sales", 0): "tab-sales.png"}
README_SIZE = "1600x1000"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", action="store_true")
    ap.add_argument("--size", action="append", help="WIDTHxHEIGHT (default: both sizes)")
    args = ap.parse_args()
    from PySide6.QtGui import QFontInfo

    from gui.app import make_app

    app = make_app()
    print("font:", QFontInfo(app.font()).family())
    from db.demo import demo_database
    from gui.main_window import AREAS, MainWindow

    def settle(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    database = demo_database()
    for size in args.size or SIZES:
        width, height = (int(n) for n in size.split("x"))
        out = args.out / size
        out.mkdir(parents=True, exist_ok=True)
        docs = ROOT / "docs" / "screens" / size
        if args.docs:
            docs.mkdir(parents=True, exist_ok=True)
        window = MainWindow()
        window.resize(width, height)
        window.show()
        window.open_database(database)
        window.tabs.setCurrentIndex(0)  # the window reopens on the tab last shown (window.ini)
        settle(1.0)  # the dashboard reads on a worker thread: wait until it has its figures
        dash = window.tabs.widget(0)
        end = time.time() + 60
        while getattr(dash, "is_loading", lambda: False)() and time.time() < end:
            settle(0.2)
        settle(0.3)
        image = window.grab()
        image.save(str(out / "00-dashboard.png"))
        if args.docs:
            image.save(str(docs / "00-dashboard.png"))
        for n, (key, _label) in enumerate(AREAS, start=1):
            tab = window.area_tab(key)
            window.tabs.setCurrentWidget(tab)
            for i in range(len(tab.specs)):
                page = tab.show_page(i)
                page.ensure_loaded()
                # show a record with sub-table rows when there is one (a fuller picture)
                for row in range(min(page.model.rowCount(), 30)):
                    page.view.selectRow(row)
                    kids = page.form.children.values()
                    if not kids or any(t.rows for t in kids):
                        break
                settle(0.1)
                image = window.grab()
                image.save(str(out / f"{n:02d}-{key}-{i}.png"))
                if args.docs and i == 0:
                    image.save(str(docs / f"{n:02d}-{key}.png"))
                if args.docs and size == README_SIZE and (key, i) in README:
                    image.save(str(ROOT / "docs" / README[(key, i)]))
        window.close()
        window.deleteLater()
        settle(0.2)


if __name__ == "__main__":
    main()
