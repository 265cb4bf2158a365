"""The bundled NanumGothic fonts, registered once per process (optionally in the background)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from db.errors import DureError

FONT = "NanumGothic"
FONT_BOLD = "NanumGothicBold"
FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
_lock = threading.Lock()
_registered = False
_measures: dict[float, Callable[[str, bool], float]] = {}


def register_fonts() -> None:
    """Register NanumGothic (+ bold as its bold face); embedded in every PDF we write.

    Safe to call from any thread and any number of times: the files are read once per
    process; a call while a background registration runs waits for it.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # deferred: reportlab loads only when this runs (start-up)
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "NanumGothic.ttf")))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "NanumGothicBold.ttf")))
        except Exception as exc:  # a missing or damaged bundled font file
            raise DureError(
                f"한글 글꼴 파일을 읽을 수 없습니다({FONT_DIR}). 프로그램을 다시 설치하세요."
            ) from exc
        # <b> inside a Paragraph maps to our bold face, never to Helvetica-Bold.
        addMapping(FONT, 0, 0, FONT)
        addMapping(FONT, 1, 0, FONT_BOLD)
        addMapping(FONT, 0, 1, FONT)
        addMapping(FONT, 1, 1, FONT_BOLD)
        _registered = True


def register_in_background() -> threading.Thread:
    """Start reading the fonts in a daemon thread (the window opens meanwhile)."""

    def run() -> None:
        try:
            register_fonts()
        except DureError:
            pass  # reported by the first export that needs the fonts

    thread = threading.Thread(target=run, name="dure-fonts", daemon=True)
    thread.start()
    return thread


def measure_for(size: float) -> Callable[[str, bool], float]:
    """A memoised width function (text, bold) -> points at `size` pt in our fonts."""
    if size in _measures:
        return _measures[size]
    register_fonts()
    # deferred: reportlab loads only when this runs (start-up)
    from reportlab.pdfbase import pdfmetrics

    regular, bold_face = pdfmetrics.getFont(FONT), pdfmetrics.getFont(FONT_BOLD)
    cache: dict[tuple[str, bool], float] = {}

    def measure(text: str, bold: bool = False) -> float:
        key = (text, bold)
        w = cache.get(key)
        if w is None:
            if len(cache) > 200_000:
                cache.clear()
            w = cache[key] = (bold_face if bold else regular).stringWidth(text, size)
        return w

    _measures[size] = measure
    return measure
