"""Export entry points for the GUI and the CLI: atomic files, progress and cancel.

Each function writes to a temporary file beside `out` and renames it over `out` only when
everything was written, so a full disk, a read-only folder or a cancel leaves no partial
file behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from db.errors import Cancelled as Cancelled
from db.errors import DureError
from db.periods import Period
from db.safety.tempfiles import export_prefix, give_normal_mode, remove_stale
from db.session import Database

Progress = Callable[[int, int, str], None] | None
CancelFlag = Callable[[], bool] | None


def check_suffix(out: Path, allowed: tuple[str, ...]) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        shown = " 또는 ".join(allowed)
        raise DureError(f"파일 이름 '{out.name}'의 확장자가 맞지 않습니다. "
                        f"{shown} 파일로 저장하세요.")
    return suffix


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path in out's folder, moved onto `out` when the block succeeds."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise DureError(f"폴더 '{folder}'이(가) 없습니다. 있는 폴더를 고르세요.")

    remove_stale(folder)  # what killed exports left here
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=export_prefix(), suffix=out.suffix, dir=folder)
        os.close(fd)
        give_normal_mode(Path(tmp_name))
    except OSError as exc:
        raise _os_error(exc, folder, out) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as exc:
        raise _os_error(exc, folder, out) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _os_error(exc: OSError, folder: Path, out: Path) -> DureError:
    """A Korean message for what went wrong on disk."""
    if exc.errno == errno.ENOSPC:
        return DureError(f"디스크 공간이 부족해 '{out.name}'을(를) 저장하지 못했습니다. "
                         "공간을 비우거나 다른 폴더를 고르세요.")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DureError(f"폴더 '{folder}'에 쓸 수 없습니다(권한 없음 또는 읽기 전용). "
                         "다른 폴더를 고르거나, 같은 이름의 파일이 다른 프로그램(엑셀 등)에서 "
                         "열려 있으면 닫고 다시 하세요.")
    return DureError(f"'{out}'을(를) 저장하지 못했습니다({exc.strerror or exc}). "
                     "다른 폴더나 이름으로 다시 하세요.")


class _Steps:
    """Progress reporting and cancel checks shared by the exports."""

    def __init__(self, total: int, progress: Progress, cancelled: CancelFlag) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancelled = progress, cancelled

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()

    def step(self, message: str, n: int = 1) -> None:
        self.check()
        self.done = min(self.total, self.done + n)
        if self.progress is not None:
            self.progress(self.done, self.total, message)


def export_workbook(database: Database, first: Period, last: Period, out: Path,
                    progress: Progress = None, cancelled: CancelFlag = None) -> Path:
    """The Excel workbook: every report table of span(first, last), then every data sheet."""
    # deferred: each format's renderer loads when that export runs (start-up)
    from . import assemble, xlsx

    out = Path(out)
    check_suffix(out, (".xlsx",))
    sheets = assemble.entity_sheets()
    with atomic_path(out) as tmp, database.session() as session:
        tables = assemble.workbook_tables(session, first, last)
        steps = _Steps(len(tables) + len(sheets) + 1, progress, cancelled)
        steps.step("표를 계산했습니다")
        wb = xlsx.new_workbook(tmp)
        try:
            for table in tables:
                xlsx.write_table_sheet(wb, table)
                steps.step(f"'{table.sheet_name}' 시트를 만들었습니다")
            names = assemble.org_names(session)
            for model, name in sheets:
                cols, labels, kinds = assemble.data_columns(model)
                rows = assemble.data_rows(session, model, cols, names)
                xlsx.write_data_sheet(wb, name, labels, kinds, rows,
                                      tick=lambda _n: steps.check())
                steps.step(f"'{name}' 시트를 만들었습니다")
            wb.save()
        except BaseException:
            xlsx.discard(wb)
            raise
    return out


def export_roster(database: Database, as_of: dt.date, out: Path,
                  progress: Progress = None, cancelled: CancelFlag = None) -> Path:
    """입주공간 현황 as of a date: .pdf or .hwpx (A4 landscape) or .xlsx (a sheet per provider)."""
    # deferred: each format's renderer loads when that export runs (start-up)
    from . import assemble

    out = Path(out)
    suffix = check_suffix(out, (".pdf", ".xlsx", ".hwpx"))
    steps = _Steps(2, progress, cancelled)
    with database.session() as session:
        title, tables = assemble.roster_report(session, as_of)
    steps.step("입주공간 현황을 계산했습니다")
    with atomic_path(out) as tmp:
        if suffix == ".pdf":
            # deferred: each format's renderer loads when that export runs (start-up)
            from .pdf_docs import roster_pdf

            roster_pdf(tmp, title, as_of, tables, cancelled)
        elif suffix == ".hwpx":
            # deferred: each format's renderer loads when that export runs (start-up)
            from .owpml_docs import roster_writer

            roster_writer(title, as_of, tables).save(tmp)
        else:
            # deferred: each format's renderer loads when that export runs (start-up)
            from . import xlsx

            xlsx.save_tables(tables, tmp)
        steps.step("파일을 저장했습니다")
    return out


def export_tables(database: Database, first: Period, last: Period, out: Path,
                  progress: Progress = None, cancelled: CancelFlag = None) -> Path:
    """The yearly tables alone, as a PDF or an HWPX document (A4 landscape)."""
    # deferred: each format's renderer loads when that export runs (start-up)
    from . import assemble

    out = Path(out)
    suffix = check_suffix(out, (".pdf", ".hwpx"))
    steps = _Steps(2, progress, cancelled)
    with database.session() as session:
        tables = assemble.yearly_tables(session, first, last)
        office = assemble.load_settings(session).display_office
    steps.step("연도별 표를 계산했습니다")
    with atomic_path(out) as tmp:
        if suffix == ".hwpx":
            # deferred: each format's renderer loads when that export runs (start-up)
            from .owpml_docs import tables_writer

            tables_writer(office, first, last, tables).save(tmp)
        else:
            # deferred: each format's renderer loads when that export runs (start-up)
            from .pdf_docs import tables_pdf

            tables_pdf(tmp, office, first, last, tables, cancelled)
        steps.step("파일을 저장했습니다")
    return out


def export_report(database: Database, period: Period, out: Path,
                  progress: Progress = None, cancelled: CancelFlag = None, *,
                  last: Period | None = None, as_of: dt.date | None = None,
                  template: Path | None = None,
                  outcome: Callable[[str], None] | None = None) -> Path:
    """공약 이행 실적 as a PDF or HWPX: one period, or with `last` the whole document first..last.

    `as_of` is the 기준일 (default: the stored setting or today, never after the last
    period's end). An .hwpx report fills the office's own form (`template`, else the template
    setting) when there is one; `outcome` (and the last progress message) then hears, in
    Korean, which places of the form were filled and which the form lacks.
    """
    # deferred: each format's renderer loads when that export runs (start-up)
    from .report import collect

    out = Path(out)
    suffix = check_suffix(out, (".pdf", ".hwpx"))
    steps = _Steps(2, progress, cancelled)
    with database.session() as session:
        steps.check()
        data = collect(session, period, last, as_of)
    steps.step("보고서 내용을 만들었습니다")
    if suffix == ".hwpx" and template is None and data.settings.report_template:
        template = Path(data.settings.report_template)
    summary = ""
    with atomic_path(out) as tmp:
        if suffix == ".pdf":
            # deferred: each format's renderer loads when that export runs (start-up)
            from .report import report_pdf

            report_pdf(tmp, data, cancelled)
            steps.step("파일을 저장했습니다")
        elif template is not None:
            # deferred: each format's renderer loads when that export runs (start-up)
            from .owpml_form import fill_form

            result = fill_form(Path(template), data)
            tmp.write_bytes(result.payload)
            summary = result.message()
            steps.step(summary)
        else:
            # deferred: each format's renderer loads when that export runs (start-up)
            from .owpml_docs import report_writer

            report_writer(data).save(tmp)
            steps.step("파일을 저장했습니다")
    if summary and outcome is not None:  # said once the file is in place
        outcome(summary)
    return out
