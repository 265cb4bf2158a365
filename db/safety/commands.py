"""`main.py backup` and `main.py restore` (and, from the import work, `main.py import`).

Each subcommand is one `add_<name>(subparsers)` function that builds its parser and sets
`func=`; `register` calls them all, so a new subcommand is one more function in SUBCOMMANDS.
Output is Korean; problems raise DureError (main prints it and exits 2).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..errors import DureError
from .shown import describe_counts, human_size, print_backups

# ---- backup -------------------------------------------------------------------------------

def add_backup(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="데이터베이스를 파일 하나로 백업합니다 (SQLite)",
                       description="사용 중인 데이터베이스도 안전하게(SQLite 온라인 백업) "
                                   "복사하고 검사합니다.")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="백업 파일을 쓸 경로 (예: D:/두레백업.sqlite)")
    p.set_defaults(func=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    """Write a verified backup to --out and print its path, size and record count."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..office import commands as office
    from .backup import backup_to

    if office.is_server(args):  # PostgreSQL: db/office/pg_backup.py
        return office.run_pg_backup(args)
    info = backup_to(getattr(args, "db", None), Path(args.out))
    print(f"백업했습니다: {info.path}")
    print(f"  크기: {human_size(info.size)}  ·  기록 {info.total:,}건  ·  스키마 {info.revision}")
    print(f"  내용: {describe_counts(info.record_counts)}")
    return 0


# ---- restore ------------------------------------------------------------------------------

def add_restore(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("restore", help="백업에서 복원합니다 (--list: 자동 백업 목록)",
                       description="FILE만 주면 무엇이 바뀌는지 보여 주기만 하고, --yes를 붙이면 "
                                   "현재 상태를 먼저 백업한 뒤 복원합니다. 두레 창은 닫아 두세요.")
    p.add_argument("file", nargs="?", metavar="FILE", help="복원할 백업 파일")
    p.add_argument("--yes", action="store_true", help="확인 없이 실제로 복원합니다")
    p.add_argument("--list", action="store_true",
                   help="자동 백업 목록(날짜, 이유, 기록 수)을 보여 줍니다")
    p.set_defaults(func=run_restore)


def run_restore(args: argparse.Namespace) -> int:
    """List backups, preview a restore, or (with --yes) do it."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..office import commands as office
    from .backup import list_backups, read_info, source_path
    from .restore import restore

    if office.is_server(args):  # PostgreSQL: db/office/pg_backup.py
        return office.run_pg_restore(args)
    target = source_path(getattr(args, "db", None))  # DureError for PostgreSQL
    if args.list:
        backups = list_backups(of=target)
        if not backups:
            print("자동 백업이 아직 없습니다.")
            return 0
        print_backups(backups)
        return 0
    if not args.file:
        raise DureError("복원할 백업 파일을 지정하세요 (목록은 `main.py restore --list`).")
    backup = Path(args.file)
    if not backup.is_file():
        raise DureError(f"백업 파일 '{backup}'이(가) 없습니다. 경로를 확인하세요.")
    info = read_info(backup)
    if info.problem:
        raise DureError(f"'{backup}'은(는) 복원할 수 없는 파일입니다: {info.problem}")
    if not args.yes:
        print(f"백업: {backup}")
        print(f"  날짜: {info.taken_at:%Y-%m-%d %H:%M}  ·  기록 {info.total:,}건  ·  "
              f"스키마 {info.revision}")
        print(f"  내용: {describe_counts(info.record_counts)}")
        if target.exists() and target.stat().st_size:
            now = read_info(target)
            what = now.problem or f"기록 {now.total:,}건 ({describe_counts(now.record_counts)})"
            print(f"현재 데이터베이스: {target}\n  {what}")
        print("복원하면: 현재 상태를 자동 백업(복원 전)으로 남긴 뒤, "
              "데이터베이스 내용을 이 백업으로 바꿉니다.")
        print("실제로 복원하려면 --yes를 붙여 다시 실행하세요 (두레 창은 닫아 두세요).")
        return 0
    saved = restore(target, backup)
    print(f"복원했습니다: {target} ← {backup} (기록 {info.total:,}건)")
    if saved:
        print(f"복원 전 상태는 여기에 백업했습니다: {saved}")
    return 0


def add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`main.py import` lives with the importer (db/importer/cli.py)."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..importer.cli import add_import as add

    add(sub)


SUBCOMMANDS: tuple[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    add_backup, add_restore, add_import)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add every subcommand of this module to main.py's parser."""
    for add in SUBCOMMANDS:
        add(subparsers)
