"""Development helper: (re)generate an Alembic revision from the models.

    uv run python tools/regen_migration.py "message"          # new revision on top of head
    uv run python tools/regen_migration.py --initial          # rewrite 0001 (before release only)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.migrations import runner

VERSIONS = runner.HERE / "versions"


def main(argv: list[str]) -> None:
    initial = "--initial" in argv
    message = next((a for a in argv if not a.startswith("--")), "initial schema")
    if initial:
        for f in VERSIONS.glob("0001_*.py"):
            f.unlink()
        runner._script.cache_clear()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/gen.sqlite")
        cfg = runner.config(engine)
        if not initial:
            command.upgrade(cfg, "head")
        existing = sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
        rev_id = "0001" if initial else f"{len(existing) + 1:04d}"
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
    print("written", sorted(VERSIONS.glob(f"{rev_id}_*.py")))


if __name__ == "__main__":
    main(sys.argv[1:])
