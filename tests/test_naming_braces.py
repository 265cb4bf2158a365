"""Record titles print what the clerk typed: braces in a value are text, not placeholders."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.naming import _parts, _row_renderer, render


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y.%m.%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y.%m.%d")
    return str(value)


def reference(template: str, values: dict) -> str:
    """What a title is, written plainly: each field's value in its place (None as ""), an
    optional `[...]` part left out when a field in it is empty, each run of whitespace (a
    regular expression's \\s) made one space, the ends stripped."""
    out = []
    for optional, pieces in _parts(template):
        texts = [(lit, _shown(values.get(name)) if name else None) for lit, name in pieces]
        if optional and any(text == "" for _lit, text in texts):
            continue
        out += [lit + (text or "") for lit, text in texts]
    return re.sub(r"\s+", " ", "".join(out)).strip()


TEMPLATE = "{metric}[ {category}]"  # 이월 실적: an optional part after the name


@pytest.mark.parametrize("typed", ["a{b", "a}b", "a{x}b", "{metric}", "{{}}", "[괄호]"])
def test_braces_typed_into_a_title_come_back_as_typed(typed):
    assert render(TEMPLATE, {"metric": typed, "category": ""}) == typed
    assert render(TEMPLATE, {"metric": "매출액", "category": typed}) == f"매출액 {typed}"
    assert render(TEMPLATE, {"metric": typed, "category": typed}) == f"{typed} {typed}"


def test_an_empty_optional_part_is_left_out_and_spaces_close_up():
    assert render(TEMPLATE, {"metric": "매출액", "category": None}) == "매출액"
    assert render("{name} ({year}년)[ · {note}]", {"name": "마을숲", "year": 2021, "note": ""}) \
        == "마을숲 (2021년)"


# ---------------------------------------------------------------- a picker's rows (options)

SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2003\u200a\u2028\u2029" \
    "\u202f\u205f\u3000\u200b\ufeff"  # (the last two are no whitespace to Python: kept)


@given(st.one_of(st.none(), st.integers(), st.dates(), st.datetimes(), st.booleans(),
                 st.text(alphabet=st.sampled_from(SPACES + "가나a{}[]()·"), max_size=12),
                 st.text(max_size=8)))
def test_a_one_field_title_is_what_render_makes_of_it(value):
    """The picker's fast path for '{name}' (str.split) closes up the same spaces as render's
    regular expression, for every kind of value."""
    shown = _row_renderer("{name}", ["name"])
    assert shown((7, value)) == render("{name}", {"name": value}) \
        == reference("{name}", {"name": value})


@given(st.text(alphabet=st.sampled_from(SPACES + "가a"), max_size=6), st.integers(2000, 2030),
       st.one_of(st.none(), st.text(alphabet=st.sampled_from(SPACES + "나b"), max_size=6)))
def test_any_other_title_is_rendered_from_its_row(program, year, name):
    template = "{year} {program}[ · {organization.name}]"
    paths = ["year", "program", "organization.name"]
    shown = _row_renderer(template, paths)
    values = {"year": year, "program": program, "organization.name": name}
    assert shown((1, year, program, name)) == render(template, values) \
        == reference(template, values)


def test_options_name_every_record_as_render_does(db):
    """Enterprises whose names hold runs of spaces, tabs and ideographic spaces are offered
    under their names closed up, in the order of the names as stored."""
    from db import models as m
    from db import naming, service

    ids = {name: service.save(db, m.Organization(name=name)).id
           for name in ("나  눔\t터", "\u3000가온\u3000", "다온")}
    with db.session() as s:
        got = naming.options(s, m.Organization)
    assert got == [(ids["\u3000가온\u3000"], "가온"), (ids["나  눔\t터"], "나 눔 터"),
                   (ids["다온"], "다온")]


# ---------------------------------------------------------------- every model's title, one function

VALUES = st.one_of(st.none(), st.integers(), st.dates(), st.datetimes(), st.booleans(),
                   st.text(alphabet=st.sampled_from(SPACES + "가a{}[]·"), max_size=6))


@cache
def _templates() -> list[str]:
    from db import naming
    from db.models import Base

    found = set()
    for mapper in Base.registry.mappers:
        if mapper.class_.__title__:
            found.add(naming.template_of(mapper.class_))
            found.add(naming.template_of(mapper.class_, context=True))
    return sorted(found)


@settings(max_examples=200)  # ~4 draws for each of the ~45 templates (0.5 s)
@given(data=st.data())
def test_the_compiled_title_of_every_template_is_the_plain_reference(data):
    """Each model's title template (with and without its picker context) filled in as
    `title`, `render` and the pickers fill it (one compiled function), against the plain
    reference over the same values."""
    from db.naming import _filler, title_fields

    template = data.draw(st.sampled_from(_templates()), label="template")
    paths = tuple(dict.fromkeys(title_fields(template)))
    values = [data.draw(VALUES, label=p) for p in paths]
    expected = reference(template, dict(zip(paths, values, strict=True)))
    assert _filler(template, paths)(values) == expected
    assert render(template, dict(zip(paths, values, strict=True))) == expected


def test_a_title_reads_its_parents_fields_and_an_absent_parent_as_empty():
    """A record's title through its parents ('{space.site}[ · {organization.name}]'), with a
    parent missing, a picker's context, and a record whose fields are all empty."""
    from db import models as m
    from db.naming import title

    org = m.Organization(name="꿈꾸는\u3000공방 ")
    space = m.Space(site="백마역  1번출구")
    assert title(m.Tenancy(space=space, organization=org)) == "백마역 1번출구 · 꿈꾸는 공방"
    assert title(m.Tenancy(space=space)) == "백마역 1번출구"
    assert title(m.Space(site="백마역", provider="시청")) == "백마역"
    assert title(m.Space(site="백마역", provider="시청"), context=True) == "백마역 (시청)"
    assert title(m.Organization(name=" \t ")) == "기업"  # no name, not saved: its kind alone


def test_dates_in_titles_read_as_the_lists_show_them():
    """A term's title ('백마역 2021.03.01~2022.02.28') writes its dates as the desk's lists
    and forms do, not as ISO dates: what the clerk sees in a picker, the trash and `check`."""
    from db import models as m
    from db.naming import render, title
    from gui.widgets.display import date_text

    start, end = dt.date(2021, 3, 1), dt.date(2022, 2, 28)
    term = m.TenancyTerm(tenancy=m.Tenancy(space=m.Space(site="백마역")), start_on=start,
                         end_on=end)
    assert title(term) == f"백마역 {date_text(start)}~{date_text(end)}" \
        == "백마역 2021.03.01~2022.02.28"
    assert render("{saved_at}", {"saved_at": dt.datetime(2026, 12, 3, 9, 5, 59)}) \
        == "2026.12.03 09:05"
    for day in (dt.date(1, 1, 1), dt.date(2021, 12, 31), dt.date(9999, 12, 31)):
        assert render("{d}", {"d": day}) == date_text(day)
