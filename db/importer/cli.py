"""`main.py import FILE.xlsx [--sheet NAME] [--entity KEY] [--map 열=항목] [--yes]`.

Prints the preview; writes only with --yes, and then every row or none. Exit codes: 0 done (or
a clean preview), 1 rows were rejected (nothing written), 2 the file itself was refused.
"""

from __future__ import annotations

import argparse

from ..errors import DureError


def add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `import` subcommand."""
    p = sub.add_parser("import", help="Excel·CSV 파일의 기록을 가져옵니다 (미리보기, --yes로 실행)",
                       description="두레가 내보낸 통합 문서의 자료 시트(고친 뒤 다시 가져오기) "
                                   "또는 열을 항목에 연결한 시트를 가져옵니다. "
                                   "--yes가 없으면 미리보기만 합니다.")
    p.add_argument("file", metavar="FILE.xlsx",
                   help="가져올 Excel 통합 문서 (.xls, 웹 페이지·탭 구분 .xls, "
                        "CP949·UTF-8 CSV도 가능)")
    p.add_argument("--sheet", metavar="NAME",
                   help="이 시트만 가져옵니다 (기본: 두레 자료 시트 전부)")
    p.add_argument("--entity", metavar="KEY",
                   help="시트를 가져올 대상 (organization, 기업, finance_payment, 지급 …)")
    p.add_argument("--map", action="append", default=[], metavar="열=항목",
                   help="열 제목을 항목(필드 키)에 연결합니다. "
                        "여러 번 쓸 수 있습니다 (예: 업체명=name)")
    p.add_argument("--yes", action="store_true", help="미리보기가 깨끗하면 실제로 가져옵니다")
    p.set_defaults(func=run_import)


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        head, sep, key = pair.partition("=")
        if not sep or not head.strip() or not key.strip():
            raise DureError(f"--map '{pair}'은(는) '열 제목=항목' 형식이어야 합니다 "
                            "(예: 업체명=name).")
        out[head.strip()] = key.strip()
    return out


def run_import(args: argparse.Namespace) -> int:
    """Preview, and with --yes commit, one workbook."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..session import open_database
    from . import commit, preview

    database = open_database(getattr(args, "db", None))
    try:
        p = preview(database, args.file, _mapping(args.map), sheet=args.sheet, entity=args.entity)
        print("\n".join(p.lines()))
        if not p.ok:
            print("\n" + p.refusal())
            return 1
        if not args.yes:
            print(f"\n미리보기만 했습니다. {p.writes:,}행을 실제로 가져오려면 --yes를 붙여 "
                  "다시 실행하세요.")
            return 0
        if p.writes == 0:
            print("\n가져올 새 기록이나 변경이 없습니다.")
            return 0
        written = commit(database, p)
        print(f"\n가져왔습니다: {written:,}행 (한 번에 저장, 변경 이력에 '가져오기'로 기록)")
        return 0
    finally:
        database.close()
