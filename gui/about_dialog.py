"""도움말 → 두레 정보: version, data folder, database location, licences."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from db.paths import data_dir
from db.session import sqlite_path
from db.version import info as build_info

from . import __version__


def build_text() -> str:
    """'2026-12-01 (a1b2c3d)' for a built folder, '소스에서 실행' from the repository."""
    built, commit = build_info()["built"], build_info()["commit"]
    if not built:
        return "소스에서 실행"
    return f"{built} ({commit})" if commit else str(built)

ROOT = Path(__file__).resolve().parent.parent
OFL_FILE = ROOT / "resources" / "fonts" / "OFL-NanumGothic.txt"

# (component, licence, what it is used for); Dure's own licence comes from pyproject.toml.
COMPONENTS = (
    ("두레 (Dure)", "MIT", "이 프로그램"),
    ("나눔고딕 (NanumGothic)", "SIL Open Font License 1.1", "화면·PDF 글꼴 (© NAVER Corporation)"),
    ("Qt 6 / Qt for Python (PySide6)", "LGPL v3", "화면"),
    ("SQLAlchemy", "MIT", "데이터베이스"),
    ("Alembic", "MIT", "데이터베이스 구조 변경"),
    ("openpyxl", "MIT", "엑셀 가져오기"),
    ("XlsxWriter", "BSD-2-Clause", "엑셀 내보내기"),
    ("ReportLab", "BSD", "PDF 내보내기"),
    ("platformdirs", "MIT", "데이터 폴더 위치"),
)


def database_location(url: str) -> str:
    """A SQLite URL as its file path; other URLs without their password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def licence_html() -> str:
    """The licence table and the full font licence (OFL requires shipping its text)."""
    rows = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{html.escape(lic)}</td><td>{html.escape(use)}</td></tr>"
        for n, lic, use in COMPONENTS)
    try:
        ofl = OFL_FILE.read_text(encoding="utf-8")
    except OSError:
        ofl = f"({OFL_FILE} 파일을 찾을 수 없습니다.)"
    return (
        "<table cellspacing='0' cellpadding='4' border='1' style='border-collapse:collapse'>"
        "<tr><th>구성 요소</th><th>사용 허가</th><th>용도</th></tr>"
        f"{rows}</table>"
        "<p>Qt와 PySide6는 LGPL v3에 따라 별도의 라이브러리로 함께 배포되며, "
        "사용자는 이를 다른 버전으로 바꿀 수 있습니다.</p>"
        "<h3>나눔고딕 사용 허가 (SIL OFL 1.1)</h3>"
        f"<pre style='white-space: pre-wrap'>{html.escape(ofl)}</pre>"
    )


class AboutDialog(QDialog):
    """Version, where the data lives, and the licences of what Dure ships."""

    def __init__(self, database_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.setWindowTitle("두레 정보")
        self.data_folder = data_dir()
        self.database = database_location(database_url)
        title = QLabel(f"<h2>두레 {html.escape(__version__)}</h2>"
                       "<p>사회적경제 지원사업 실적관리</p>")
        info = QLabel(
            "<table cellpadding='3'>"
            f"<tr><td><b>버전</b></td><td>{html.escape(__version__)}</td></tr>"
            f"<tr><td><b>빌드</b></td><td>{html.escape(build_text())}</td></tr>"
            f"<tr><td><b>데이터 폴더</b></td><td>{html.escape(str(self.data_folder))}</td></tr>"
            f"<tr><td><b>데이터베이스</b></td><td>{html.escape(self.database)}</td></tr>"
            "</table>")
        info.setWordWrap(True)
        info.setTextInteractionFlags(info.textInteractionFlags()
                                     | info.textInteractionFlags().TextSelectableByMouse)
        about = QWidget()
        lay = QVBoxLayout(about)
        lay.addWidget(title)
        lay.addWidget(info)
        self.open_folder = QPushButton("데이터 폴더 열기")
        self.open_folder.clicked.connect(self._open_folder)
        lay.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        self.licences = QTextBrowser()
        self.licences.setOpenExternalLinks(False)
        self.licences.setHtml(licence_html())
        self.tabs = tabs = QTabWidget()
        tabs.addTab(about, "정보")
        tabs.addTab(self.licences, "사용 허가")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("닫기")
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(tabs)
        outer.addWidget(buttons)
        self.resize(620, 480)

    @Slot()
    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder)))
