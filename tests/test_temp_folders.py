"""The folders a print or a preview writes its PDF into go when the desk's process ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_print_folder_is_removed_when_the_process_ends(tmp_path):
    code = ("import sys; from gui.pdf_preview import print_folder; "
            "from gui.temp_folders import temp_folder; "
            "a = print_folder(); (a / '기업 목록.pdf').write_bytes(b'%PDF-1.4'); "
            "b = temp_folder('dure-preview-'); print(a); print(b)")
    env = {"PATH": "", "TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    made = [Path(line) for line in done.stdout.splitlines()]
    assert [p.parent for p in made] == [tmp_path, tmp_path]
    assert made[0].name.startswith("dure-print-") and made[1].name.startswith("dure-preview-")
    assert list(tmp_path.iterdir()) == []  # both gone, the PDF in one of them too


def test_remove_all_leaves_no_folder_it_made(tmp_path, monkeypatch):
    from gui import temp_folders

    monkeypatch.setattr(temp_folders.tempfile, "tempdir", str(tmp_path))
    made = [temp_folders.temp_folder("dure-print-") for _ in range(3)]
    (made[0] / "inner").mkdir()
    assert all(p.is_dir() for p in made)
    temp_folders.remove_all()
    assert list(tmp_path.iterdir()) == []
    temp_folders.remove_all()  # twice is fine: nothing left to remove
