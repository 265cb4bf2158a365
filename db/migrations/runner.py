"""Run Alembic programmatically, without an alembic.ini on the user's machine.

Opening an up-to-date database must not pay for importing Alembic (about 0.35 s of a
start-up budget of 1 s), so the revision graph is read from the version files' headers and
Alembic is imported only when a migration actually runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection, Engine

HERE = Path(__file__).resolve().parent
_REV = re.compile(r"^revision(?:: str)? = ['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = (?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


def config(engine: Engine | None = None) -> Config:
    # deferred: alembic loads only when this runs (start-up)
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    # deferred: alembic loads only when this runs (start-up)
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


@lru_cache(maxsize=1)
def _graph() -> dict[str, str | None]:
    """revision → down_revision, read from the headers of the version files."""
    graph: dict[str, str | None] = {}
    for path in (HERE / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REV.search(source), _DOWN.search(source)
        if rev:
            graph[rev.group(1)] = down.group(1) if down else None
    return graph


def head_revision() -> str:
    graph = _graph()
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def is_known(revision: str) -> bool:
    return revision in _graph()


def current_revision(conn: Connection) -> str | None:
    # deferred: the start's file check (db/safety/precheck.py) imports this before SQLAlchemy
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    # deferred: alembic loads only when this runs (start-up)
    from alembic import command

    command.upgrade(config(engine), revision)
