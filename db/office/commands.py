"""`main.py transfer` (and `main.py users`): the shared-office commands, output in Korean."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..errors import DureError


def add_transfer(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("transfer", help="데이터베이스 전체를 다른 데이터베이스로 옮깁니다 "
                                        "(SQLite ↔ PostgreSQL)",
                       description="원본(--db 또는 기본 데이터베이스)의 모든 표와 기록, 변경 이력, "
                                   "휴지통을 빈 대상 데이터베이스로 한 트랜잭션에 복사하고 표마다 "
                                   "기록 수를 비교합니다.")
    p.add_argument("--to", required=True, metavar="URL|FILE",
                   help="대상: postgresql+psycopg://사용자@서버/DB 또는 새 SQLite 파일 경로")
    p.set_defaults(func=run_transfer)


def run_transfer(args: argparse.Namespace) -> int:
    # deferred: main.py builds every command's parser at start; loads when the command runs
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


def add_users(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("users",
                       help="공유 서버의 사용자와 역할(열람·입력·관리)을 관리합니다 (PostgreSQL)",
                       description="서버 데이터베이스에 역할과 권한을 만들고(setup), "
                                   "직원마다 로그인을 만듭니다. 권한은 서버가 직접 지킵니다. "
                                   "비밀번호는 입력 받으며 명령줄에 쓰지 않습니다.")
    act = p.add_subparsers(dest="action", metavar="작업", required=True)
    act.add_parser("setup",
                   help="역할·권한·행 보안·이력 트리거를 만듭니다 (데이터베이스 소유자가 실행)")
    act.add_parser("list", help="사용자 목록")
    add = act.add_parser("add", help="사용자를 추가합니다")
    add.add_argument("login", help="로그인 이름 (영문·숫자)")
    add.add_argument("--name", required=True, help="이름 (이력에 남는 이름)")
    add.add_argument("--dept", default=None, help="부서")
    add.add_argument("--role", required=True, choices=("열람", "입력", "관리"), help="역할")
    role = act.add_parser("role", help="역할을 바꿉니다")
    role.add_argument("login")
    role.add_argument("role", choices=("열람", "입력", "관리"))
    for name, text in (("disable", "로그인을 막습니다 (이력의 이름은 남습니다)"),
                       ("enable", "막은 로그인을 다시 허용합니다"),
                       ("password", "비밀번호를 바꿉니다")):
        act.add_parser(name, help=text).add_argument("login")
    p.set_defaults(func=run_users)


def _ask_password() -> str:
    if not sys.stdin.isatty():  # scripts pipe it in: one line, never an argument
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("새 비밀번호: ")
    if getpass.getpass("한 번 더: ") != first:
        raise DureError("두 비밀번호가 다릅니다. 다시 실행하세요.")
    return first


def run_users(args: argparse.Namespace) -> int:
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..session import open_database
    from . import users

    database = open_database(getattr(args, "db", None))
    try:
        engine = database.engine
        if args.action == "setup":
            users.setup(engine)
            print("사용자 역할과 권한을 만들었습니다 (열람·입력·관리). "
                  "이제 `users add`로 직원을 추가하세요.")
        elif args.action == "list":
            found = users.list_users(engine)
            if not found:
                print("등록된 사용자가 없습니다.")
            for u in found:
                state = "" if u.active else "  (로그인 막음)"
                print(f"{u.login:<16} {u.name:<10} {u.department or '-':<12} {u.role}{state}")
        elif args.action == "add":
            u = users.add_user(engine, args.login, args.name, args.role, _ask_password(), args.dept)
            print(f"사용자를 추가했습니다: {u.login} ({u.label}, {u.role})")
        elif args.action == "role":
            users.set_role(engine, args.login, args.role)
            print(f"{args.login}의 역할을 {args.role}(으)로 바꿨습니다.")
        elif args.action in ("disable", "enable"):
            users.set_active(engine, args.login, args.action == "enable")
            print(f"{args.login}의 로그인을 "
                  f"{'허용했' if args.action == 'enable' else '막았'}습니다.")
        elif args.action == "password":
            users.set_password(engine, args.login, _ask_password())
            print(f"{args.login}의 비밀번호를 바꿨습니다.")
    finally:
        database.close()
    return 0


def is_server(args: argparse.Namespace) -> bool:
    """Whether `--db` (or DURE_DATABASE_URL) names a PostgreSQL server database."""
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from sqlalchemy.engine import make_url

    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..session import resolve_url

    return make_url(resolve_url(getattr(args, "db", None))).get_backend_name() == "postgresql"


def run_pg_backup(args: argparse.Namespace) -> int:
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..safety.shown import describe_counts, human_size
    from ..session import resolve_url
    from .pg_backup import backup_to

    info = backup_to(resolve_url(getattr(args, "db", None)), Path(args.out))
    kind = "pg_dump" if info.path.suffix == ".dump" else "두레 형식(SQLite 파일)"
    print(f"서버 데이터베이스를 백업했습니다 ({kind}): {info.path}")
    print(f"  크기: {human_size(info.size)}  ·  기록 {info.total:,}건")
    print(f"  내용: {describe_counts(info.record_counts)}")
    return 0


def run_pg_restore(args: argparse.Namespace) -> int:
    # deferred: main.py builds every command's parser at start; loads when the command runs
    from ..safety.backup import list_backups
    from ..safety.shown import print_backups
    from ..session import resolve_url
    from .pg_backup import restore, stem_of

    url = resolve_url(getattr(args, "db", None))
    if args.list:
        backups = list_backups(stem=stem_of(url))
        if backups:
            print_backups(backups)
        else:
            print("이 서버 데이터베이스의 자동 백업이 아직 없습니다.")
        return 0
    if not args.file:
        raise DureError("복원할 백업 파일을 지정하세요 (목록은 `main.py restore --list`).")
    if not args.yes:
        print(f"백업: {args.file}\n복원하면: 서버 데이터베이스의 기록을 모두 이 백업의 "
              "기록으로 바꿉니다(먼저 현재 상태를 자동 백업). 실제로 복원하려면 --yes를 붙여 "
              "다시 실행하세요.")
        return 0
    before = restore(url, Path(args.file))
    print(f"복원했습니다: {args.file} → 서버 데이터베이스\n복원 전 상태는 여기에 "
          f"백업했습니다: {before}")
    return 0


SUBCOMMANDS = (add_transfer, add_users)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for add in SUBCOMMANDS:
        add(subparsers)
