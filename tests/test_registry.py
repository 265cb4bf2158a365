"""The area registry (db/registry.py) is the one list of areas: models, forms, demo files, data
sheets, the trash and the backup counts all agree with it, and a 12th area added to a
temporary registry shows up in all of them (and loads its demo file) without editing another
file."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml
from sqlalchemy import inspect as sa_inspect

from db import naming, registry, tabular
from db.demo import COLLECTIONS, DEMO_DIR
from db.models import Base
from db.models.choices import AREA_LABELS, AREAS
from db.safety.backup import MAIN_TABLES

ROOT = Path(__file__).resolve().parent.parent


def mapped_tables() -> set[str]:
    return {mp.local_table.name for mp in Base.registry.mappers}


def test_every_model_is_in_exactly_one_area_or_a_system_table():
    claimed = [t for a in registry.AREAS for t in a.tables] + list(registry.SYSTEM_TABLES)
    assert len(claimed) == len(set(claimed)), "a table is claimed twice"
    assert set(claimed) == mapped_tables()
    for a in registry.AREAS:
        assert set(a.listed) <= set(a.tables), a.key
        for table in a.tables:
            assert naming.model_for_table(table).__module__ == a.models, table


def test_every_model_declares_its_label_and_a_title_that_resolves():
    for mapper in Base.registry.mappers:
        model = mapper.class_
        assert model.__label__, model.__name__
        for path in naming.title_fields(naming.template_of(model, context=True)):
            current = model
            *rels, attr = path.split(".")
            for rel in rels:
                current = sa_inspect(current).relationships[rel].mapper.class_
            assert attr in sa_inspect(current).columns, f"{model.__name__}.__title__: {path}"


def test_form_specs_list_exactly_the_areas_listed_tables():
    for a in registry.AREAS:
        specs = importlib.import_module(a.forms).SPECS
        assert tuple(s.table for s in specs) == a.listed, a.key
        importlib.import_module(a.rules)  # every area has its rules module


def test_demo_files_belong_to_their_area():
    files = {p.name for p in DEMO_DIR.glob("*.yaml")}
    claimed = [f for a in registry.AREAS for f in a.demo] + list(registry.SYSTEM_DEMO)
    assert sorted(claimed) == sorted(files)
    for a in [*registry.AREAS, None]:
        names = a.demo if a else registry.SYSTEM_DEMO
        tables = set(a.tables) if a else set(registry.SYSTEM_TABLES)
        for name in names:
            data = yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8")) or {}
            for collection in data:
                assert COLLECTIONS[collection].model.__tablename__ in tables, (name, collection)


def test_data_sheets_trash_and_backup_lists_come_from_the_registry():
    assert tuple(naming.table_of(m) for m in tabular.ENTITIES) == registry.data_tables()
    assert registry.listed_tables() == MAIN_TABLES
    assert registry.keys() == AREAS and registry.labels() == AREA_LABELS
    from gui.main_window import AREAS as WINDOW_AREAS

    assert tuple((a.key, a.label) for a in registry.AREAS) == WINDOW_AREAS


TOY_MODELS = '''
from sqlalchemy.orm import Mapped

from db.models.base import Base, IdMixin, field


class ToyItem(IdMixin, Base):
    __tablename__ = "toy_item"
    __label__ = "장난감"
    __title__ = "{name}"

    name: Mapped[str] = field("이름")
    count: Mapped[int] = field("개수", default=0)
'''

TOY_RULES = '''
from db.rules.core import Problem, rule

from .models import ToyItem


@rule(ToyItem)
def not_too_many(obj, session):
    if (obj.count or 0) > 9:
        yield Problem("count", "장난감은 9개까지 적을 수 있습니다.")
'''

TOY_FORMS = '''
from gui.forms.spec import EntitySpec

from .models import ToyItem

SPECS = (EntitySpec(ToyItem, columns=("name", "count")),)
'''

TOY_RUN = '''
import sys
sys.path.insert(0, sys.argv[1])
from db import registry

registry.AREAS = (*registry.AREAS,
                  registry.Area("toy", "장난감", ("toy_item",), ("toy_item",), ("toy.yaml",),
                                package="toy"))

from PySide6.QtWidgets import QApplication

from db import service
from db.errors import ValidationFailed
from db.models import Base
from db.safety import backup, trash
from db.session import open_database
from exports.assemble import entity_sheets
from gui.main_window import MainWindow

database = open_database(sys.argv[2])
Base.metadata.create_all(database.engine)  # the toy's table (a real area brings a migration)
from toy.models import ToyItem

try:
    service.save(database, ToyItem(name="팽이", count=12))
    print("rule: not applied")
except ValidationFailed as exc:
    print("rule:", exc.problems[0].message)
kept = service.save(database, ToyItem(name="팽이", count=2))
gone = service.save(database, ToyItem(name="딱지", count=1))
app = QApplication([])
window = MainWindow()
window.open_database(database)
print("tabs:", [window.tabs.tabText(i) for i in range(window.tabs.count())][-2:])
tab = window.area_tab("toy")
tab.ensure_loaded()
print("listed:", tab.record_count())
print("sheets:", [name for model, name in entity_sheets() if model is ToyItem])
service.delete(database, ToyItem, gone.id)
print("trash:", [e.text for e in trash.list_items(database)])
info = backup.backup_to(database, sys.argv[3])
print("backup:", info.record_counts.get("toy_item"))
from pathlib import Path

from db.demo import load_demo

demo = Path(sys.argv[1], "toy_demo")
demo.mkdir()
(demo / "toy.yaml").write_text("toy_item:\\n  - {name: 구슬, count: 3}\\n", encoding="utf-8")
print("demo:", load_demo(database, demo), load_demo(database, demo))  # the second adds nothing
window.close()
database.close()
'''


def test_a_twelfth_area_in_a_temporary_registry_shows_everywhere(tmp_path):
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in (("models", TOY_MODELS), ("rules", TOY_RULES), ("forms", TOY_FORMS)):
        (package / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(TOY_RUN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path), str(tmp_path / "toy.sqlite"),
         str(tmp_path / "copy.sqlite")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(": ", 1) for line in out.stdout.splitlines())
    assert lines["rule"] == "장난감은 9개까지 적을 수 있습니다."
    assert lines["tabs"] == "['소통·예산·과제', '장난감']"
    assert lines["listed"] == "2"
    assert lines["sheets"] == "['장난감 목록']"
    assert lines["trash"] == "[\"장난감 '딱지'\"]"
    assert lines["backup"] == "1"
    assert lines["demo"] == "{'toy_item': 1} {}"  # a flat area's demo file needs no db/demo.py line
