"""Excel import: a preview of what a workbook would change, then all of it in one transaction.

    p = preview(database, "기업.xlsx")                 # Dure's own data sheets (a round trip)
    p = preview(database, "명단.xlsx", {"업체명": "name"}, sheet="Sheet1", entity="organization")
    if p.ok:
        commit(database, p)

Every row passes the form rules (db.rules) and the form parsers (db.formats); rejected rows
carry a Korean reason per cell. `commit` writes every new and changed row or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError

from .. import rules, service, tabular
from ..errors import DureError
from ..models import Base, Organization
from ..office import versions
from ..service import integrity_message
from ..session import Database
from . import mapping as mp
from . import values as vals
from .plan import (
    SESSION_FREE_RULES,
    Progress,
    SheetPlanner,
    build,
    mapped_tables,
    prefetch_parents,
)
from .result import CHANGED, NEW, REJECTED, STATUS_LABELS, ImportPreview, RowResult, SheetPreview
from .textbook import open_book
from .workbook import MAX_ROWS, Workbook

__all__ = ["CHANGED", "MAX_ROWS", "NEW", "REJECTED", "STATUS_LABELS", "ImportPreview", "RowResult",
           "SheetPreview", "commit", "preview", "sheet_names"]


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook (DureError for a file that is not a readable .xlsx)."""
    book = open_book(Path(path))
    try:
        names: list[str] = book.sheet_names
        return names
    finally:
        book.close()


def _targets(book: Workbook, sheet: str | None, entity: str | None,
             mapping: dict[str, str] | None) -> list[tuple[str, type[Base]]]:
    if sheet is not None:
        book.sheet(sheet)
        model = mp.entity_for(entity) if entity else tabular.model_for_sheet(sheet)
        if model is None:
            raise DureError(f"'{sheet}' 시트를 어느 대상으로 가져올지 정하세요(--entity 기업 등).")
        return [(sheet, model)]
    data = [(n, m) for n in book.sheet_names if (m := tabular.model_for_sheet(n)) is not None]
    if entity:
        model = mp.entity_for(entity)
        own = [(n, m) for n, m in data if m is model]
        if own:
            return own
        if len(book.sheet_names) == 1:
            return [(book.sheet_names[0], model)]
        raise DureError(f"시트가 여러 개입니다. 가져올 시트를 고르세요(--sheet): "
                        f"{', '.join(book.sheet_names)}")
    if data and mapping is None:
        order = {m: i for i, m in enumerate(tabular.ENTITIES)}
        return sorted(data, key=lambda nm: order[nm[1]])  # parents before children
    raise DureError("두레 자료 시트('기업 목록' 등)가 없습니다. 가져올 시트와 대상을 고르세요"
                    f"(--sheet, --entity). 시트: {', '.join(book.sheet_names)}")


def preview(database: Database, path: str | Path, mapping: dict[str, str] | None = None, *,
            sheet: str | None = None, entity: str | None = None,
            progress: Progress = None) -> ImportPreview:
    """What importing `path` would do; writes nothing.

    Without `sheet`, every Dure data sheet of the workbook (named `tabular.sheet_name`) is read,
    parents first. `mapping` (header → field key) applies to the one chosen sheet; without it
    the saved mapping for the same headers, or matching labels, is used.
    Raises DureError for a file that is not a readable .xlsx workbook.
    """
    book = open_book(Path(path))
    result = ImportPreview(Path(path))
    try:
        targets = _targets(book, sheet, entity, mapping)
        with database.session() as s:
            s.autoflush = False  # a preview never writes, and so never locks the database
            s.info["history"] = False
            pending = vals.Pending()  # new enterprises, for references in later sheets
            try:
                for name, model in targets:
                    planner = SheetPlanner(s, book, name, model,
                                           mapping if mapping is not None else None, progress,
                                           pending)
                    sheet_result = planner.run()
                    result.sheets.append(sheet_result)
                    if model is Organization:
                        for r in sheet_result.rows:
                            if r.status == NEW:
                                pending.add(r, name)
            finally:
                s.rollback()
    finally:
        book.close()
    if not any(s.rows for s in result.sheets) and not result.problems:
        first = result.sheets[0] if result.sheets else None
        if first is not None:
            first.problems.append("가져올 자료 행이 없습니다(빈 시트이거나 제목 행만 있습니다).")
    return result


