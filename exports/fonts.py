"""The bundled NanumGothic fonts, registered once with reportlab."""

from __future__ import annotations

from pathlib import Path

from db.errors import DureError

FONT = "NanumGothic"
FONT_BOLD = "NanumGothicBold"
FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
_registered = False


def register_fonts() -> None:
    """Register NanumGothic (+ bold as its bold face); embedded in every PDF we write."""
    global _registered
    if _registered:
        return
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
