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


def create_schema(engine: Engine) -> None:
    """Give a new, empty database the newest schema: the models' DDL in one go, then the stamp.

    What Alembic's cookbook does for a fresh database: replaying every revision (and importing
    Alembic) costs about 0.5 s of a first start, and gives the same tables, columns, keys,
    indexes and checks (tests/test_migrations.py compares the two; only the order of columns
    later revisions added differs). Only the revisions run on a database that has data.
    """
    # deferred: SQLAlchemy and the models load after the start's file check (see above)
    from sqlalchemy import text

    # deferred: as above; db.models also brings the rules and the history listener
    from ..models import Base

    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        # Alembic's own version table, as `alembic stamp` makes it
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                          "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:rev)"),
                     {"rev": head_revision()})


def upgrade(engine: Engine, revision: str = "head") -> None:
    # deferred: alembic loads only when this runs (start-up)
    from alembic import command

    command.upgrade(config(engine), revision)
