"""Dure's Qt desktop interface."""

from typing import Any


def __getattr__(name: str) -> Any:
    """`gui.__version__`: pyproject.toml's [project] version (db/version.py), read on first
    use rather than while the window starts."""
    if name == "__version__":
        # deferred: tomllib and pyproject.toml are read on first use, not at start-up
        from db.version import version

        return version()
    raise AttributeError(name)
