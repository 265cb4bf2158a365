"""Dure's Qt desktop interface."""

from db.version import version

# pyproject.toml's [project] version, read in one place (db/version.py).
__version__ = version()
