"""Property test over every entity: any input ends as a valid saved record or a Korean message.

For each entity with a data sheet (db.tabular.ENTITIES), hypothesis builds records from the
column metadata with values a clerk or an imported sheet could produce (empty, negative,
huge, out-of-range dates, unknown choices, dangling references) and saves them through the
one write path. A save either succeeds with a record that passes the rules, or raises a
DureError whose message is Korean, and then nothing at all was written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import TextClause, func, literal, select, text
from sqlalchemy.engine import Dialect

from db import models as m
from db import rules, service
from db.errors import DureError
from db.tabular import ENTITIES, columns
from db.title_card import title_card

HANGUL = re.compile(r"[가-힣]")
TEXT = st.one_of(st.none(), st.just(""), st.just("  "), st.text(max_size=30),
                 st.sampled_from(["㈜마을숲", "=SUM(A1)", "R&D <b>", "2021.7.9"]))
DATES = st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
                  st.dates(dt.date(2018, 1, 1), dt.date(2022, 12, 31)))
INTS = st.one_of(st.none(), st.integers(-10, 10), st.integers(0, 10**13), st.integers(-(10**6), 0))
FLOATS = st.one_of(st.none(), st.floats(-10, 1e6, allow_nan=False), st.just(60.0), st.just(59.9))
TIMES = st.one_of(st.none(), st.times())
# an image field: nothing, bytes that are no image, a PNG's header alone, text, a real card
IMAGES = st.one_of(st.none(), st.binary(max_size=64), st.just(b"\x89PNG\r\n\x1a\n" + bytes(30)),
                   TEXT, st.just(title_card("제목", "#1F5FA8")))


def _strategy(col, ids: dict[str, list[int]]):
    if col.kind == "id":
        return st.none()
    if col.kind == "fk":
        table = col.target.__tablename__ if col.target else ""
        return st.one_of(st.none(), st.sampled_from(ids.get(table) or [1]), st.just(10**9))
    if col.choices:
        return st.one_of(st.sampled_from(col.choices), TEXT)
    if col.key in ("period",):
        return st.sampled_from(["prior", "after", "2019", "20x1", "1800"])
    return {"int": INTS, "money": INTS, "float": FLOATS, "date": DATES, "time": TIMES,
            "bool": st.one_of(st.none(), st.booleans()), "image": IMAGES}.get(col.kind, TEXT)


_COUNTED = [t for t in m.Base.metadata.sorted_tables
            if not t.name.startswith(("change_log", "trash"))]


@functools.cache
def _row_count_sql(dialect: Dialect) -> TextClause:
    """The one statement that counts every record table's rows, compiled once per dialect.

    Built and compiled for each of the ~900 calls it cost a third of this file's CPU: the same
    SQL text every time, so it is made once.
    """
    total = sum((select(func.count()).select_from(t).scalar_subquery() for t in _COUNTED),
                start=literal(0))
    return text(str(select(total).compile(dialect=dialect, compile_kwargs={"literal_binds": True})))


def _row_count(database) -> int:
    """Rows in every record table, in one statement (one count per table per example was slow)."""
    with database.session() as s:
        return int(s.scalar(_row_count_sql(s.get_bind().dialect)) or 0)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """The demo records loaded once per module; each case works on its own copy of the file."""
    from tests.export_fixtures import open_demo

    base = tmp_path_factory.mktemp("property-demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DURE_DATA_DIR", str(base / "data"))
        mp.delenv("DURE_DATABASE_URL", raising=False)
        database = open_demo(base)
        with database.session() as s:
            ids = {model.__tablename__: list(s.scalars(select(model.id).limit(5)))
                   for model in ENTITIES}
        path = database.path
        database.close()
    return path, ids


@pytest.fixture
def seeded(tmp_path, demo_template):
    """One parent of every kind, so references can point at something real."""
    from db.session import open_database

    template, ids = demo_template
    copy = tmp_path / "test.sqlite"
    shutil.copyfile(template, copy)
    database = open_database(copy)
    yield database, ids
    database.close()


@pytest.mark.parametrize("model", ENTITIES, ids=lambda mdl: mdl.__tablename__)
def test_any_input_is_saved_valid_or_refused_in_korean(seeded, model):
    database, ids = seeded
    fields = {c.key: _strategy(c, ids) for c in columns(model) if c.kind != "id"}

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.fixed_dictionaries(fields))
    def run(values):
        before = _row_count(database)
        obj = model(**{k: v for k, v in values.items() if v is not None})
        try:
            saved = service.save(database, obj)
        except DureError as exc:
            assert HANGUL.search(str(exc)), f"message not in Korean: {exc!r}"
            assert _row_count(database) == before, "a refused save wrote something"
            return
        assert _row_count(database) >= before + 1
        with database.session() as s:
            again = s.get(model, saved.id)
            assert again is not None
            assert not rules.errors(service.check(again, s)), "saved a record that breaks a rule"

    run()
