"""도움말 → 사용 설명서: a short Korean manual shown inside the app (tasks, keys, data, backups)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

KEYS = (
    ("Ctrl+N", "새로 입력"), ("Ctrl+S", "저장"), ("Del", "선택한 기록 삭제(휴지통으로)"),
    ("Esc", "고치던 내용 취소"), ("Enter", "다음 칸으로"), ("Ctrl+P", "지금 목록·명부·보고서 인쇄"),
    ("Ctrl+C / Ctrl+V", "선택한 행 복사, 엑셀에서 복사한 행 붙여넣기"),
    ("Ctrl+O", "다른 데이터베이스 열기"),
    ("F1", "이 설명서"),
)

TASKS = (
    ("기록 입력",
     "분야 탭(기업, 아카데미 …)을 고르고 [새로 입력]을 누른 뒤 칸을 채우고 [저장]합니다. "
     "규칙에 맞지 않는 칸은 빨간 테두리와 설명이 나오고, 고칠 때까지 [저장]이 꺼져 있습니다. "
     "날짜는 2021.7.9, 2021-07-09, 21.7.9 모두 됩니다. 금액은 8,000,000, 800만원, "
     "8백만 모두 됩니다."),
    ("찾기와 고치기",
     "목록 위 검색 칸에 이름·번호 일부나 초성(ㅁㅇㅅ)을 치면 바로 걸러집니다. "
     "연도·반기 목록으로 기간을 고를 수 있습니다. 행을 누르면 아래 양식에 열리고, "
     "고친 뒤 저장합니다. [변경 이력]에서 누가 언제 무엇을 바꿨는지 보고 한 번의 변경을 되돌릴 수 "
     "있습니다."),
    ("세부 기록",
     "차수, 팀, 지급, 입주 계약처럼 딸린 기록은 양식 아래 표에서 [행 추가]로 넣습니다. "
     "목록과 양식 사이의 경계선을 끌어 크기를 바꿀 수 있고, 다음에 열 때도 그대로입니다."),
    ("삭제와 휴지통",
     "삭제한 기록은 딸린 기록과 함께 휴지통으로 갑니다. 파일 ▸ 휴지통에서 되살리거나 비울 수 "
     "있습니다. 다른 기록이 참조하는 기록은 먼저 그 기록을 정리해야 지울 수 있습니다."),
    ("보고서와 엑셀",
     "내보내기 메뉴에서 공약 이행 실적 보고서(PDF·한글), 연도별 표, 입주공간 명부, "
     "실적 엑셀을 만듭니다. 기간을 고르고 [미리보기]로 먼저 확인할 수 있습니다. "
     "다른 사람이 만든 실적 엑셀은 파일 ▸ 가져오기로 미리 본 뒤 한꺼번에 넣습니다."),
)


def manual_html(data_folder: str = "", database: str = "") -> str:
    """The manual as HTML (escaped text; paths of this PC filled in when known)."""
    e = html.escape
    parts = ["<h2>두레 사용 설명서</h2>",
             ("<p>두레는 사회적경제 지원사업의 실적을 분야별로 기록하고, 반기 보고서에 들어갈 "
              "표와 PDF를 한 번에 만드는 프로그램입니다.</p>"), "<h3>하는 일</h3>"]
    for title, text in TASKS:
        parts.append(f"<p><b>{e(title)}</b> — {e(text)}</p>")
    parts.append("<h3>단축키</h3><table cellpadding='3'>")
    parts += [f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in KEYS]
    parts.append("</table>")
    folder = e(data_folder) if data_folder else "사용자 데이터 폴더"
    parts.append(
        "<h3>데이터는 어디에</h3>"
        f"<p>기록은 데이터베이스 파일 하나에 모두 들어 있습니다"
        f"{': <code>' + e(database) + '</code>' if database else ''}. "
        f"설정, 창 배치, 자동 백업, 오류 기록(dure.log)은 데이터 폴더 <code>{folder}</code>에 "
        "있습니다. 다른 파일은 파일 ▸ 열기로 엽니다. 한 파일을 두 PC에서 네트워크 공유로 "
        "함께 쓰지 마세요(파일이 손상될 수 있습니다).</p>")
    parts.append(
        "<h3>백업</h3>"
        "<p>두레를 켤 때마다, 그리고 구조를 바꾸거나 복원하기 전에 자동 백업을 만들어 "
        "데이터 폴더의 <code>backups</code>에 둡니다. 따로 보관하려면 파일 ▸ 백업으로 USB나 "
        "공유 폴더에 사본을 만드세요(일주일에 한 번 권장). 되돌릴 때는 파일 ▸ 복원에서 날짜와 "
        "기록 수를 보고 고릅니다. 복원 전에 지금 상태도 백업됩니다.</p>"
        "<h3>문제가 생기면</h3>"
        "<p>예상하지 못한 오류 창이 뜨면 [복사]를 눌러 내용을 담당자에게 보내 주세요. "
        "저장을 마친 기록은 그대로 남아 있습니다.</p>")
    return "".join(parts)


class HelpDialog(QDialog):
    """The manual in a window of the app (no browser, no network)."""

    def __init__(self, data_folder: str = "", database: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("두레 사용 설명서")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(manual_html(data_folder, database))
        self.browser.setAccessibleName("사용 설명서")
        close = QPushButton("닫기", self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addLayout(row)
        self.resize(720, 640)