def commit(database: Database, preview: ImportPreview,
           progress: Callable[[int, str], None] | None = None, *,
           initiator: object | None = None, resolutions: dict[str, str] | None = None) -> int:
    """Write every new and changed row of `preview` in one transaction; returns rows written.

    Refused (nothing written) when the preview has rejected rows, when a record was deleted
    after the preview, or when a rule or the database refuses a row — the message names the row.
    A row updating a record another desk changed after the preview (its version moved) is
    merged field by field: a field only the other desk changed keeps their value, and the
    fields both changed make one ConflictError for the whole import (내 값 = the file's value,
    다른 책상의 값 = stored now, 원래 값 = the preview's), unless `resolutions` decides them
    (keys "시트!행.field").
    """
    if not preview.ok:
        raise DureError(preview.refusal())
    written = 0
    made: dict[int, Any] = {}  # id(RowResult) → the object written for it (new enterprises)
    conflicts: list[versions.FieldConflict] = []
    loaded: dict[tuple[str, int | str], Any] = {
        (str(sa_inspect(sheet.model).local_table.name),  # type: ignore[attr-defined]
         r.record_id): r.version
              for sheet in preview.sheets for r in sheet.rows
              if r.record_id is not None and r.status == CHANGED}
    with service.write(database, service.Op.IMPORT, initiator=initiator, source="import",
                       loaded=loaded) as w:
        s = w.session
        s.autoflush = False
        for sheet in preview.sheets:
            parents = prefetch_parents(s, sheet.model, sheet.rows)  # noqa: F841 - kept alive
            objs = []
            for r in sheet.rows:
                if r.status not in (NEW, CHANGED):
                    continue
                obj = _apply_row(s, sheet, _merged(s, sheet, r, resolutions, conflicts), made)
                objs.append((r, obj))
                made[id(r)] = obj
                written += 1
                if progress and written % 2000 == 0:
                    progress(written, f"{written:,}행을 쓰는 중입니다")
            if not conflicts:
                _flush(database, s, sheet, objs)
            if sheet.save_mapping and sheet.mapping:
                mp.save(s, sheet.model, sheet.headers, sheet.mapping)
        if conflicts:
            names = ", ".join(c.label for c in conflicts[:6]) + (" …" if len(conflicts) > 6 else "")
            raise versions.ConflictError(
                "미리보기 뒤에 다른 책상에서 같은 항목을 다르게 고친 기록이 있어 아무것도 가져오지 "
                f"않았습니다: {names}.\n항목마다 파일의 값(내 값)과 다른 책상의 값 중 하나를 고른 "
                "뒤 다시 가져오세요.", conflicts=conflicts)
        w.touch(*mapped_tables(preview.sheets))
    return written


def _merged(s: Any, sheet: SheetPreview, r: RowResult, resolutions: dict[str, str] | None,
            conflicts: list[versions.FieldConflict]) -> RowResult:
    """`r` with the other desk's changes since the preview merged in (its changed fields)."""
    if r.record_id is None:
        return r
    current = s.get(sheet.model, r.record_id)
    if current is None:
        raise DureError(f"'{sheet.name}' 시트 {r.row}행(번호 {r.record_id})의 기록이 미리보기 뒤에 "
                        "삭제되었습니다. 아무것도 가져오지 않았습니다. 다시 미리보기 하세요.")
    theirs = {k: getattr(current, k) for k in r.changes}
    moved = r.version is not None and versions.stored_version(current) not in (None, r.version)
    if not moved and all(theirs[k] == old for k, (old, _new) in r.changes.items()):
        return r  # nobody wrote it since the preview
    out, found = versions.merge_values(
        sheet.model, {k: new for k, (_old, new) in r.changes.items()},
        {k: old for k, (old, _new) in r.changes.items()}, theirs, resolutions,
        prefix=f"{sheet.name}!{r.row}.", caption=f"'{sheet.name}' 시트 {r.row}행 · ")
    conflicts.extend(found)
    return replace(r, changes={k: (theirs[k], v) for k, v in out.items()})


def _apply_row(s: Any, sheet: SheetPreview, r: RowResult, made: dict[int, Any]) -> Any:
    """Add or update one row's record in `s` (merged with changes made since the preview)."""
    obj = build(s, sheet.model, r, made)
    if r.record_id is None:
        s.add(obj)
    with s.no_autoflush:
        problems = rules.errors(service.check(obj,
                                              None if sheet.model in SESSION_FREE_RULES else s))
    if problems:
        raise DureError(f"'{sheet.name}' 시트 {r.row}행: {problems[0].message} 아무것도 가져오지 "
                        "않았습니다.")
    return obj


def _flush(database: Database, s: Any, sheet: SheetPreview,
           objs: list[tuple[RowResult, Any]]) -> None:
    """Flush a sheet's rows; when the database refuses one, find and name that row."""
    try:
        s.flush()
    except IntegrityError as exc:
        s.rollback()
        culprit = _find_refused(database, sheet, [r for r, _o in objs])
        where = f"'{sheet.name}' 시트 {culprit}행: " if culprit else f"'{sheet.name}' 시트: "
        raise DureError(where + integrity_message(exc) + " 아무것도 가져오지 않았습니다.") from exc


def _find_refused(database: Database, sheet: SheetPreview, rows: list[RowResult]) -> int | None:
    """The Excel row the database refuses: the rows flushed one at a time, then rolled back."""
    with database.session() as s:
        s.info["history"] = False
        s.autoflush = False
        try:
            for r in rows:
                obj = build(s, sheet.model, r)
                if r.record_id is None:
                    s.add(obj)
                try:
                    s.flush()
                except IntegrityError:
                    return r.row
        finally:
            s.rollback()
    return None
