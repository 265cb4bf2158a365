"""Issue 11 (4): a database on a network share is refused for writing; read-only media open
read-only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from db import service
from db.errors import NetworkDatabase, ReadOnlyDatabase
from db.models import Organization
from db.safety import filesystem
from db.session import open_database

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
//fileserver/share {share} cifs rw,relatime,vers=3.0 0 0
server:/export {nfs} nfs4 rw,relatime 0 0
host:/x {sshfs} fuse.sshfs rw,nosuid 0 0
/dev/sdb1 {usb} vfat ro,relatime 0 0
"""


def _fake_mounts(tmp_path, monkeypatch) -> dict[str, Path]:
    folders = {k: tmp_path / k for k in ("share", "nfs", "sshfs", "usb", "local")}
    for f in folders.values():
        f.mkdir()
    text = MOUNTS.format(**{k: str(v).replace(" ", "\\040") for k, v in folders.items()})
    table = tmp_path / "mounts"
    table.write_text(text, encoding="utf-8")
    monkeypatch.setattr(filesystem, "MOUNTS", str(table))
    return folders


def test_the_mount_table_tells_shares_from_local_disks(tmp_path, monkeypatch):
    folders = _fake_mounts(tmp_path, monkeypatch)
    for kind, fs in (("share", "cifs"), ("nfs", "nfs4"), ("sshfs", "fuse.sshfs")):
        place = filesystem.place_of(folders[kind] / "dure.sqlite")
        assert (place.fs_type, place.network) == (fs, True)
    assert filesystem.place_of(folders["usb"] / "x.sqlite").read_only
    local = filesystem.place_of(folders["local"] / "dure.sqlite")
    assert not local.network and not local.read_only


def test_a_database_on_a_share_is_refused_for_writing_with_a_korean_reason(tmp_path, monkeypatch):
    folders = _fake_mounts(tmp_path, monkeypatch)
    seed = open_database(tmp_path / "seed.sqlite")
    service.save(seed, Organization(name="두레", kind="협동조합"))
    seed.close()
    target = folders["share"] / "dure.sqlite"
    shutil.copyfile(tmp_path / "seed.sqlite", target)
    with pytest.raises(NetworkDatabase, match="네트워크 드라이브") as caught:
        open_database(target)  # before: opened in WAL mode on the share
    assert "PostgreSQL" in str(caught.value) and "복사" in str(caught.value)
    assert not Path(f"{target}.lock").exists() and not Path(f"{target}-wal").exists()
    with pytest.raises(NetworkDatabase):
        open_database(folders["nfs"] / "new.sqlite")  # nor is a new one made there
    assert not (folders["nfs"] / "new.sqlite").exists()
    viewer = open_database(target, read_only=True)
    try:
        with viewer.session() as s:
            assert s.query(Organization).count() == 1
    finally:
        viewer.close()


@pytest.fixture
def read_only_mount(tmp_path):
    """A real read-only file system (a tmpfs remounted ro); needs root, as CI here has."""
    point = tmp_path / "usb"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(point)],
                      capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a file system here (not root)")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def test_a_database_on_read_only_media_opens_read_only(tmp_path, read_only_mount):
    seed = open_database(tmp_path / "seed.sqlite")
    service.save(seed, Organization(name="두레", kind="협동조합"))
    seed.close()
    shutil.copyfile(tmp_path / "seed.sqlite", read_only_mount / "dure.sqlite")
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    database = open_database(read_only_mount / "dure.sqlite")  # before: DatabaseError
    try:
        assert database.read_only
        with database.session() as s:
            assert [o.name for o in s.query(Organization)] == ["두레"]
        with pytest.raises(ReadOnlyDatabase):
            service.save(database, Organization(name="새 기업", kind="협동조합"))
    finally:
        database.close()
