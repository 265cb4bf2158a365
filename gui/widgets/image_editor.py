"""The editor of an image field (a video's 썸네일): a small preview, 이미지 선택… and 지우기.

The image's bytes are the value (db/images.py: PNG or JPEG up to its limit); a file that
is not one is refused at once with a Korean message saying what is wrong and how to fix
it, and the field keeps what it had. The save still goes through db.service (its rule
checks the same).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import images
from gui.forms.spec import Field

PREVIEW = (160, 90)  # 16:9, as a YouTube thumbnail


class ImageEditor(QWidget):
    """value(): the image's bytes or None; set_value(bytes | None); `edited` on a change."""

    edited = Signal()

    # the preview's own frame and ground, kept under a rule's red border (factory.mark)
    base_style = "border: 1px solid #b0b0b0; background: #f4f4f4;"

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._data: bytes | None = None
        self.file_name = ""  # the last chosen file's name (the form may keep it as text)
        self.preview = QLabel(self)
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet(self.base_style)
        self.preview.setAccessibleName(f"{field.caption} 미리 보기")
        self.info = QLabel(self)
        self.choose_button = QPushButton("이미지 선택…", self)
        self.choose_button.setAccessibleName(f"{field.caption} 이미지 선택")
        self.choose_button.clicked.connect(self.choose)
        self.clear_button = QPushButton("지우기", self)
        self.clear_button.setAccessibleName(f"{field.caption} 지우기")
        self.clear_button.clicked.connect(self.clear)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.info)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addLayout(buttons)
        row.addStretch(1)
        self.setAccessibleName(field.caption)
        self.choose_button.setEnabled(not field.read_only)
        self._show()

    # -- the editor protocol ------------------------------------------------------------
    def value(self) -> bytes | None:
        return self._data

    def set_value(self, value: Any) -> None:
        self._data = bytes(value) if value else None
        self.file_name = ""
        self._show()

    def mark_target(self) -> QWidget:
        return self.preview

    # -- actions ------------------------------------------------------------------------
    def choose(self) -> None:
        """Ask for a PNG/JPEG file (the standard dialog, in Korean) and take it."""
        path, _f = QFileDialog.getOpenFileName(
            self, f"{self.field.label} 이미지 선택", "", f"{images.FILE_FILTER};;모든 파일 (*)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Take the image in `path`; a Korean message and no change when it cannot be."""
        message: str | None
        data: bytes | None
        try:
            size = path.stat().st_size
            if size > images.MAX_BYTES:  # not read at all: say how large it is
                message, data = images.too_large(size, self.field.label), None
            else:
                data = path.read_bytes()
                message = images.problem(data, self.field.label)
        except OSError as exc:
            message, data = (f"'{path.name}' 파일을 열 수 없습니다({exc.strerror}). 파일이 "
                             "있는지, 다른 프로그램이 쓰고 있지 않은지 확인하세요."), None
        if message is None and data is not None and QPixmap().loadFromData(data) is False:
            message = (f"'{path.name}' 이미지를 읽을 수 없습니다(손상된 파일). 다른 파일을 "
                       "선택하세요.")
        if message is not None or data is None:
            QMessageBox.warning(self, f"{self.field.label} 이미지", message or "")
            return False
        self._data, self.file_name = data, path.name
        self._show()
        self.edited.emit()
        return True

    def clear(self) -> None:
        if self._data is None:
            return
        self._data, self.file_name = None, ""
        self._show()
        self.edited.emit()

    def _show(self) -> None:
        pix = QPixmap()
        if self._data and pix.loadFromData(self._data):
            self.preview.setPixmap(pix.scaled(*PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
            self.preview.setToolTip(images.shown(self._data))
            self.info.setText(images.shown(self._data).removeprefix("이미지 있음 (")[:-1]
                              .replace(", ", "\n"))
        else:
            self.preview.clear()
            self.preview.setText("이미지 없음")
            self.preview.setToolTip("")
            self.info.setText(f"PNG·JPEG, {images.MAX_TEXT} 이하")
        self.clear_button.setEnabled(self._data is not None and not self.field.read_only)
