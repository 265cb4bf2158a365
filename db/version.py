"""Dure's version and build date, from one place: pyproject.toml's [project] version.

Run from the repository, the version is read from pyproject.toml. The frozen app has no
pyproject.toml: packaging/build.py writes build_info.json (version, build date, commit) from
the same file into the folder it builds, and that is read instead. No Qt, no SQLAlchemy here:
`main.py --version` answers without loading either.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
BUILD_INFO = ROOT / "build_info.json"


@cache
def info() -> dict[str, str | None]:
    """{'version', 'built' (ISO date or None when run from source), 'commit'}."""
    if BUILD_INFO.exists():
        data = json.loads(BUILD_INFO.read_text(encoding="utf-8"))
        return {"version": str(data["version"]), "built": data.get("built"),
                "commit": data.get("commit")}
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return {"version": str(project["version"]), "built": None, "commit": None}


def version() -> str:
    return info()["version"] or "?"


def describe() -> str:
    """'두레 0.2.0 (2026-12-01 빌드)' or '두레 0.2.0 (소스에서 실행)'."""
    built = info()["built"]
    return f"두레 {version()} ({f'{built} 빌드' if built else '소스에서 실행'})"
