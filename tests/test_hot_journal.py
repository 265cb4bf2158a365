"""Issue 11 (2): a restore killed halfway leaves a hot journal; Dure plays it back, not refuses.

The files are caught in the middle of a real restore (SQLite's backup API writing into the
live file, a snapshot of file and journal taken between two steps): exactly what `kill -9`
leaves. Before the fix the integrity check opened it with immutable=1, ignored the journal
and called the file damaged on every later open.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db.errors import DatabaseDamaged
from db.models import Organization
from db.safety import integrity
from db.safety.backup import backup_to
from db.session import open_database
from tests.db_helpers import row_count, save_all


def _names(database) -> list[str]:
    with database.session() as s:
        return sorted(o.name for o in s.query(Organization))


def _killed_restore(tmp_path: Path) -> tuple[Path, list[str]]:
    """A database with 40 enterprises caught mid-restore of a 300-enterprise backup."""
    other = open_database(tmp_path / "other" / "dure.sqlite")
    save_all(other, [Organization(name=f"백업기업{i:03d}", kind="협동조합", business="가" * 2000)
                     for i in range(300)])
    backup = backup_to(other, tmp_path / "backup.sqlite").path
    other.close()
    live_db = open_database(tmp_path / "live" / "dure.sqlite")
    save_all(live_db, [Organization(name=f"현재기업{i:02d}", kind="협동조합") for i in range(40)])
    names = _names(live_db)
    live = live_db.path
    live_db.close()
    victim = tmp_path / "victim" / "dure.sqlite"
    victim.parent.mkdir()
    source = sqlite3.connect(backup)
    dest = sqlite3.connect(live)
    dest.execute("PRAGMA journal_mode=DELETE")
    dest.execute("PRAGMA cache_size=5")  # pages spill into the file before the commit
    taken = []

    def snapshot(_status, remaining, total):
        if not taken and total - remaining > total // 2:
            shutil.copyfile(live, victim)
            shutil.copyfile(f"{live}-journal", f"{victim}-journal")
            taken.append(True)

    source.backup(dest, pages=4, progress=snapshot)
    source.close()
    dest.close()
    assert taken
    return victim, names


def test_a_hot_journal_from_a_killed_restore_is_rolled_back_and_the_data_is_intact(tmp_path):
    victim, names = _killed_restore(tmp_path)
    # what the old check saw: the file on its own (the journal ignored) is not a sound database
    alone = tmp_path / "alone.sqlite"
    shutil.copyfile(victim, alone)
    assert integrity.inspect_file(alone).kind != "ok"
    before = victim.read_bytes()
    check = integrity.inspect_file(victim)  # judging writes nothing
    assert (check.kind, check.hot_journal) == ("ok", True)
    assert victim.read_bytes() == before and integrity.hot_journal(victim) is not None
    database = open_database(victim)
    try:
        assert _names(database) == names  # the old data, all of it
        assert row_count(database, Organization) == 40
    finally:
        database.close()
    assert integrity.hot_journal(victim) is None
    assert integrity.inspect_file(victim, full=True).kind == "ok"


def test_a_damaged_file_with_a_journal_is_refused_and_left_as_it_is(tmp_path):
    victim = _killed_restore(tmp_path)[0]
    journal = Path(f"{victim}-journal")
    with open(journal, "r+b") as fh:  # the old pages themselves are garbage: no sound rollback
        fh.seek(512)
        fh.write(b"\xa5" * (journal.stat().st_size - 512))
    before = (victim.read_bytes(), journal.read_bytes())
    check = integrity.inspect_file(victim)
    assert check.kind == "damaged" and check.hot_journal
    with pytest.raises(DatabaseDamaged):
        open_database(victim)
    assert (victim.read_bytes(), journal.read_bytes()) == before  # refused, nothing written
