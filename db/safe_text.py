"""User text made safe for Excel cells and reportlab Paragraphs (docs/facts.md traps).

In db/ (not exports/) because the importer needs the same cut: a cell Dure cut at Excel's limit
must not come back over the full text (db/importer/plan.py).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

EXCEL_MAX = 32_767  # characters an Excel cell holds; openpyxl cuts longer text silently
CUT_MARK = "…(이하 생략)"
# Control characters an XML 1.0 document (an .xlsx part) cannot hold: the same set openpyxl
# refuses with IllegalCharacterError. Our own, so a PDF export never imports openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# openpyxl lets these through, and LibreOffice then opens the sheet empty (docs/facts.md).
_BAD_UNICODE_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Leading characters Excel reads as the start of a formula.
FORMULA_LEADS = ("=", "+", "-", "@")


def clean(text: str) -> str:
    """Remove control characters, U+FFFE/U+FFFF and lone surrogates."""
    return _BAD_UNICODE_RE.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))


def excel_text(text: str) -> str:
    """Text an Excel cell can hold: cleaned, and cut with a visible mark when too long."""
    out = clean(text)
    if len(out) > EXCEL_MAX:
        out = out[: EXCEL_MAX - len(CUT_MARK)] + CUT_MARK
    return out


def looks_like_formula(text: str) -> bool:
    """True when Excel (or openpyxl) would read the text as a formula."""
    return text.startswith(FORMULA_LEADS)


def pdf_text(text: str) -> str:
    """Paragraph markup for plain text: cleaned, `&` `<` `>` escaped, newlines kept."""
    return escape(clean(text)).replace("\n", "<br/>")
