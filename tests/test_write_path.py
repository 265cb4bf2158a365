"""The one write path (db/service.py): each of Dure's writes — save, delete, revert, trash
restore, emptying the trash, import, demo load, settings — commits through `service.write`,
is logged and announces one typed change set on the bus (db/changes.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from db import service
from db.changes import Change, Op, changes
from db.errors import DureError
from db.importer import commit, preview
from db.models import ChangeLog, Organization, Setting
from db.safety import history, trash
from db.settings import OfficeSettings, load_settings, save_settings, validate_settings
from tests import sources
from tests.db_helpers import row_count
from tests.import_support import header, org_rows, write

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def heard():
    got: list[Change] = []
    changes.subscribe(got.append)
    yield got
    changes.unsubscribe(got.append)


def test_every_write_announces_one_typed_change_set(db, heard, tmp_path):
    me = object()
    org = service.save(db, Organization(name="㈜마을숲", kind="협동조합"), initiator=me)
    service.delete(db, Organization, org.id, initiator=me)
    [item] = trash.list_items(db)
    trash.restore(db, item.id, initiator=me)
    with db.session() as s:
        insert = s.scalars(select(ChangeLog).where(ChangeLog.op == "insert")).first()
    history.revert(db, insert.id, initiator=me)  # the insert undone: to the trash again
    trash.empty(db)
    commit(db, preview(db, write(tmp_path / "orgs.xlsx",
                                 {"기업 목록": [header(Organization), *org_rows(2)]})))
    settings = OfficeSettings(city="고양시")
    save_settings(db, settings, {"LH": "- 임대료 : 없음"}, initiator=me)
    assert [c.op for c in heard] == [Op.SAVE, Op.DELETE, Op.RESTORE, Op.REVERT,
                                     Op.EMPTY_TRASH, Op.IMPORT, Op.SETTINGS]
    save, delete, restore, revert, empty, imported, settings_change = heard
    assert save.tables == {"organization"} and save.ids == (org.id,) and save.initiator is me
    assert delete.tables == {"organization", "trash_item"} and delete.ids == (org.id,)
    assert restore.tables == {"organization", "trash_item"} and restore.ids == (org.id,)
    assert revert.tables == {"organization", "trash_item"} and revert.initiator is me
    assert empty.tables == {"trash_item"} and empty.initiator is None
    assert "organization" in imported.tables
    assert settings_change.tables == {"setting"} and settings_change.initiator is me
    assert all(isinstance(c.op, Op) for c in heard)
    with db.session() as s:
        assert load_settings(s).city == "고양시"
        sources = set(s.scalars(select(ChangeLog.source)))
    assert {"revert", "restore", "import"} <= sources  # logged in the same transactions


def test_the_demo_load_goes_through_the_write_path(db, heard):
    from db.demo import load_demo

    added = load_demo(db)
    [change] = heard
    assert change.op == Op.DEMO and set(added) <= change.tables


def test_the_settings_rule_is_in_db_and_refuses_without_writing(db, heard):
    bad = OfficeSettings(report_title=" ")
    assert any("보고서 제목" in p for p in validate_settings(bad))
    with pytest.raises(DureError, match="보고서 제목"):
        save_settings(db, bad)
    assert row_count(db, Setting) == 0 and heard == []


def test_a_before_commit_hook_sees_the_rows_and_can_refuse_the_write(db, heard):
    """The seam for optimistic-concurrency checks: the hook runs after the last flush."""
    seen: list[tuple[Op, set]] = []

    def refuse_b(w: service.Write) -> None:
        seen.append((w.op, set(w.rows)))
        if any(getattr(o, "name", "") == "B" for o in w.session.identity_map.values()):
            raise DureError("B는 쓸 수 없습니다.")

    service.before_commit.append(refuse_b)
    try:
        a = service.save(db, Organization(name="A", kind="기타"))
        with pytest.raises(DureError, match="B는"):
            service.save(db, Organization(name="B", kind="기타"))
    finally:
        service.before_commit.remove(refuse_b)
    assert seen[0] == (Op.SAVE, {("organization", a.id)})
    assert row_count(db, Organization) == 1 and [c.op for c in heard] == [Op.SAVE]


def test_a_failed_write_rolls_back_and_announces_nothing(db, heard):
    org = service.save(db, Organization(name="A", kind="기타"))
    heard.clear()
    with pytest.raises(RuntimeError), service.write(db, Op.SAVE) as w:
        w.session.get(Organization, org.id).name = "바뀜"
        w.session.flush()
        raise RuntimeError("중간에 실패")
    with db.session() as s:
        assert s.get(Organization, org.id).name == "A"
    assert heard == []


def test_the_history_listener_is_installed_when_a_database_is_opened(tmp_path):
    code = (
        "import sys; import db.models, db.service\n"
        "print('db.safety.history' in sys.modules)\n"
        "from db.session import open_database\n"
        f"d = open_database({str(tmp_path / 'h.sqlite')!r})\n"
        "from db.safety import history; print(history._installed); d.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


# Commits that are not record writes: a raw sqlite3 connection setting the file's header.
NOT_RECORD_WRITES = {"db/safety/identity.py"}


def _commits_outside_the_write_path() -> list[str]:
    found = []
    for folder in ("db", "gui", "exports"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "db" / "service.py" or "migrations" in path.parts \
                    or str(path.relative_to(ROOT)) in NOT_RECORD_WRITES:
                continue
            for node in sources.nodes(sources.tree(path)):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr == "commit" and not node.args \
                        and "inputMethod" not in ast.unparse(node.func.value):  # Qt's IME
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_module_but_the_write_path_commits_a_session():
    assert _commits_outside_the_write_path() == []
