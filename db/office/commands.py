"""`main.py transfer` (and `main.py users`): the shared-office commands, output in Korean."""

from __future__ import annotations

import argparse


def add_transfer(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transfer", help="데이터베이스 전체를 다른 데이터베이스로 옮깁니다 (SQLite ↔ PostgreSQL)",
                       description="원본(--db 또는 기본 데이터베이스)의 모든 표와 기록, 변경 이력, 휴지통을 "
                                   "빈 대상 데이터베이스로 한 트랜잭션에 복사하고 표마다 기록 수를 비교합니다.")
    p.add_argument("--to", required=True, metavar="URL|FILE",
                   help="대상: postgresql+psycopg://사용자@서버/DB 또는 새 SQLite 파일 경로")
    p.set_defaults(func=run_transfer)


def run_transfer(args: argparse.Namespace) -> int:
    from ..naming import table_labels
    from ..session import resolve_url
    from .transfer import transfer

    result = transfer(resolve_url(getattr(args, "db", None)), args.to)
    labels = table_labels()
    print(f"옮겼습니다: {result.source} → {result.target}")
    print(f"  기록 {result.total:,}건, 표 {len(result.counts)}개 모두 기록 수가 같습니다.")
    for table, n in result.counts.items():
        if n:
            print(f"  {labels.get(table, table)}: {n:,}건")
    return 0


SUBCOMMANDS = (add_transfer,)


def register(subparsers: argparse._SubParsersAction) -> None:
    for add in SUBCOMMANDS:
        add(subparsers)
