"""Alembic environment: uses the engine handed over by db.migrations.runner."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from db.models import Base

target_metadata = Base.metadata
cfg = context.config


def run() -> None:
    engine = cfg.attributes.get("engine")
    if engine is None:  # `alembic` command line during development
        engine = create_engine(cfg.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite")
    with engine.begin() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=conn.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
