"""Dure (두레) entry point: opens the desk window, or runs a headless subcommand.

    uv run main.py                 # the window, on the database in the user's data folder
    uv run main.py --demo          # the window, on a fresh temporary database with the demo records
    uv run main.py --db FILE|URL   # another database (also DURE_DATABASE_URL)
    uv run main.py demo|check|export|import|backup|restore --help
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Subcommand modules; each has `register(subparsers)` and sets `func` on its parser. Imported
# only when a subcommand is asked for, so the window starts without loading SQLAlchemy first.
COMMAND_MODULES = {
    "demo": "db.commands",
    "check": "db.commands",
    "export": "exports.commands",
    "import": "db.safety.commands",
    "backup": "db.safety.commands",
    "restore": "db.safety.commands",
}


def build_parser(commands: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="두레 — 사회적경제 지원사업 실적관리. 하위 명령 없이 실행하면 창을 엽니다.",
    )
    parser.add_argument("--db", metavar="PATH|URL",
                        help="데이터베이스 파일 경로 또는 SQLAlchemy URL (기본: 사용자 데이터 폴더)")
    parser.add_argument("--demo", action="store_true",
                        help="데모 기록을 담은 새 임시 데이터베이스로 창을 엽니다")
    sub = parser.add_subparsers(dest="command", metavar="명령")
    seen: set[str] = set()
    for name in commands:
        module_name = COMMAND_MODULES[name]
        if module_name in seen:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue  # a later issue brings it
        seen.add(module_name)
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("LANG", "C.UTF-8")
    wanted = [a for a in argv if a in COMMAND_MODULES]
    if not wanted and not any(a in ("-h", "--help") for a in argv):
        parser = build_parser([])
        args = parser.parse_args(argv)
        from gui.app import run_gui

        return run_gui(db=args.db, demo=args.demo)
    parser = build_parser(list(COMMAND_MODULES) if not wanted else wanted)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from db.errors import DureError

    try:
        return int(args.func(args) or 0)
    except DureError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("중단했습니다.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
