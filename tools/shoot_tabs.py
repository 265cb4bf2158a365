"""Grab every desk tab (and inner page) with the demo data to PNG, offscreen.

    uv run python tools/shoot_tabs.py OUT_DIR [--docs]

`--docs` also writes the three README pictures (docs/tab-space.png, tab-startup.png,
tab-sales.png). Look at every image before a release: cramped columns show here first.
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

DOCS = {("space", 0): "tab-space.png", ("startup", 0): "tab-startup.png",
        ("sales", 0): "tab-sales.png"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", action="store_true")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtGui import QFontInfo

    from gui.app import make_app

    app = make_app()
    print("font:", QFontInfo(app.font()).family())
    from db.demo import demo_database
    from gui.main_window import AREAS, MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_database(demo_database())

    def settle(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    settle(2.0)  # the dashboard reads on a worker thread
    window.grab().save(str(args.out / "00-dashboard.png"))
    for n, (key, _label) in enumerate(AREAS, start=1):
        tab = window.area_tab(key)
        window.tabs.setCurrentWidget(tab)
        for i, page in enumerate(tab.pages):
            if tab.inner is not None:
                tab.inner.setCurrentIndex(i)
            page.ensure_loaded()
            # show a record with sub-table rows when there is one (a fuller picture)
            for row in range(min(page.model.rowCount(), 30)):
                page.view.selectRow(row)
                kids = page.form.children.values()
                if not kids or any(t.rows for t in kids):
                    break
            settle(0.1)
            image = window.grab()
            image.save(str(args.out / f"{n:02d}-{key}-{i}.png"))
            if args.docs and (key, i) in DOCS:
                image.save(str(ROOT / "docs" / DOCS[(key, i)]))
    window.close()


if __name__ == "__main__":
    main()
