"""Helpers for the import tests: small workbooks written the way the clerk's files look."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from db import tabular
from db.rules.organization import brn_check_digit


def brn(i: int) -> str:
    """A valid 사업자등록번호 (right check digit) numbered i."""
    first = f"{101000000 + i:09d}"
    return first + str(brn_check_digit(first))


def write(path: Path, sheets: dict[str, list[list[Any]]], merged: dict[str, list[str]] | None = None
          ) -> Path:
    """A workbook with the given sheets (rows of cell values) and merged ranges."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for ref in (merged or {}).get(title, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def header(model: type) -> list[str]:
    """A Dure data sheet's header: the column labels, '기업명' after an organization reference."""
    out = []
    for c in tabular.columns(model):
        out.append(c.label)
        if c.kind == "fk" and c.target is not None and c.target.__name__ == "Organization":
            out.append("기업명")
    return out


def org_rows(n: int, start: int = 0) -> list[list[Any]]:
    """n new organization rows for a '기업 목록' sheet (id empty)."""
    return [[None, f"두레기업{i:05d}", "협동조합", "홍길동", brn(i), "목공", None,
             dt.date(2020, 1, 1) + dt.timedelta(days=i % 300), None, None, None, None]
            for i in range(start, start + n)]
