"""Office settings kept with the data (city, office, pledge, term, warning days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import DureError
from .models import Setting
from .service import Op, write

if TYPE_CHECKING:
    from .session import Database


@dataclass
class OfficeSettings:
    """What the report header and the warnings need; nothing here names a particular city."""

    city: str = ""
    office: str = ""
    center: str = ""
    pledge: str = ""
    report_title: str = "공약 이행 실적"
    term_start: dt.date = dt.date(2018, 7, 1)
    term_end: dt.date = dt.date(2022, 6, 30)
    warn_days: int = 90
    export_dir: str = ""
    # The office's own report form (.hwpx) that an HWPX report is filled into; empty: none.
    report_template: str = ""
    # The dashboard's "today" (ISO date); empty means the real today. The demo database is
    # seen as of its report's 기준일, so its due list is not empty years later.
    dashboard_date: str = ""
    # 기준일 of the report being prepared (ISO date); empty means today. A report of a period
    # still running is computed as of it (the earlier of it and the period's end).
    report_date: str = ""

    @property
    def dashboard_today(self) -> dt.date | None:
        return _iso_day(self.dashboard_date)

    @property
    def report_day(self) -> dt.date | None:
        return _iso_day(self.report_date)

    @property
    def display_office(self) -> str:
        """City and office for titles: '고양시 사회적경제과', or '두레' when unset."""
        return " ".join(p for p in (self.city, self.office) if p) or "두레"


def _iso_day(text: str) -> dt.date | None:
    """An ISO date setting; None when empty or damaged."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def load_settings(session: Session) -> OfficeSettings:
    """Settings from the database, defaults for what is missing."""
    stored: dict[str, str] = {k: v for k, v in session.execute(select(Setting.key, Setting.value))}
    out = OfficeSettings()
    for f in fields(OfficeSettings):
        if f.name not in stored:
            continue
        raw = stored[f.name]
        default = getattr(out, f.name)
        try:
            if isinstance(default, dt.date):
                value: object = dt.date.fromisoformat(raw)
            elif isinstance(default, int):
                value = int(raw)
            else:
                value = raw
        except ValueError:
            continue  # a damaged value falls back to its default rather than blocking the app
        setattr(out, f.name, value)
    return out


def validate_settings(s: OfficeSettings) -> list[str]:
    """Korean messages for settings that cannot be used."""
    problems = []
    if not s.report_title.strip():
        problems.append("보고서 제목을 입력하세요. (예: 공약 이행 실적)")
    if s.term_end < s.term_start:
        problems.append("공약 임기 종료일이 시작일보다 앞섭니다. 날짜를 확인하세요.")
    if not 0 <= s.warn_days <= 366:
        problems.append("만료 경고 일수는 0~366일 사이로 입력하세요.")
    if s.report_template and not s.report_template.lower().endswith(".hwpx"):
        problems.append("보고서 양식은 한글에서 .hwpx로 저장한 파일이어야 합니다(.hwp는 쓸 수 "
                        "없습니다).")
    return problems


def store_settings(session: Session, settings: OfficeSettings) -> None:
    """Write every setting (caller commits); refuses invalid settings with a Korean message."""
    problems = validate_settings(settings)
    if problems:
        raise DureError("\n".join(problems))
    for key, value in asdict(settings).items():
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=text))
        else:
            row.value = text


def save_settings(database: Database, settings: OfficeSettings,
                  notes: dict[str, str] | None = None, *, initiator: object | None = None) -> None:
    """Validate and write the settings (and each provider's roster lines) through the write path.

    Refused with a Korean DureError, nothing written, when a setting cannot be used; on success
    every screen hears Op.SETTINGS (the dashboard and the window title reread them).
    """
    with write(database, Op.SETTINGS, initiator=initiator) as w:
        store_settings(w.session, settings)
        if notes is not None:
            store_roster_notes(w.session, notes)
        w.touch("setting")  # announced even when no value changed (the dialog was confirmed)


ROSTER_NOTE_PREFIX = "roster_note_"


def roster_note_key(provider: str) -> str:
    """Setting key of the lines printed above a provider's roster table (roster_note_LH)."""
    return f"{ROSTER_NOTE_PREFIX}{provider}"


def roster_notes(session: Session) -> dict[str, str]:
    """Provider → its roster policy lines (임대료, 입주기간 …); providers without text left out."""
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(ROSTER_NOTE_PREFIX)))
    return {key[len(ROSTER_NOTE_PREFIX):]: value for key, value in rows if value.strip()}


def store_roster_notes(session: Session, notes: dict[str, str]) -> None:
    """Write each provider's roster lines (caller commits); empty text removes the setting."""
    for provider, text in notes.items():
        key, text = roster_note_key(provider), text.strip()
        row = session.get(Setting, key)
        if not text:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(Setting(key=key, value=text))
        else:
            row.value = text
