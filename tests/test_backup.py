"""Backups and restore: verified atomic copies, rotation, listing, restore, the CLI."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from db import service
from db.errors import DatabaseInUse, DatabaseTooNew, DureError, NotADureDatabase
from db.models import Education, Organization
from db.safety import backup as B
from db.safety import restore as R
from db.session import open_database
from tests import zygote

ROOT = Path(__file__).resolve().parent.parent


def _orgs(database) -> list[str]:
    with database.session() as s:
        return sorted(o.name for o in s.query(Organization))


def _fill(database, names=("㈜마을숲", "두레협동조합")) -> None:
    for n in names:
        service.save(database, Organization(name=n, kind="협동조합"))


def test_backup_of_open_database_holds_its_records(db, tmp_path):
    _fill(db)  # still in the WAL of the open database: the backup API must see it
    (tmp_path / "out").mkdir()
    info = B.backup_to(db, tmp_path / "out" / ".." / "copy.sqlite")
    assert info.path == tmp_path / "copy.sqlite"
    assert info.record_counts["organization"] == 2 and info.total == 2
    assert info.size == info.path.stat().st_size
    assert not list(tmp_path.glob(".copy.sqlite*"))  # no temporary left
    assert not Path(f"{info.path}-wal").exists()  # a single self-contained file
    copy = open_database(info.path, read_only=True)
    try:
        assert _orgs(copy) == _orgs(db)
    finally:
        copy.close()


def test_backup_refuses_the_source_itself_and_missing_folders(db, tmp_path):
    with pytest.raises(DureError, match="원본"):
        B.backup_to(db, db.path)
    with pytest.raises(DureError, match="폴더가 없습니다"):
        B.backup_to(db, tmp_path / "nope" / "x.sqlite")


def test_postgres_is_sent_to_pg_dump(tmp_path):
    with pytest.raises(DureError, match="pg_dump"):
        B.backup_to("postgresql://clerk@localhost/dure", tmp_path / "x.sqlite")
    with pytest.raises(DureError, match="pg_dump"):
        R.restore("postgresql://clerk@localhost/dure", tmp_path / "x.sqlite")


def _backup_in_child(src: Path, dest: Path,
                     limit: int | None = None) -> subprocess.CompletedProcess:
    """backup_to in a child process (optionally with a file-size limit); exit 3 on DureError."""
    code = textwrap.dedent(f"""
        import resource, signal, sys
        if {limit!r}:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, ({limit!r}, {limit!r}))
        from db.errors import DureError
        from db.safety.backup import backup_to
        try:
            backup_to({str(src)!r}, {str(dest)!r})
        except DureError as exc:
            print(exc)
            sys.exit(3)
    """)
    # its own process (forked by the tests' zygote), so its file-size limit is its own
    return zygote.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                      check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE is a Linux stand-in")
def test_write_failure_halfway_leaves_no_half_file(db, tmp_path):
    _fill(db, [f"기업{i}" for i in range(50)])
    dest = tmp_path / "limited" / "b.sqlite"
    dest.parent.mkdir()
    db.close()
    run = _backup_in_child(db.path, dest, limit=60_000)  # writes past 60 kB fail
    assert run.returncode == 3, run.stderr
    assert "디스크" in run.stdout and "반쯤 쓴 파일은 지웠습니다" in run.stdout
    assert list(dest.parent.iterdir()) == []


@pytest.fixture
def small_mount(tmp_path):
    """A 200 kB tmpfs (needs root and mount rights; skipped elsewhere)."""
    point = tmp_path / "mnt"
    point.mkdir()

    def mount(*opts: str) -> Path:
        opts = opts if any(o.startswith("size=") for o in opts) else ("size=200k", *opts)
        run = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(opts),
                              "tmpfs", str(point)], capture_output=True, check=False)
        if run.returncode:
            pytest.skip("cannot mount a small tmpfs here")
        return point

    yield mount
    subprocess.run(["umount", str(point)], capture_output=True, check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_full_disk_says_so_and_leaves_nothing(db, small_mount):
    _fill(db, [f"기업{i}" for i in range(50)])  # the database is ~400 kB, the disk 200 kB
    point = small_mount()
    db.close()
    run = _backup_in_child(db.path, point / "b.sqlite")
    assert run.returncode == 3, run.stderr
    assert "디스크 공간이 부족합니다" in run.stdout
    assert list(point.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_read_only_mount_says_no_permission(db, small_mount):
    point = small_mount("ro")
    with pytest.raises(DureError, match="폴더에 쓸 권한이 없습니다"):
        B.backup_to(db, point / "b.sqlite")


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_full_disk_while_saving_records_says_so_and_keeps_what_was_saved(small_mount):
    from db.safety.integrity import quick_check

    point = small_mount("size=4m")
    database = open_database(point / "full.sqlite")
    saved = 0
    try:
        with pytest.raises(DureError, match="디스크 공간이 부족해 저장하지 못했습니다"):
            for i in range(500):
                service.save(database,
                             Organization(name=f"기업{i}", kind="기타", note="가" * 20_000))
                saved += 1
        assert saved > 0
        with database.session() as s:
            assert s.query(Organization).count() == saved
    finally:
        database.close()
    assert quick_check(point / "full.sqlite") == []


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_database_on_read_only_medium_opens_for_writing_with_a_message(db, small_mount):
    _fill(db)
    point = small_mount("size=2m")
    B.backup_to(db, point / "copy.sqlite")
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    # issue 11 (4): opens read-only instead of failing, as the old message promised
    opened = open_database(point / "copy.sqlite")
    try:
        assert opened.read_only and len(_orgs(opened)) == 2
    finally:
        opened.close()
    viewer = open_database(point / "copy.sqlite", read_only=True)  # a backup: no WAL needed
    try:
        assert len(_orgs(viewer)) == 2
    finally:
        viewer.close()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_read_only_folder_is_explained(db, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(DureError, match="폴더에 쓸 권한이 없습니다"):
            B.backup_to(db, folder / "b.sqlite")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_write_errors_get_korean_messages(tmp_path):
    assert "디스크 공간이 부족합니다" in str(B._write_error(OSError(28, "No space left"), tmp_path))
    assert "권한이 없습니다" in str(B._write_error(PermissionError(13, "denied"), tmp_path))


def _month_newest(items):
    best = {}
    for p, when in items:
        key = (when.year, when.month)
        if key not in best or when > best[key][1]:
            best[key] = (p, when)
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=dt.datetime(2020, 1, 1),
                             max_value=dt.datetime(2024, 12, 31)),
                min_size=0, max_size=60, unique=True))
def test_rotation_keeps_last_ten_and_one_per_month(times):
    items = [(Path(f"b{i}.sqlite"), t) for i, t in enumerate(times)]
    deleted = set(B.plan_rotation(items))
    kept = {p for p, _ in items} - deleted
    newest_first = sorted(items, key=lambda t: t[1], reverse=True)
    assert {p for p, _ in newest_first[:10]} <= kept
    if not items:
        return
    now = newest_first[0][1]
    in_window = {k: v for k, v in _month_newest(items).items()
                 if 0 <= (now.year * 12 + now.month) - (k[0] * 12 + k[1]) < 12}
    assert {p for p, _ in in_window.values()} <= kept
    assert len(kept) <= 10 + len(in_window)
    assert deleted <= {p for p, _ in items}


def test_rotation_over_two_years_of_daily_backups():
    start = dt.datetime(2024, 1, 1, 9)
    items = [(Path(f"d{i}"), start + dt.timedelta(days=i)) for i in range(730)]
    kept = sorted({p for p, _ in items} - set(B.plan_rotation(items)),
                  key=lambda p: int(p.name[1:]))
    # 10 newest days (Dec 22–31, 2025) + the newest of Jan–Nov 2025 (Dec already among the 10).
    assert len(kept) == 10 + 11
    assert kept[-1] == Path("d729")


def test_automatic_backups_are_named_listed_and_rotated(db, tmp_path):
    _fill(db)
    paths = [B.automatic_backup(db, "start") for _ in range(12)]
    assert len(set(paths)) == 12  # same second: numbered, never overwritten
    assert all(p.parent == tmp_path / "data" / "backups" for p in paths)
    listed = B.list_backups()
    assert len(listed) == 10  # all in one month: only the last ten stay
    assert {b.path for b in listed} == set(paths[-10:])
    assert all(b.reason == "start" and b.record_counts["organization"] == 2 for b in listed)
    assert all(b.revision and b.problem is None for b in listed)


def test_listing_reads_backups_without_touching_them(db):
    _fill(db)
    path = B.automatic_backup(db, "migration")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    (info,) = B.list_backups()
    assert info.reason_label == "형식 갱신 전" and info.total == 2
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(path.parent.iterdir()) == [path]  # no -wal/-shm/-journal created
    labels = {label for label, _when, _text in R.newest_records(path)}
    assert labels == {"기업"}


def test_startup_backup_skips_empty_database_and_backs_up_records(db):
    assert B.startup_backup(db) is None
    _fill(db)
    made = B.startup_backup(db)
    assert made is not None and made.name.endswith("-start.sqlite")


def test_restore_after_a_bad_edit(db, tmp_path):
    _fill(db)
    service.save(db, Education(course="기초과정", title="사회적경제 첫걸음",
                               start_date=dt.date(2021, 3, 2)))
    good = B.automatic_backup(db, "start")
    with db.engine.begin() as conn:  # the bad edit: every enterprise renamed
        conn.execute(text("UPDATE organization SET name = '잘못'"))
    path = db.path
    db.close()  # the caller closes every connection first
    saved = R.restore(path, good)
    again = open_database(path)
    try:
        assert _orgs(again) == ["㈜마을숲", "두레협동조합"]
    finally:
        again.close()
    assert saved is not None and saved.name.endswith("-before-restore.sqlite")
    bad_state = open_database(saved, read_only=True)
    try:
        assert _orgs(bad_state) == ["잘못", "잘못"]
    finally:
        bad_state.close()


def test_restore_refuses_while_dure_has_the_file_open(db):
    _fill(db)
    good = B.automatic_backup(db, "start")
    with pytest.raises(DatabaseInUse):
        R.restore(db.path, good)


def test_restore_refuses_newer_and_foreign_files(db, tmp_path):
    _fill(db)
    newer = B.backup_to(db, tmp_path / "newer.sqlite").path
    import sqlite3

    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    path = db.path
    db.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew):
        R.restore(path, newer)
    with pytest.raises(NotADureDatabase):
        R.restore(path, other)
    assert path.read_bytes() == before
    assert not Path(f"{path}.lock").exists()


def test_restore_over_a_damaged_file_keeps_a_copy_of_it(db, tmp_path):
    _fill(db)
    good = B.automatic_backup(db, "start")
    path = db.path
    db.close()
    path.write_bytes(b"\0" * 5000)
    saved = R.restore(path, good)
    assert saved is not None and saved.read_bytes() == b"\0" * 5000
    again = open_database(path)
    try:
        assert len(_orgs(again)) == 2
    finally:
        again.close()


def test_cli_backup_preview_restore_and_list(db, tmp_path, capsys):
    import main

    _fill(db)
    path = db.path
    db.close()
    out = tmp_path / "cli.sqlite"
    assert main.main(["--db", str(path), "backup", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "기록 2건" in printed and "기업 2건" in printed
    before = path.read_bytes()
    assert main.main(["--db", str(path), "restore", str(out)]) == 0
    assert "--yes" in capsys.readouterr().out
    assert path.read_bytes() == before  # the preview changes nothing
    assert main.main(["--db", str(path), "restore", str(out), "--yes"]) == 0
    assert "복원했습니다" in capsys.readouterr().out
    assert main.main(["--db", str(path), "restore", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "복원 전" in listing and "기록 2건" in listing
    assert main.main(["--db", str(path), "restore", str(tmp_path / "missing.sqlite")]) == 2
    assert "오류:" in capsys.readouterr().err


def test_migration_takes_an_automatic_backup_first(tmp_path):
    from db.migrations import runner
    from db.session import make_engine

    base = runner._script().get_base()
    if base == runner.head_revision():
        pytest.skip("only one schema revision so far")
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    runner.upgrade(engine, base)  # a database left at the first schema
    engine.dispose()
    database = open_database(path)
    try:
        assert database.backup_taken is not None
        assert database.backup_taken.name.endswith("-migration.sqlite")
        (info,) = B.list_backups()
        assert info.reason == "migration" and info.revision == base
    finally:
        database.close()
