"""Backups of a PostgreSQL database: `main.py backup` / `main.py restore` on a server URL.

Two formats:
- a Dure logical dump (the default): the whole database copied into a new SQLite file by
  db.office.transfer, so the SQLite backup tools read it as they read any backup (record
  counts, schema check, `restore --list`) and automatic backups use the same names and
  rotation (KEEP_LAST plus one per month) in the same folder;
- `pg_dump`'s custom format, for a file ending in `.dump` when pg_dump is installed.
Restoring takes an automatic "before restore" backup first, then replaces every row in one
transaction (logical dump: TRUNCATE and copy back, counts compared; pg_dump file: pg_restore
--single-transaction). The password is passed in the environment (PGPASSWORD), never on a
command line or in a message.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from ..errors import DureError
from ..paths import backup_dir
from ..safety import backup as sb
from ..safety.backup import MAIN_TABLES, BackupInfo, read_info
from ..session import make_engine
from .transfer import _counts, copy_all, transfer

PG_MAGIC = b"PGDMP"


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def stem_of(url: str) -> str:
    """Backup file stem of a server database: 'pg-<database>'."""
    return "pg-" + (make_url(url).database or "dure")


def _env_and_args(url: str) -> tuple[dict[str, str], list[str]]:
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    env.setdefault("PGSSLMODE", str(u.query.get("sslmode", "prefer")))
    args = ["-h", u.host or "localhost", "-p", str(u.port or 5432), "-d", u.database or ""]
    if u.username:
        args += ["-U", u.username]
    return env, args


def backup_to(url: str, dest: Path) -> Any:
    """Write a backup of the server database `url` to `dest`; returns its BackupInfo."""
    dest = Path(dest)
    if dest.exists():
        raise DureError(f"'{dest}' 파일이 이미 있습니다. 덮어쓰지 않았습니다. "
                        "다른 이름을 지정하세요.")
    if dest.suffix == ".dump":
        pg_dump = _tool("pg_dump")
        if pg_dump is None:
            raise DureError("pg_dump가 설치되어 있지 않습니다. 파일 이름을 .sqlite로 끝내면 두레 "
                            "형식으로 백업합니다.")
        env, args = _env_and_args(url)
        dest.parent.mkdir(parents=True, exist_ok=True)
        res = subprocess.run([pg_dump, "-Fc", "--no-owner", "-f", str(dest), *args], env=env,
                             capture_output=True, text=True, check=False)
        if res.returncode != 0:
            dest.unlink(missing_ok=True)
            raise DureError(f"pg_dump가 백업하지 못했습니다: {res.stderr.strip()[:300]}")

        counts = {t: n for t, n in _server_counts(url).items() if t in MAIN_TABLES}
        return BackupInfo(dest, dt.datetime.now(), "manual", dest.stat().st_size, counts, None)
    result = transfer(url, str(dest))
    info = read_info(dest)  # the same check as every SQLite backup (integrity, schema, counts)
    wrong = [t for t, n in info.record_counts.items() if result.counts.get(t) != n]
    if info.problem or wrong:
        dest.unlink(missing_ok=True)
        raise DureError(f"백업 파일 '{dest}'을(를) 검사하지 못했습니다: "
                        f"{info.problem or '기록 수 다름'}")
    return info


def _server_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return _counts(conn)
    finally:
        engine.dispose()


def automatic_backup(url: str, reason: str, *, folder: Path | None = None) -> Path:
    """A logical backup in the backups folder, named and rotated like the SQLite ones."""
    folder = folder or backup_dir()
    stem = stem_of(url)
    now = dt.datetime.now().replace(microsecond=0)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    same = [w.microsecond for _p, w, r in sb.automatic_backups(stem, folder)
            if w.replace(microsecond=0) == now and r == reason]
    n = max(same, default=0) + 1
    dest = folder / (f"{stem}-{stamp}-{reason}.sqlite" if n == 1
                     else f"{stem}-{stamp}-{reason}-{n}.sqlite")
    backup_to(url, dest)
    for old in sb.plan_rotation([(p, w) for p, w, _ in sb.automatic_backups(stem, folder)]):
        old.unlink(missing_ok=True)
    return dest


def restore(url: str, backup: Path) -> Path:
    """Replace the server database's records by the backup's; returns the before-restore backup."""
    backup = Path(backup)
    if not backup.is_file():
        raise DureError(f"백업 파일 '{backup}'이(가) 없습니다. 경로를 확인하세요.")
    with open(backup, "rb") as fh:
        magic = fh.read(5)
    before = automatic_backup(url, "before-restore")
    if magic == PG_MAGIC:
        pg_restore = _tool("pg_restore")
        if pg_restore is None:
            raise DureError("pg_restore가 설치되어 있지 않아 pg_dump 백업을 복원할 수 없습니다.")
        env, args = _env_and_args(url)
        res = subprocess.run([pg_restore, "--clean", "--if-exists", "--single-transaction",
                              "--no-owner", *args, str(backup)], env=env, capture_output=True,
                             text=True, check=False)
        if res.returncode != 0:
            raise DureError("pg_restore가 복원하지 못했습니다(바뀐 것 없음): "
                            f"{res.stderr.strip()[:300]}")
        return before
    info = read_info(backup)
    if info.problem:
        raise DureError(f"'{backup}'은(는) 복원할 수 없는 파일입니다: {info.problem}")
    src = make_engine(f"sqlite:///{backup.resolve()}", read_only=True)
    dest = make_engine(url)
    try:
        with src.connect() as s, dest.begin() as d:
            copy_all(s, d, replace=True)
    finally:
        src.dispose()
        dest.dispose()
    return before
