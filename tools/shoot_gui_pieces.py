"""Save PNGs of the dashboard and the dialogs on the demo data (offscreen), for review and docs.

uv run python tools/shoot_gui_pieces.py OUT_DIR [--today 2021-11-16]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--today", default="2021-11-16")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="dure-shots-"))
    os.environ["DURE_DATA_DIR"] = str(tmp / "data")

    from PySide6.QtWidgets import QApplication

    from db.demo import load_demo
    from db.session import open_database
    from gui.app import load_fonts

    app = QApplication.instance() or QApplication(sys.argv)
    load_fonts(app)
    database = open_database(tmp / "demo.sqlite")
    load_demo(database)
    today = dt.date.fromisoformat(args.today)

    from gui import workers
    from gui.about_dialog import AboutDialog
    from gui.dashboard import DashboardTab
    from gui.export_dialog import ExportDialog
    from gui.settings_dialog import SettingsDialog

    dash = DashboardTab(database, today=today)
    dash.resize(1280, 760)
    dash.show()
    while dash.data is None or dash.is_loading():
        app.processEvents()
        workers.wait_all(50)
    app.processEvents()
    dash.grab().save(str(args.out / "dashboard.png"))
    for name, widget in (("settings", SettingsDialog(database)),
                         ("about", AboutDialog(database.url)),
                         ("export_roster", ExportDialog(database, "roster", today=today)),
                         ("export_workbook", ExportDialog(database, "workbook", today=today))):
        widget.show()
        app.processEvents()
        widget.grab().save(str(args.out / f"{name}.png"))
        widget.close()
    about = AboutDialog(database.url)
    about.show()
    about.tabs.setCurrentIndex(1)
    app.processEvents()
    about.grab().save(str(args.out / "about_licences.png"))
    from exports.api import export_roster
    from gui.pdf_preview import PdfPreview

    pdf = export_roster(database, today, tmp / "roster.pdf")
    preview = PdfPreview(pdf)
    preview.resize(1000, 760)
    preview.show()
    import time

    for _ in range(150):  # QPdfView renders pages on its own thread
        app.processEvents()
        time.sleep(0.01)
    preview.grab().save(str(args.out / "pdf_preview.png"))
    workers.wait_all()
    database.close()
    print(f"saved to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
