"""우선구매 rules: rates 0–100 %, the "as of" date in (or just after) the year, materials."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from .. import images
from ..formats import dotted
from ..models import PromotionNotice, Publication, PurchasingResult, Video
from .checks import WARNING, Problem, label, loaded
from .core import rule


def rate_problem(obj: object, field: str) -> Problem | None:
    """A percentage outside 0–100."""
    value = loaded(obj, field)
    if value is not None and not 0 <= value <= 100:
        return Problem(field, f"{label(obj, field)}({value:g}%)은(는) 0~100% 사이로 입력하세요.")
    return None


def _result(res: PurchasingResult, session: Session | None) -> Iterator[Problem]:
    for problem in (rate_problem(res, "rate"), rate_problem(res, "target_rate")):
        if problem:
            yield problem
    year, as_of = loaded(res, "year"), loaded(res, "as_of")
    if year is not None and as_of is not None and as_of.year not in (year, year + 1):
        yield Problem("as_of", (
            f"기준일({dotted(as_of)})이 {year}년 실적의 기준일로 보기 어렵습니다. 연도나 기준일을 "
            "확인하세요."), WARNING)


def _publication(obj: Publication, session: Session | None) -> Iterator[Problem]:
    issued, year = loaded(obj, "issued_on"), loaded(obj, "year")
    if issued is not None and year is not None and issued.year != year:
        yield Problem("issued_on", (
            f"배부일({dotted(issued)})이 {year}년이 아닙니다. 연도나 배부일을 확인하세요."),
            WARNING)


def _notice(notice: PromotionNotice, session: Session | None) -> Iterator[Problem]:
    recurring = (loaded(notice, "recurring") or "").strip()
    if recurring and not loaded(notice, "month_only"):
        yield Problem("month_only", (
            f"반복({recurring}) 홍보는 '월 단위'로 표시하세요. 날짜가 매달 다르기 때문입니다."),
            WARNING)


def _video(video: Video, session: Session | None) -> Iterator[Problem]:
    data = loaded(video, "thumbnail_image")
    if data is None:
        return
    name = label(video, "thumbnail_image")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        yield Problem("thumbnail_image", f"{name}에는 이미지 파일만 넣을 수 있습니다. 양식의 "
                                         "'이미지 선택…'으로 PNG·JPEG 파일을 고르세요.")
        return
    message = images.problem(bytes(data), name)
    if message:
        yield Problem("thumbnail_image", message)


# The rules of this module, in the order they run (registered here rather than by
# @rule on each def: see db.rules.core.rule).
rule(PurchasingResult)(_result)
rule(Publication)(_publication)
rule(PromotionNotice)(_notice)
rule(Video)(_video)
