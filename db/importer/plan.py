"""Building the preview of a sheet: read, map, parse, match existing records, run the rules.

The preview session never flushes (autoflush off, rolled back at the end), so a preview writes
nothing and holds no write lock; updated records are changed in memory only, so the area rules
see them exactly as a form's save would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import naming, service, tabular
from ..errors import DureError
from ..formats import josa
from ..models import Organization
from ..office.versions import stored_version
from ..rules.organization import normalize_brn, normalize_name
from ..safe_text import CUT_MARK, EXCEL_MAX, excel_text
from . import mapping as mp
from . import values as vals
from .result import CHANGED, DUPLICATE, NEW, REJECTED, UNCHANGED, RowResult, SheetPreview
from .workbook import MAX_ROWS, Workbook, column_letter, find_header, is_blank, merged_in_rows

if TYPE_CHECKING:
    from ..models.base import Base

Progress = Callable[[int, str], None] | None
CHUNK = 500
# Entities whose rules use the session only for the look-alike search (same reduced name or same
# BRN): the importer's duplicate check answers that for the whole sheet in one query, where the
# rule would run one full-table query per row (10,000 rows: 10 s instead of 0.1 s).
SESSION_FREE_RULES: frozenset[type[Base]] = frozenset({Organization})


def natural_keys(model: type[Base]) -> list[tuple[str, ...]]:
    """Field tuples the database keeps unique (an update may not take another record's)."""
    table = naming.table(model)
    keys: list[tuple[str, ...]] = []
    for cons in table.constraints:
        cols = tuple(c.key for c in getattr(cons, "columns", ()))
        if cons.__class__.__name__ == "UniqueConstraint" and cols:
            keys.append(cols)
    keys += [(c.key,) for c in table.columns if c.unique]
    return list(dict.fromkeys(keys))  # a unique column is also listed as a constraint


def soft_keys(model: type[Base]) -> list[tuple[str, ...]]:
    """Field tuples that make a new row a duplicate though the database allows them twice.

    Two enterprises may share a name (the rules only warn), so a name never blocks an update;
    but a new row named like an existing enterprise is taken for the same one. Entities with no
    key at all compare every field.
    """
    if model is Organization:
        return [("name",)]
    return [] if natural_keys(model) else [_all_fields_key(model)]


def _key_value(model: type[Base], key: str, value: Any) -> Any:
    if isinstance(value, str):
        if model is Organization and key == "name":
            return normalize_name(value)
        if model is Organization and key == "brn":
            return normalize_brn(value)
        return " ".join(value.split()).lower()
    return value


def _all_fields_key(model: type[Base]) -> tuple[str, ...]:
    """For entities without a natural key: every user field (a row equal in all is a duplicate)."""
    return tuple(c.key for c in tabular.columns(model) if c.kind not in ("id", "image"))


class SheetPlanner:
    """Turns one sheet's rows into RowResults against the database in `session`."""

    def __init__(self, session: Session, book: Workbook, name: str, model: type[Base],
                 explicit: dict[str, str] | None, progress: Progress = None,
                 pending: vals.Pending | None = None) -> None:
        self.s, self.book, self.model = session, book, model
        self.cols = {c.key: c for c in tabular.columns(model)}
        self.refs = vals.References(session, pending)
        self.progress = progress
        self.sheet = SheetPreview(name, model, [], {})
        self.explicit = explicit
        self._parents: list[Any] = []

    # ---------------------------------------------------------------- reading

    def run(self) -> SheetPreview:
        sheet = self.sheet
        rows_iter = self.book.rows(sheet.name)
        head: list[tuple[int, tuple[Any, ...]]] = []
        for item in rows_iter:
            head.append(item)
            if len(head) >= 10:
                break
        at = find_header(head)
        if at is None:
            sheet.problems.append("시트에 내용이 없습니다. 제목 행과 자료가 있는 시트를 고르세요.")
            return sheet
        sheet.header_row, header = head[at]
        headers = [str(v).strip() if v is not None else "" for v in header]
        while headers and not headers[-1]:
            headers.pop()
        sheet.headers = headers
        self._map(headers)
        if sheet.problems:
            return sheet
        scan = self.book.scan(sheet.name)
        merged = merged_in_rows(scan.merged, sheet.header_row)
        if merged:
            shown = ", ".join(merged[:10]) + (" …" if len(merged) > 10 else "")
            sheet.problems.append(f"병합된 셀이 있습니다: {shown}. "
                                  "병합을 해제하고 한 칸에 한 값만 두세요.")
            return sheet
        formulas = self.book.formula_cells(sheet.name) if scan.has_formulas else set()
        data = head[at + 1:]
        width = len(headers)
        raw: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in _chain(data, rows_iter):  # rows first: a huge sheet stops early
            if all(is_blank(v) for v in values[:width]) and not any(
                    (number, i + 1) in formulas for i in range(width)):
                continue
            if len(raw) >= MAX_ROWS:
                sheet.problems.append(
                    f"행이 너무 많습니다({MAX_ROWS:,}행 초과). 한 번에 {MAX_ROWS:,}행까지 가져올 "
                    "수 있습니다. 파일을 나눠서 가져오세요.")
                return sheet
            raw.append((number, values[:width]))
        results: list[RowResult] = []
        for number, values in raw:
            results.append(self._parse(number, values, formulas))
            if self.progress and len(results) % 2000 == 0:
                self.progress(len(results), f"'{sheet.name}' {len(results):,}행을 읽었습니다")
        if not results and self.explicit is not None:
            sheet.problems.append("가져올 자료 행이 없습니다(제목 행만 있습니다).")
        sheet.rows = results
        self._match()
        self._validate()
        return sheet

    def _map(self, headers: list[str]) -> None:
        sheet, model = self.sheet, self.model
        if self.explicit:
            mp.check(model, self.explicit)
            sheet.mapping = {h: k for h, k in self.explicit.items() if h in headers and k}
            sheet.save_mapping = True
        else:
            sheet.mapping = mp.propose(model, headers, self.s)
            sheet.save_mapping = tabular.model_for_sheet(sheet.name) is not model
        if not sheet.mapping:
            sheet.problems.append(f"{sheet.entity}의 항목과 맞는 열이 없습니다. "
                                  "열을 항목에 연결하세요.")
            return
        missing = mp.missing_required(model, sheet.mapping)
        if missing and "id" not in sheet.mapping.values():
            sheet.problems.append(f"꼭 있어야 하는 열이 없습니다: {', '.join(missing)}. "
                                  "열을 추가하거나 연결하세요.")

    def _parse(self, number: int, cells: tuple[Any, ...],
               formulas: set[tuple[int, int]]) -> RowResult:
        r = RowResult(number)
        for i, h in enumerate(self.sheet.headers):
            key = self.sheet.mapping.get(h)
            if not key:
                continue
            value = cells[i] if i < len(cells) else None
            if value is None and (number, i + 1) in formulas:
                r.messages.append(f"{number}행 '{h}' 열({column_letter(i + 1)}{number}): "
                                  "수식의 계산 결과가 저장되어 있지 않습니다. "
                                  "Excel에서 파일을 열어 저장한 뒤 다시 가져오세요.")
                r.bad.add(key)
                continue
            if r.values.get(key) is not None or (key in r.values and is_blank(value)):
                continue  # a second column for the same field (id and 기업명): the first wins
            col = self.cols[key]
            try:
                if col.kind == "fk":
                    r.values[key] = self.refs.resolve(col, value)
                else:
                    r.values[key] = vals.parse(col, value)
                    if self.model is Organization and key == "brn":  # as the form stores it
                        r.values[key] = normalize_brn(r.values[key])
            except DureError as exc:
                r.messages.append(f"{number}행 '{h}' 열: {exc}")
                r.values.setdefault(key, None)
                r.bad.add(key)
        r.record_id = r.values.pop("id", None)
        return r

    # ---------------------------------------------------------------- matching

    def _match(self) -> None:
        model, rows = self.model, self.sheet.rows
        ids = [r.record_id for r in rows if r.record_id is not None and r.status != REJECTED]
        existing: dict[int, Any] = {}
        for i in range(0, len(ids), CHUNK):
            for obj in self.s.scalars(select(model).where(model.id.in_(ids[i:i + CHUNK]))):
                existing[obj.id] = obj
        hard = natural_keys(model)
        keys = hard + soft_keys(model)
        known = self._existing_keys(keys)
        seen: list[dict[tuple[Any, ...], int]] = [{} for _ in keys]
        what = self.sheet.entity
        for r in rows:
            if "id" in r.bad:
                continue
            if r.record_id is not None:
                found = existing.get(r.record_id)
                if found is None:
                    r.status = REJECTED
                    r.messages.append(f"{r.row}행: 번호 {r.record_id}인 {josa(what, '이/가')} "
                                      "없습니다(삭제되었을 수 있습니다). 새 기록으로 가져오려면 "
                                      "번호 칸을 비우세요.")
                    continue
                r.version = stored_version(found)
                r.changes = {k: (getattr(found, k), v) for k, v in r.values.items()
                             if not _same(getattr(found, k), v)}
                r.status = CHANGED if r.changes else UNCHANGED
                self._refuse_cut_cells(r)
            for n, key in enumerate(keys):
                values = r.values if r.record_id is None else {
                    k: r.values.get(k, getattr(existing[r.record_id], k)) for k in key}
                if any(values.get(k) is None for k in key):
                    continue
                kv = tuple(_key_value(model, k, values[k]) for k in key)
                other = known[n].get(kv)
                if r.record_id is None and other is not None:
                    r.status, r.duplicate_of = DUPLICATE, f"기존 기록(번호 {other})"
                    break
                if r.record_id is not None and key in hard and other not in (None, r.record_id):
                    r.status = REJECTED
                    labels = ", ".join(self.cols[k].label for k in key)
                    r.messages.append(f"{r.row}행: {josa(labels, '이/가')} 다른 기록(번호 "
                                      f"{other})과 같습니다.")
                    break
                if kv in seen[n] and r.record_id is None:
                    r.status, r.duplicate_of = DUPLICATE, f"이 시트의 {seen[n][kv]}행"
                    break
                if kv in seen[n] and key in hard:
                    r.status = REJECTED
                    labels = ", ".join(self.cols[k].label for k in key)
                    r.messages.append(f"{r.row}행: {josa(labels, '이/가')} 이 시트의 "
                                      f"{seen[n][kv]}행과 같습니다.")
                    break
                seen[n].setdefault(kv, r.row)

    def _refuse_cut_cells(self, r: RowResult) -> None:
        """A text Dure cut to fit one Excel cell may not overwrite the full text it came from."""
        headers = {k: h for h, k in reversed(list(self.sheet.mapping.items()))}
        for k, (old, new) in list(r.changes.items()):
            if (isinstance(old, str) and isinstance(new, str) and len(old) > EXCEL_MAX
                    and new.endswith(CUT_MARK.strip())):
                r.status = REJECTED
                r.bad.add(k)
                r.messages.append(
                    f"{r.row}행 '{headers.get(k, k)}' 열: 이 칸은 두레가 엑셀 한 칸의 "
                    f"한도({EXCEL_MAX:,}자)에 맞춰 잘라서 내보낸 글입니다(원래 {len(old):,}자). "
                    "잘린 글로 원래 글을 덮어쓰지 않도록 가져오지 않습니다. "
                    "이 항목은 두레 화면에서 고치거나, 칸을 원래대로 두세요.")

    def _existing_keys(self, keys: list[tuple[str, ...]]) -> list[dict[tuple[Any, ...], int]]:
        model = self.model
        out: list[dict[tuple[Any, ...], int]] = []
        for key in keys:
            found: dict[tuple[Any, ...], int] = {}
            stmt = select(model.id, *(getattr(model, k) for k in key))
            for row in self.s.execute(stmt):
                if any(v is None for v in row[1:]):
                    continue
                found.setdefault(tuple(_key_value(model, k, v) for k, v in zip(key, row[1:],
                                                                              strict=True)), row[0])
            out.append(found)
        return out

    # ---------------------------------------------------------------- rules

    def _validate(self) -> None:
        model = self.model
        self._parents = prefetch_parents(self.s, model, self.sheet.rows)
        headers = {k: h for h, k in reversed(list(self.sheet.mapping.items()))}
        for n, r in enumerate(self.sheet.rows, start=1):
            if r.status not in (NEW, CHANGED):
                continue
            obj = build(self.s, model, r)
            for k, (_old, new) in r.changes.items():
                if new is None and not model.__table__.c[k].nullable:
                    r.messages.append(f"{r.row}행 '{headers.get(k, k)}' 열: "
                                      f"{self.cols[k].label}은(는) 비워 둘 수 없습니다.")
            with self.s.no_autoflush:
                problems = service.check(obj, None if model in SESSION_FREE_RULES else self.s)
            for p in problems:
                if p.field in r.bad:
                    continue  # the cell's own reason is already given
                where = f"{r.row}행 '{headers[p.field]}' 열" if p.field in headers else f"{r.row}행"
                (r.messages if p.is_error else r.warnings).append(f"{where}: {p.message}")
            if r.messages:
                r.status = REJECTED
            if r.record_id is not None:
                self.s.expire(obj)  # forget the in-memory edit; nothing was flushed
            if self.progress and n % 2000 == 0:
                self.progress(n, f"'{self.sheet.name}' {n:,}행을 검사했습니다")
        for r in self.sheet.rows:
            if r.messages:
                r.status = REJECTED


def prefetch_parents(session: Session, model: type[Base], rows: list[RowResult]) -> list[Any]:
    """Load every referenced parent (and its child lists) in a few queries, not one per row.

    Area rules read a row's parent and its siblings (a grant's payments) through the session;
    with the parents in the identity map that costs nothing per row. The caller keeps the
    returned list alive: the identity map holds weak references.
    """
    kept: list[Any] = []
    wanted = [r for r in rows if r.status in (NEW, CHANGED)]
    for rel in sa_inspect(model).relationships:
        if rel.direction.name != "MANYTOONE":
            continue
        (col,) = rel.local_columns
        key = str(col.key)
        ids = sorted({v for r in wanted if isinstance(v := r.values.get(key), int)})
        target = rel.mapper.class_
        lists = [selectinload(getattr(target, c.key)) for c in rel.mapper.relationships
                 if c.direction.name == "ONETOMANY"]
        for i in range(0, len(ids), CHUNK):
            kept += session.scalars(select(target).where(target.id.in_(ids[i:i + CHUNK]))
                                    .options(*lists)).all()
    return kept


def build(session: Session, model: type[Base], r: RowResult,
          made: dict[int, Any] | None = None) -> Any:
    """The record a row makes: a new object, or the existing one with the row's values set.

    A reference to an enterprise new in the same import is set through the relationship: to
    the object written for that row (`made`, at commit) or to an unsaved copy (preview).
    """
    new_refs = {k: v for k, v in r.values.items() if isinstance(v, vals.NewOrganization)}
    if r.record_id is None:
        table = naming.table(model)
        obj = model(**{k: v for k, v in r.values.items() if k not in new_refs
                       and (v is not None or table.c[k].default is None)})
    else:
        # the plan found it; if another desk deleted it since, setattr fails (rolled back)
        obj = cast("Base", session.get(model, r.record_id))
        for k, (_old, new) in r.changes.items():
            if k not in new_refs:
                setattr(obj, k, new)
    for k, ref in new_refs.items():
        rel = next(rel for rel in sa_inspect(model).relationships
                   if [c.key for c in rel.local_columns] == [k])
        parent = (made or {}).get(id(ref.row)) or Organization(
            **{f: v for f, v in ref.row.values.items() if v is not None})
        setattr(obj, rel.key, parent)
    return obj


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        # b is what Dure's own export wrote for a (control characters dropped, cut at the
        # Excel limit): the cell was not edited, and the full text stays as it is
        return a.strip() == b.strip() or excel_text(a).strip() == b.strip()
    if a is None or b is None:
        return (a in (None, "")) and (b in (None, ""))
    return bool(a == b)


def _chain(first: list[Any], rest: Any) -> Any:
    yield from first
    yield from rest


def mapped_tables(sheets: list[SheetPreview]) -> frozenset[str]:
    return frozenset(naming.table_of(s.model) for s in sheets)
