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
    "transfer": "db.office.commands",
    "users": "db.office.commands",
}


# argparse's own words, in Korean (it looks `_` up in its module at call time).
_ARGPARSE_KO = {
    "usage: ": "사용법: ",
    "positional arguments": "위치 인자",
    "options": "옵션",
    "show this help message and exit": "이 도움말을 보이고 마칩니다",
    "the following arguments are required: %s": "다음 인자가 필요합니다: %s",
    "unrecognized arguments: %s": "알 수 없는 인자: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "잘못된 선택 %(value)r (가능한 값: %(choices)s)",
    "expected one argument": "값이 하나 필요합니다",
    "invalid %(type)s value: %(value)r": "잘못된 값: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 오류: %(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_KO.get(text, text)  # type: ignore[attr-defined]


class _VersionAction(argparse.Action):
    """`--version`: the version read only when asked (the window starts without reading
    pyproject.toml)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        # deferred: tomllib and pyproject.toml are read only for --version (start-up)
        from db.version import describe

        print(describe())  # to stdout, as argparse's own version action
        parser.exit()


def build_parser(commands: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="두레 — 사회적경제 지원사업 실적관리. 하위 명령 없이 실행하면 창을 엽니다.",
    )
    parser.add_argument("--db", metavar="PATH|URL",
                        help="데이터베이스 파일 경로 또는 SQLAlchemy URL "
                             "(기본: 사용자 데이터 폴더)")
    parser.add_argument("--demo", action="store_true",
                        help="데모 기록을 담은 새 임시 데이터베이스로 창을 엽니다")
    parser.add_argument("--version", action=_VersionAction,
                        help="두레의 버전과 빌드 날짜를 보이고 마칩니다")
    sub = parser.add_subparsers(dest="command", metavar="명령")
    seen: set[str] = set()
    for name in commands:
        module_name = COMMAND_MODULES[name]
        if module_name in seen:
            continue
        module = importlib.import_module(module_name)
        seen.add(module_name)
        module.register(sub)
    for subparser in sub.choices.values():
        # `main.py demo --db X` works as well as `main.py --db X demo`.
        if not any("--db" in a.option_strings for a in subparser._actions):
            subparser.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS,
                                   help="데이터베이스 파일 경로 또는 SQLAlchemy URL")
    return parser


def _log_unexpected(exc: BaseException) -> str:
    """Write the traceback to dure.log in the data folder; return where it went."""
    # deferred: only on an unexpected error
    import traceback

    try:
        # deferred: only on an unexpected error
        from db.paths import data_dir

        log = data_dir() / "dure.log"
        with open(log, "a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return str(log)
    except OSError:
        return "(기록 실패)"


def _commands(argv: list[str]) -> list[str]:
    """The subcommands named in `argv` (none: the window)."""
    return [a for a in argv if a in COMMAND_MODULES]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for name in ("stdout", "stderr"):  # the frozen window app (no console) has neither
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    os.environ.setdefault("LANG", "C.UTF-8")
    wanted = _commands(argv)
    if not wanted and not any(a in ("-h", "--help") for a in argv):
        parser = build_parser([])
        args = parser.parse_args(argv)
        # deferred: a command-line run never loads Qt (start-up)
        from gui.app import run_gui

        return run_gui(db=args.db, demo=args.demo)
    parser = build_parser(wanted if wanted else list(COMMAND_MODULES))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    # deferred: the window's start and --help load no database code (start-up)
    from db.errors import DureError

    try:
        return int(args.func(args) or 0)
    except DureError as exc:
        print(f"오류: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("중단했습니다.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the clerk sees Korean, the log keeps the details
        where = _log_unexpected(exc)
        print(f"오류: 예상하지 못한 문제로 작업을 마치지 못했습니다 ({type(exc).__name__}: "
              f"{exc}).\n자세한 내용은 {where} 에 기록했습니다. 저장된 기록은 바뀌지 않았습니다.",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    code = main()
    if _commands(sys.argv[1:]):
        # a command is done and its process about to end: the interpreter's last collection
        # need not walk what it loaded (gc.freeze; exit handlers still run, the database is
        # closed). `check` at 100,000 records: 1093 -> 950 ms, median of 16 runs alternated.
        import gc

        gc.freeze()
    sys.exit(code)
