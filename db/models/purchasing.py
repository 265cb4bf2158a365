"""우선구매: public priority purchasing results, department targets, promotion and materials."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped

from .base import Base, IdMixin, field, money, nonneg
from .choices import PROMOTION_CHANNELS, PUBLICATION_KINDS, PURCHASING_GRADES


class PurchasingResult(IdMixin, Base):
    """A year's purchasing figure as of a date, with rate, grade and target."""

    __tablename__ = "purchasing_result"
    __label__ = "우선구매 실적"
    __title__ = "{year}년 우선구매 실적[ ({as_of} 기준)]"
    __table_args__ = (
        UniqueConstraint("year", "as_of"),
        *nonneg("amount", "target_amount"),
        CheckConstraint("rate IS NULL OR (rate >= 0 AND rate <= 100)", name="rate_range"),
    )

    year: Mapped[int] = field("연도")
    as_of: Mapped[dt.date] = field("기준일")
    amount: Mapped[int] = money("구매액")
    rate: Mapped[float | None] = field("구매율", unit="%")
    grade: Mapped[str | None] = field("평가 등급", choices=PURCHASING_GRADES)
    target_amount: Mapped[int | None] = money("목표액", nullable=True)
    target_rate: Mapped[float | None] = field("목표율", unit="%")
    evaluation: Mapped[str | None] = field("평가")  # 경기도 시군종합평가
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not


class DepartmentTarget(IdMixin, Base):
    """A department's purchasing target and result for a year."""

    __tablename__ = "department_target"
    __label__ = "부서별 목표"
    __title__ = "{year}년 {department}"
    __table_args__ = (UniqueConstraint("year", "department"), *nonneg("target", "result"))

    year: Mapped[int] = field("연도")
    department: Mapped[str] = field("부서")
    target: Mapped[int] = money("목표액", default=0)
    result: Mapped[int] = money("실적액", default=0)
    note: Mapped[str | None] = field("비고")


class PromotionNotice(IdMixin, Base):
    """A promotion notice or action: 시정공유방 post, letter to agencies, plan, visit."""

    __tablename__ = "promotion_notice"
    __label__ = "우선구매 홍보"
    __title__ = "{title}"
    __table_args__ = (
        Index("ix_promotion_notice_on", "notice_on", "channel"),
        # The report's notices of a year from this index alone (SQLite only: long titles).
        Index("ix_promotion_notice_report", "notice_on", "id", "channel", "month_only",
              "recurring", "end_on", "audience", "title").ddl_if(dialect="sqlite"),
    )

    notice_on: Mapped[dt.date] = field("일자")
    end_on: Mapped[dt.date | None] = field("종료일")  # a campaign over days: 독려(3.8.~4.1.)
    # True when only the month is known ("(6월)"), or for a monthly routine ("[매월]").
    month_only: Mapped[bool] = field("월 단위", default=False)
    recurring: Mapped[str | None] = field("반복")  # 매월
    channel: Mapped[str] = field("채널", choices=PROMOTION_CHANNELS)
    audience: Mapped[str | None] = field("대상")
    title: Mapped[str] = field("제목")
    note: Mapped[str | None] = field("비고")


class Publication(IdMixin, Base):
    """A brochure or catalogue: purpose, contents, copies and distribution."""

    __tablename__ = "publication"
    __label__ = "홍보물"
    __title__ = "{title}"
    __table_args__ = (*nonneg("copies"), Index("ix_publication_year", "year", "issued_on"))

    year: Mapped[int] = field("연도")
    kind: Mapped[str] = field("구분", choices=PUBLICATION_KINDS, default="홍보 책자")
    title: Mapped[str] = field("책자명")
    purpose: Mapped[str | None] = field("목적")
    content: Mapped[str | None] = field("내용")
    copies: Mapped[int] = field("수량", unit="부", default=0)
    copies_detail: Mapped[str | None] = field("수량 내역")
    distribution: Mapped[str | None] = field("배부처")
    issued_on: Mapped[dt.date | None] = field("배부일")
    note: Mapped[str | None] = field("비고")
    printed_note: Mapped[str | None] = field("보고서 주석(※)")  # printed in the report; 비고 is not


class Video(IdMixin, Base):
    """A video posted on the office's YouTube channel."""

    __tablename__ = "video"
    __label__ = "유튜브 영상"
    __title__ = "{title}"
    __table_args__ = (Index("ix_video_posted", "posted_on"),)

    posted_on: Mapped[dt.date] = field("게시일")
    title: Mapped[str] = field("콘텐츠 제목")
    # The image itself (PNG/JPEG, db/images.py's limit): a path would break when the
    # database moves to another PC or to the office's PostgreSQL server.
    thumbnail_image: Mapped[bytes | None] = field("썸네일", LargeBinary)
    thumbnail: Mapped[str | None] = field("썸네일 파일 이름")  # the chosen file's name, as text
    url: Mapped[str | None] = field("주소")
    note: Mapped[str | None] = field("비고")
