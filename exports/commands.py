"""`main.py export workbook|roster|report|tables`: the same files the GUI makes, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.errors import DureError
from db.periods import Period

KINDS = {
    "workbook": "연도별 표와 모든 기록을 엑셀 통합문서(.xlsx)로 내보냅니다",
    "roster": "입주공간 현황을 PDF(.pdf), 엑셀(.xlsx) 또는 한글(.hwpx)로 내보냅니다",
    "report": "공약 이행 실적 보고서(한 기간, 또는 --from/--to로 여러 반기를 묶은 전체 문서)를 "
              "PDF(.pdf) 또는 한글(.hwpx)로 내보냅니다",
    "tables": "연도별 표만 PDF(.pdf) 또는 한글(.hwpx)로 내보냅니다",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` with its four kinds to main.py's parser."""
    p = subparsers.add_parser("export",
                              help="엑셀·PDF로 내보냅니다 (workbook, roster, report, tables)",
                              description="보고서 표, 입주공간 현황, 실적 보고서를 "
                                          "파일로 내보냅니다.")
    sub = p.add_subparsers(dest="kind", metavar="종류", required=True)
    for kind, help_text in KINDS.items():
        k = sub.add_parser(kind, help=help_text, description=help_text)
        if kind in ("workbook", "tables"):
            k.add_argument("--from", dest="first", required=True, metavar="기간",
                           help="첫 기간: 2018, 2021H1 …")
            k.add_argument("--to", dest="last", required=True, metavar="기간",
                           help="마지막 기간: 2021H1, 2021-11-16 …")
        elif kind == "roster":
            k.add_argument("--as-of", dest="as_of", required=True, metavar="날짜",
                           help="기준일: 2021-12-31")
        else:
            which = k.add_mutually_exclusive_group(required=True)
            which.add_argument("--period", metavar="기간", help="한 기간의 보고서: 2021H2, 2021 …")
            which.add_argument("--from", dest="first", metavar="기간",
                               help="전체 문서의 첫 반기: 2021H1 (--to와 함께)")
            k.add_argument("--to", dest="last", metavar="기간",
                           help="전체 문서의 마지막 반기: 2021H2")
            k.add_argument("--as-of", dest="as_of", metavar="날짜",
                           help="기준일: 2021-11-16 (기본: 설정의 기준일 또는 오늘, "
                                "기간 끝을 넘지 않음)")
            k.add_argument("--template", metavar="FORM.hwpx", default=None,
                           help="보고서를 채울 한글 양식(.hwpx): 표의 '하반기 추진 실적' 같은 "
                                "칸이나 {{추진 실적}} 자리에 넣습니다 (없으면 설정의 양식)")
        k.add_argument("--out", required=True, metavar="FILE", help="만들 파일 경로")
        k.add_argument("--db", dest="db", default=argparse.SUPPRESS, metavar="PATH|URL",
                       help="데이터베이스 파일 경로 또는 URL")
        k.add_argument("--quiet", action="store_true", help="진행 상황을 출력하지 않습니다")
        k.set_defaults(func=run_export)


def _progress(quiet: bool):
    if quiet:
        return None

    def show(done: int, total: int, message: str) -> None:
        print(f"[{done}/{total}] {message}", file=sys.stderr)

    return show


def _day(text: str) -> Period:
    """A 기준일 written as a date; a Korean message for a year or half-year."""
    day = Period.parse(text)
    if day.kind != "asof":
        raise DureError(f"기준일 '{text}'은 날짜로 쓰세요 (예: 2021-12-31).")
    return day


def run_export(args: argparse.Namespace) -> int:
    """Open the database read-only, write the file, print where it went."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from db.session import open_database

    # deferred: main.py builds every command's parser at start; loads when the command runs
    from . import api

    out = Path(args.out).expanduser()
    # Checked before opening the database so a typo fails fast with a clear message.
    allowed = {"roster": (".pdf", ".xlsx", ".hwpx"), "workbook": (".xlsx",)}.get(
        args.kind, (".pdf", ".hwpx"))
    api.check_suffix(out, allowed)
    template = getattr(args, "template", None)
    if template is not None:
        template = Path(template).expanduser()
        if out.suffix.lower() != ".hwpx":
            raise DureError("양식(--template)은 한글 파일(.hwpx)로 내보낼 때만 씁니다. "
                            "--out을 .hwpx로 끝내세요.")
    if args.kind in ("workbook", "tables"):
        first, last = Period.parse(args.first), Period.parse(args.last)
    elif args.kind == "roster":
        day = _day(args.as_of)
    else:
        if args.first is not None and args.last is None:
            raise DureError("전체 문서는 --from과 --to를 함께 쓰세요 (예: "
                            "--from 2021H1 --to 2021H2).")
        if args.period is not None and args.last is not None:
            raise DureError("--to는 --from과 함께 씁니다. 한 기간이면 --period만 쓰세요.")
        period = Period.parse(args.period or args.first)
        to = Period.parse(args.last) if args.last else None
        as_of = _day(args.as_of).end if args.as_of else None
    database = open_database(getattr(args, "db", None), read_only=True)
    progress = _progress(args.quiet)
    try:
        if args.kind == "workbook":
            api.export_workbook(database, first, last, out, progress)
        elif args.kind == "tables":
            api.export_tables(database, first, last, out, progress)
        elif args.kind == "roster":
            api.export_roster(database, day.end, out, progress)
        else:
            api.export_report(database, period, out, progress, last=to,
                              as_of=as_of, template=template, outcome=print)
    finally:
        database.close()
    print(f"내보냈습니다: {out}")
    return 0
