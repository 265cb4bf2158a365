"""Safety tables: the trash (휴지통), the change log (변경 이력) and saved import mappings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class TrashItem(Base):
    """A deleted record with its child records, kept as one JSON snapshot until emptied."""

    __tablename__ = "trash_item"
    __label__ = "휴지통"
    __title__ = "{label}"
    __table_args__ = (Index("ix_trash_item_deleted_at", "deleted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, info={"label": "번호"})
    table_name: Mapped[str] = mapped_column(String(64), info={"label": "표"})
    record_id: Mapped[int] = mapped_column(info={"label": "기록 번호"})
    label: Mapped[str] = mapped_column(info={"label": "내용"})
    deleted_at: Mapped[dt.datetime] = mapped_column(info={"label": "삭제 시각"})
    deleted_by: Mapped[str] = mapped_column(info={"label": "삭제한 사용자"})
    row_count: Mapped[int] = mapped_column(default=1, info={"label": "기록 수"})
    # {"rows": {table: [row, ...]} in parent-first order, "nulled": [[table, id, column, value]]}
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, info={"label": "내용(JSON)"})


class ChangeLog(Base):
    """One insert, update or delete of one record: who, when, and each field's old/new value."""

    __tablename__ = "change_log"
    __label__ = "변경 이력"
    __title__ = "{table_name} {record_id} {op}"
    __table_args__ = (
        Index("ix_change_log_record", "table_name", "record_id"),
        Index("ix_change_log_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, info={"label": "번호"})
    changed_at: Mapped[dt.datetime] = mapped_column(info={"label": "시각"})
    os_user: Mapped[str] = mapped_column(info={"label": "사용자"})
    # The signed-in Dure user on a shared server, set by a server trigger (db/office/users.py).
    dure_user: Mapped[str | None] = mapped_column(info={"label": "두레 사용자"})
    table_name: Mapped[str] = mapped_column(String(64), info={"label": "표"})
    # Text so that records keyed by a string (Setting) are logged too.
    record_id: Mapped[str] = mapped_column(String(200), info={"label": "기록 번호"})
    op: Mapped[str] = mapped_column(String(10), info={"label": "구분"})  # insert|update|delete
    # {field: [old, new]} with dates as ISO text.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, info={"label": "변경 내용"})
    source: Mapped[str | None] = mapped_column(String(20), info={"label": "경로"})
    # The trash item holding the row when op is delete (so a revert can restore it).
    trash_id: Mapped[int | None] = mapped_column(info={"label": "휴지통 번호"})
    reverts_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_log.id", ondelete="SET NULL"), info={"label": "되돌린 변경"}
    )


class ImportMapping(Base):
    """The columns of a sheet mapped to an entity's fields, proposed again for the same headers."""

    __tablename__ = "import_mapping"
    __label__ = "가져오기 열 연결"
    __title__ = "{entity} {saved_at}"
    __table_args__ = (UniqueConstraint("entity", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True, info={"label": "번호"})
    entity: Mapped[str] = mapped_column(String(64), info={"label": "대상"})
    signature: Mapped[str] = mapped_column(String(64), info={"label": "열 서명"})
    headers: Mapped[list[str]] = mapped_column(JSON, info={"label": "열 제목"})
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, info={"label": "연결"})
    saved_at: Mapped[dt.datetime] = mapped_column(info={"label": "저장 시각"})
