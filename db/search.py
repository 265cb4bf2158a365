"""How a clerk's search text meets stored text: one normal form for both sides.

- ㈜, (주) and 주식회사 are the same word (every spelling becomes ㈜ in stored text; in the
  searched text the marker is dropped, so "(주)구민" finds "구민 주식회사" and "㈜구민초");
- spaces and hyphens do not count ("123-45-67890" finds 1234567890, "마을 숲" finds 마을숲);
- letters compare without case;
- a search of initial consonants (초성) finds the syllables that start with them:
  "ㅁㅇㅅ" finds 마을숲 (mixed input such as "마ㅇ숲" works too).

The same replacements (`REPLACEMENTS`) serve the stored text and the needle, so both sides
agree; a list normalises all its rows' text as one string (db/listing.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

MARK = "㈜"
# Applied in this order; spaces go first so "( 주 )" also becomes "(주)".
REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (" ", ""), ("\t", ""), ("\n", ""), ("\r", ""), ("\u3000", ""),
    ("-", ""), ("\u2010", ""), ("\u2013", ""), ("\u2014", ""), ("\u2212", ""),
    ("（", "("), ("）", ")"), ("(주)", MARK), ("주식회사", MARK),
)

_FIRST = 0xAC00  # 가
_LAST = 0xD7A3  # 힣
_PER_INITIAL = 21 * 28  # syllables sharing one initial consonant
# The 19 initial consonants as compatibility jamo (what a keyboard types alone: ㄱ, ㄲ, ㄴ …)
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def normalize(text: str) -> str:
    """Stored text in its searchable form (corporate marks as ㈜, no spaces or hyphens)."""
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text.lower()


def needle(text: str) -> str:
    """The searched text in the same form, with the corporate mark dropped (see module doc)."""
    norm = normalize(text)
    bare = norm.replace(MARK, "")
    return bare or norm


def _initial_class(ch: str) -> str:
    start = _FIRST + INITIALS.index(ch) * _PER_INITIAL
    return f"[{chr(start)}-{chr(start + _PER_INITIAL - 1)}]"


def has_initials(text: str) -> bool:
    return any(ch in INITIALS for ch in text)


def pattern(text: str) -> re.Pattern[str] | None:
    """A regular expression for a needle holding 초성 (None when it has none)."""
    if not has_initials(text):
        return None
    return re.compile("".join(_initial_class(ch) if ch in INITIALS else re.escape(ch)
                              for ch in text))


def matcher(text: str) -> Callable[[str], bool] | None:
    """A test for one normalised haystack string; None when the search is empty."""
    n = needle(text)
    if not n:
        return None
    regex = pattern(n)
    if regex is not None:
        return lambda s: regex.search(s) is not None
    return lambda s: n in s
