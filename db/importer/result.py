"""What an import would do: per row new / changed / unchanged / duplicate / rejected, with
reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import naming, tabular

if TYPE_CHECKING:
    from ..models.base import Base

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
DUPLICATE, REJECTED = "duplicate", "rejected"
STATUS_LABELS = {NEW: "새 기록", CHANGED: "변경", UNCHANGED: "변경 없음", DUPLICATE: "중복",
                 REJECTED: "거부"}
SHOWN_ROWS = 50  # rows of each kind the text summary lists before "… 외 N행"


@dataclass
class RowResult:
    """One data row of a sheet and what importing it would do."""

    row: int  # the Excel row number
    status: str = NEW
    values: dict[str, Any] = field(default_factory=dict)  # field key → parsed value
    record_id: int | None = None
    version: int | None = None  # the record's version the preview read (another desk may write)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key → (old, new)
    messages: list[str] = field(default_factory=list)  # why rejected, one per cell or rule
    warnings: list[str] = field(default_factory=list)
    duplicate_of: str = ""  # "기존 기록(번호 5)" or "이 시트의 12행"
    bad: set[str] = field(default_factory=set)  # fields whose cell could not be read


@dataclass
class SheetPreview:
    """One sheet mapped to one entity."""

    name: str
    model: type[Base]
    headers: list[str]
    mapping: dict[str, str]  # header → field key ('' or missing: not imported)
    header_row: int = 1
    rows: list[RowResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the whole sheet is refused
    save_mapping: bool = False

    @property
    def entity(self) -> str:
        return naming.label(self.model)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ignored(self) -> list[str]:
        return [h for h in self.headers if h and not self.mapping.get(h)]


@dataclass
class ImportPreview:
    """The preview of one file: nothing has been written when you hold one."""

    path: Path
    sheets: list[SheetPreview] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(s.count(status) for s in self.sheets)

    @property
    def problems(self) -> list[str]:
        return [f"'{s.name}' 시트: {p}" for s in self.sheets for p in s.problems]

    @property
    def ok(self) -> bool:
        """True when nothing is rejected, so the whole file can go in."""
        return not self.problems and self.count(REJECTED) == 0

    def refusal(self) -> str:
        """Why nothing can be imported: the sheets' problems, the rejected rows, or both."""
        rejected, sheets = self.count(REJECTED), len(self.problems)
        if sheets and rejected:
            what = f"시트 문제 {sheets:,}건과 거부된 행 {rejected:,}개가"
        elif sheets:
            what = f"시트를 가져올 수 없는 문제가 {sheets:,}건"
        else:
            what = f"거부된 행이 {rejected:,}개"
        return (f"{what} 있어 아무것도 가져오지 않았습니다. 미리보기의 사유를 보고 파일을 고친 뒤 "
                "다시 가져오세요.")

    @property
    def writes(self) -> int:
        return self.count(NEW) + self.count(CHANGED)

    def summary(self) -> str:
        parts = [f"{STATUS_LABELS[s]} {self.count(s):,}행" for s in (NEW, CHANGED, UNCHANGED,
                                                                  DUPLICATE, REJECTED)]
        return ", ".join(parts)

    def lines(self, limit: int = SHOWN_ROWS) -> list[str]:
        """The preview as text for the command line, in Korean."""
        out = [f"파일: {self.path.name}"]
        for s in self.sheets:
            out.append(f"\n[{s.name}] → {s.entity} (제목 행 {s.header_row}행)")
            if s.ignored:
                out.append(f"  가져오지 않는 열: {', '.join(s.ignored)}")
            out += [f"  ✗ {p}" for p in s.problems]
            out.append("  " + ", ".join(f"{STATUS_LABELS[k]} {s.count(k):,}행"
                                        for k in (NEW, CHANGED, UNCHANGED, DUPLICATE, REJECTED)))
            out += _rows_text(s, REJECTED, limit,
                              lambda r: "".join(f"\n      - {m}" for m in r.messages))
            out += _rows_text(s, CHANGED, limit, lambda r, s=s: _changes_text(s.model, r))
            out += _rows_text(s, DUPLICATE, limit, lambda r: f"{r.duplicate_of}과 같은 기록")
        out.append(f"\n합계: {self.summary()}")
        return out


def _rows_text(s: SheetPreview, status: str, limit: int, text: Any) -> list[str]:
    rows = [r for r in s.rows if r.status == status]
    out = [f"  {STATUS_LABELS[status]} {r.row}행: {text(r)}" for r in rows[:limit]]
    if len(rows) > limit:
        out.append(f"  … 외 {len(rows) - limit:,}행")
    return out


def _changes_text(model: type[Base], r: RowResult) -> str:
    labels = {c.key: c.label for c in tabular.columns(model)}
    parts = [f"{labels.get(k, k)} {_v(old)} → {_v(new)}" for k, (old, new) in r.changes.items()]
    return f"번호 {r.record_id}: " + ", ".join(parts)


def _v(value: Any) -> str:
    return "(빈 칸)" if value is None or value == "" else f"'{value}'"
