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
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A table rebuild drops and renames tables: with foreign keys on, dropping a parent
            # would cascade-delete its children. SQLite takes this pragma only outside a
            # transaction; the keys are checked before the commit and switched on again after.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                context.configure(
                    connection=conn,
                    target_metadata=target_metadata,
                    render_as_batch=sqlite,
                    compare_type=True,
                )
                with context.begin_transaction():
                    context.run_migrations()
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows whose foreign keys point nowhere")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


run()
