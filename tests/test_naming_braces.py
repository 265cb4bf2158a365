"""Record titles print what the clerk typed: braces in a value are text, not placeholders."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.naming import _row_renderer, render

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
    assert shown((7, value)) == render("{name}", {"name": value})


@given(st.text(alphabet=st.sampled_from(SPACES + "가a"), max_size=6), st.integers(2000, 2030),
       st.one_of(st.none(), st.text(alphabet=st.sampled_from(SPACES + "나b"), max_size=6)))
def test_any_other_title_is_rendered_from_its_row(program, year, name):
    template = "{year} {program}[ · {organization.name}]"
    paths = ["year", "program", "organization.name"]
    shown = _row_renderer(template, paths)
    assert shown((1, year, program, name)) == render(
        template, {"year": year, "program": program, "organization.name": name})


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
