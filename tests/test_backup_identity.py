"""Issue 11 (1): backups belong to a database (an identity inside it), not to a file name.

Before: two databases both called dure.sqlite shared one set of backups; opening B ten times
rotated A's away, and when A was damaged Dure offered B's backup.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from db import service
from db.errors import DatabaseDamaged, NotADureDatabase
from db.models import Organization
from db.safety import backup as B
from db.safety.identity import identity_of, read_identity
from db.safety.restore import restore
from db.session import open_database


def _make(folder: Path, n: int) -> Path:
    database = open_database(folder / "dure.sqlite")
    for i in range(n):
        service.save(database, Organization(name=f"{folder.name}기업{i:02d}", kind="협동조합"))
    path = database.path
    database.close()
    return path


def _start(path: Path) -> Path | None:
    database = open_database(path)
    try:
        return B.startup_backup(database)
    finally:
        database.close()


def _damage(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.seek(4096)
        fh.write(b"\xff" * 4096 * 3)


def test_every_database_has_its_own_identity_kept_by_its_backups(tmp_path):
    a, b = _make(tmp_path / "A", 2), _make(tmp_path / "B", 1)
    ia, ib = read_identity(a), read_identity(b)
    assert ia and ib and ia != ib
    assert read_identity(_start(a)) == ia


def test_two_same_named_databases_keep_and_are_offered_only_their_own_backups(tmp_path):
    a, b = _make(tmp_path / "A", 34), _make(tmp_path / "B", 1)
    own = _start(a)
    for _ in range(12):  # more than KEEP_LAST backups of B, in the same backups folder
        _start(b)
    assert own.exists()  # before: rotated away by B's backups
    assert [p for p, _w, _r in B.backups_of(a)] == [own]
    assert all(read_identity(p) == read_identity(b) for p, _w, _r in B.backups_of(b))
    assert {i.path for i in B.list_backups(of=a)} == {own}
    _damage(a)
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(a)
    assert caught.value.suggested_backup == own  # before: B's newest (1 enterprise)
    assert B.read_info(own).record_counts["organization"] == 34


def test_a_database_too_damaged_to_read_finds_its_backups_by_the_remembered_identity(tmp_path):
    a, b = _make(tmp_path / "A", 3), _make(tmp_path / "B", 1)
    own = _start(a)
    _start(b)
    ident = read_identity(a)
    with open(a, "r+b") as fh:
        fh.write(b"\0" * 200_000)  # the identity inside cannot be read any more
    assert read_identity(a) is None and identity_of(a) == ident
    with pytest.raises(NotADureDatabase) as caught:
        open_database(a)
    assert caught.value.suggested_backup == own


def test_a_file_of_unknown_identity_is_offered_no_other_databases_backup(tmp_path):
    b = _make(tmp_path / "B", 1)
    _start(b)
    stranger = tmp_path / "C" / "dure.sqlite"  # same name, never opened by Dure
    stranger.parent.mkdir()
    stranger.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + b"\xff" * 5000)
    with pytest.raises(Exception) as caught:
        open_database(stranger)
    assert getattr(caught.value, "suggested_backup", None) is None


def test_a_restore_keeps_the_files_own_identity(tmp_path):
    a, b = _make(tmp_path / "A", 2), _make(tmp_path / "B", 5)
    ia = read_identity(a)
    other = _start(b)
    restore(a, other)
    assert read_identity(a) == ia
    database = open_database(a)
    try:
        with database.session() as s:
            assert s.query(Organization).count() == 5
    finally:
        database.close()
    assert all(read_identity(p) == ia for p, _w, _r in B.backups_of(a))
