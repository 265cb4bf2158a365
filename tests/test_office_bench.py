"""A short run of bench/bench_office.py: desks in separate processes, no lost update."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests import zygote

ROOT = Path(__file__).resolve().parents[1]


def test_three_desks_for_two_seconds_lose_nothing(pg_admin_url, tmp_path):
    from tests.pg_server import fresh_database

    url = fresh_database(pg_admin_url)
    # the bench in its own process (forked by the tests' zygote); it forks its desks, each a
    # separate process with its own connection to the server
    res = zygote.run([sys.executable, str(ROOT / "bench" / "bench_office.py"), "--desks", "3",
                      "--seconds", "2", "--records", "2", "--url", url],
                     capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
                     env={**os.environ, "DURE_DATA_DIR": str(tmp_path)})
    assert res.returncode == 0, res.stdout + res.stderr
    assert "잃어버린 저장: 0건" in res.stdout
    saves = int(res.stdout.split("저장 확인 ")[1].split("건")[0].replace(",", ""))
    assert saves > 0
