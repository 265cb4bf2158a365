"""Small helpers shared by the query modules."""

from __future__ import annotations


def opt_float(v: float | None) -> float | None:
    """A float column as a float, whatever the backend (or an unsaved object) holds."""
    return None if v is None else float(v)
