"""Images stored in the database (a video's 썸네일): which formats, how large, what is wrong.

The bytes themselves are stored, not a path: a path breaks when the database moves to
another PC or is shared on the office's PostgreSQL server. PNG and JPEG only (every
renderer draws them: reportlab, HWPX, Excel, Qt), at most MAX_BYTES.
"""

from __future__ import annotations

import io
import struct

from .formats import josa

MAX_BYTES = 1024 * 1024  # 1 MB: a 1280×720 YouTube title card as JPEG is 100–300 KB
MAX_TEXT = "1 MB"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
SUFFIXES = {"png": ".png", "jpeg": ".jpg"}
FILE_FILTER = "이미지 파일 (*.png *.jpg *.jpeg)"


def image_format(data: bytes) -> str | None:
    """'png' or 'jpeg' from the first bytes, else None."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    return None


def size_text(n: int) -> str:
    """'23 KB', '1.4 MB': a file size as a clerk reads it."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{max(1, round(n / 1024)):,} KB"


def problem(data: bytes, label: str = "썸네일") -> str | None:
    """A Korean message saying what is wrong with the image and how to fix it, or None."""
    if not data:
        return f"{label} 이미지가 비어 있습니다. 다른 파일을 선택하세요."
    if image_format(data) is None:
        return (f"{josa(label, '은/는')} PNG 또는 JPEG 이미지만 넣을 수 있습니다. 그림판 등에서 "
                "PNG나 JPG로 저장한 뒤 다시 선택하세요.")
    if len(data) > MAX_BYTES:
        return too_large(len(data), label)
    if dimensions(data) is None or not _decodes(data):
        return f"{label} 이미지 파일이 손상되어 읽을 수 없습니다. 다른 파일을 선택하세요."
    return None


def _decodes(data: bytes) -> bool:
    """Whether the whole image decodes (every renderer must be able to draw it)."""
    # deferred: Pillow (it comes with reportlab) loads only when a picture is checked
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
    except Exception:  # noqa: BLE001 - any decoder error means the file is damaged
        return False
    return True


def too_large(n: int, label: str = "썸네일") -> str:
    """The message for an image of n bytes over the limit."""
    return (f"{label} 이미지가 너무 큽니다({size_text(n)}). {MAX_TEXT} 이하로 줄여서"
            "(예: 가로 1280픽셀 JPEG로 저장) 다시 선택하세요.")


def dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from a PNG's IHDR or a JPEG's SOF marker; None if unreadable."""
    fmt = image_format(data)
    if fmt == "png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        w, h = struct.unpack(">II", data[16:24])
        return (w, h) if w and h else None
    if fmt == "jpeg":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2:i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return (w, h) if w and h else None
            i += 2 + length
    return None


def shown(data: bytes | None) -> str:
    """What a list, a data sheet or the history shows for a stored image."""
    if not data:
        return ""
    dims = dimensions(data)
    fmt = (image_format(data) or "").upper()
    where = f" {dims[0]}×{dims[1]}" if dims else ""
    return f"이미지 있음 ({fmt}{where}, {size_text(len(data))})"
