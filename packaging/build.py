"""Build the one-folder Dure app with PyInstaller: `uv run python packaging/build.py`.

    uv run python packaging/build.py                  # dist/Dure/ (Dure + dure-cli)
    uv run python packaging/build.py --dist OUT --work TMP
    uv run python packaging/build.py --no-trim        # measure the untrimmed folder

Writes build_info.json (version from pyproject.toml, build date, git commit) into the app,
runs packaging/dure.spec, and prints the folder's size against SIZE_BUDGET_MB. PyInstaller
is not a cross-compiler: run this on the system you ship to (packaging/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "dure.spec"
SIZE_BUDGET_MB = 280  # trimmed Linux folder: 261 MB with python-hwpx and lxml (README)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build_info() -> dict[str, str | None]:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"version": version, "built": dt.date.today().isoformat(), "commit": commit}


def build(dist: Path, work: Path, *, trim: bool = True, quiet: bool = False) -> Path:
    """Build into `dist`/Dure and return that folder."""
    work.mkdir(parents=True, exist_ok=True)
    info_file = work / "build_info.json"
    info_file.write_text(json.dumps(build_info(), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "DURE_BUILD_INFO": str(info_file), "DURE_BUILD_TRIM": "1" if trim else "0"}
    cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean",
           "--distpath", str(dist), "--workpath", str(work),
           "--log-level", "WARN" if quiet else "INFO"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return dist / "Dure"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="두레 한 폴더 빌드 (PyInstaller)")
    ap.add_argument("--dist", type=Path, default=ROOT / "dist")
    ap.add_argument("--work", type=Path, default=ROOT / "build")
    ap.add_argument("--no-trim", action="store_true", help="안 쓰는 Qt 모듈을 덜어내지 않고 빌드")
    args = ap.parse_args(argv)
    folder = build(args.dist, args.work, trim=not args.no_trim)
    size = folder_size(folder) / 2**20
    print(f"{folder}: {size:.0f} MB (예산 {SIZE_BUDGET_MB} MB)")
    return 0 if args.no_trim or size <= SIZE_BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
