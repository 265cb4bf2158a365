"""Dure's Qt desktop interface."""

# Kept in step with pyproject.toml's [project] version (tests compare the two).
__version__ = "0.1.0"
