"""A plain title card: a record's own title on a coloured card, as a PNG (demo thumbnails).

The seed's 썸네일 are YouTube title cards Dure does not have; the demo draws this card from
the video's title instead (marked in resources/demo/purchasing.yaml as demo-made, not a
fact), so the demo's report shows the column as the seed does. Pillow comes with reportlab
(it reads every image reportlab draws) and is in the frozen build.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

FONT_FILE = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "NanumGothicBold.ttf"
SIZE = (320, 180)  # 16:9, as a YouTube thumbnail, small enough for the database
MARGIN = 18


def _lines(draw: object, text: str, font: object, room: float) -> list[str]:
    """The title wrapped between words to `room` pixels (a word longer than a line is cut)."""
    measure = draw.textlength  # type: ignore[attr-defined]
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if measure(trial, font=font) <= room:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        while measure(word, font=font) > room:
            cut = max(1, next((i for i in range(len(word), 0, -1)
                               if measure(word[:i], font=font) <= room), 1))
            lines.append(word[:cut])
            word = word[cut:]
        cur = word
    if cur:
        lines.append(cur)
    return lines


@lru_cache(maxsize=64)
def title_card(title: str, colour: str) -> bytes:
    """A SIZE PNG: `title` in white, centred, on `colour` ('#1F5FA8').

    Kept per (title, colour): every load of the demo draws its ten cards again before it
    knows whether their records are there (70 ms, a load that adds nothing is 150 ms)."""
    # deferred: Pillow loads only when a demo card is drawn
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    room = SIZE[0] - 2 * MARGIN
    for size in (26, 22, 19, 16, 14):
        font = ImageFont.truetype(str(FONT_FILE), size)
        lines = _lines(draw, title, font, room)
        if len(lines) * size * 1.3 <= SIZE[1] - 2 * MARGIN:
            break
    height = len(lines) * size * 1.3
    y = (SIZE[1] - height) / 2
    for line in lines:
        w = draw.textlength(line, font=font)
        draw.text(((SIZE[0] - w) / 2, y), line, font=font, fill="white")
        y += size * 1.3
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
