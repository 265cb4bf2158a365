"""The project's mutation run: would a test fail if one operator or constant were wrong?

    uv run python bench/mutation.py                 # mutmut run, then the score per module
    uv run python bench/mutation.py --report        # only the score of the last run
    uv run python bench/mutation.py --only db.periods --only db.rules.space
    uv run python bench/mutation.py --report --survivors   # with each survivor's diff
    uv run python bench/mutation.py --again --only db.formats   # the last survivors only
    uv run python bench/mutation.py --rest --only db.rules      # those not run yet
    uv run python bench/mutation.py --sample 200 --only db.rules  # carried kills, run again
    uv run python bench/mutation.py --pin   # EQUIVALENT checked on the last run: pin it
    uv run python bench/mutation.py --fresh-sample 60 --seed 701714  # a random sample per area

mutmut (configured in pyproject.toml, `[tool.mutmut]`) mutates db/rules, db/formats.py,
db/periods.py and db/queries, and runs only the tests that cover each mutated function. This
script prints, per module and per area, the mutants killed (a test failed)
out of the non-equivalent ones (a timeout is not a kill: see TIMEOUT). A mutant no test
reaches ("no tests") counts as surviving.
Equivalent mutants, changes with no observable effect, are listed in EQUIVALENT below with a
one-line reason each and left out of the count. Target: 95 % in each area.

The run loads tests/mutation_plugin.py (`pytest_add_cli_args`): every test database is a copy
of a template built once in mutmut's parent process (same migrations, same demo), since a fresh
build per mutant and per test cost more than the tests themselves. mutmut's own output goes to
mutants/mutmut-run.log. On a shared machine run it as `nice -n 19 ... --children 1`.

mutmut leaves decorated functions alone, so db/rules registers validators with
`rule(Model)(fn)` at each module's end and properties are `name = property(_name)`: their bodies
are mutated too. An area some of whose mutants have not been run prints "partial: N not run yet"
and is not a pass; its figure covers only the mutants run.

Kills carried over a grown test selection. mutmut forgets every result when
`pytest_add_cli_args_test_selection` changes (it cannot tell a grown list from a shrunk one), so
adding a test file would mean running all ~11,000 mutants again. A mutant that a test killed
stays killed when tests are only added and its function's source is unchanged, so after each
run this script puts back the kills mutmut forgot, only where (1) the new selection holds every
file of the old one and (2) the function's source hash is the one the kill was found on
(a function changed since is run again, as mutmut would). They are listed in
mutants/carried.json and counted apart in the table ("carried"); `--sample N` runs N of them
again (chosen at random) to check that they still die. Survivors, "no tests" and timeouts are
never carried: they are run again with the new selection.

A sampled check from scratch (`--fresh-sample N`). Stored results can be stale or lost; this
mode asks mutmut for a fresh generation of the mutants and their test mapping (of the sources
and tests as they are now), draws N non-equivalent mutants at random from each area, runs
exactly those (whatever was stored for them before) and prints each area's score of the
sample, labelled "sampled". The draw is reproducible: each area's non-equivalent names, sorted,
are shuffled by one random.Random(seed) in the order of AREAS and the first N kept, so a larger
N with the same seed extends the sample. Without --seed a seed is drawn and printed. For a
check outside the repository, run it in a clone, which starts with no mutants/ at all:

    git clone -q . /tmp/dure-mut && cd /tmp/dure-mut && uv sync
    nice -n 19 uv run python bench/mutation.py --fresh-sample 60 --children 1

A timed-out mutant of the sample is listed and not counted (as above); the exit code is 0 only
if every area's sample reaches TARGET with none timed out.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
CARRIED = MUTANTS / "carried.json"  # kills put back after mutmut forgot them (see above)
SELECTIONS = MUTANTS / "selections.json"  # every test selection seen, by mutmut's hash of it
# function -> mutmut's hash of its source when its EQUIVALENT entries were last checked
PINS = ROOT / "bench" / "mutation_pins.json"
AREAS = ("db.rules", "db.formats", "db.periods", "db.queries")
TARGET = 95.0

# mutmut's exit codes (mutmut/stats.py): 1/3 killed, 0 survived, 5/33 no tests, 36 and the
# SIGXCPU codes timeout, 34 skipped, None not checked yet; anything else is suspicious.
# mutmut counts a timeout as killed; here it is not: on a shared machine a niced mutant run
# overruns its wall-clock limit (15 x the tests' time) for want of CPU, not because the mutant
# hangs, so a timed-out mutant is neither killed nor counted, the area is partial until
# `--again` runs it to an end.
KILLED = {1, 3, 255}
TIMEOUT = {36, 24, -24, 152}
NO_TESTS = {5, 33}
SURVIVED = {0}

# Mutants that cannot change what Dure does, each with the reason.
EQUIVALENT: dict[str, str] = {
    **{f"db.rules.core.x_rule__mutmut_{i}": (
        "the @rule decorator runs once at import, before mutmut switches a mutant on")
       for i in range(1, 13)},
    "db.rules.core.x__generic__mutmut_8": (
        "getattr(obj, name, None) -> getattr(obj, name): every checked column is an attribute of "
        "the record (a mapped attribute, or a slot every light row sets)"),
    "db.rules.core.x__has_parent_object__mutmut_9": (
        "getattr(obj, rel.key, None) -> without the default: a relationship is an attribute of "
        "an ORM object, and a light row's many-to-one with an empty key reads as None"),
    **{f"db.formats.x__korean_number__mutmut_{i}": (
        "the 'no unit read yet' rank 10**13 -> 11**13 or 10**14: any value above 조 (10**12) "
        "and above 1000 is the same sentinel") for i in (12, 13, 73, 74)},
    "db.formats.x__korean_number__mutmut_14": "seen/in_group start as None instead of False: "
                                               "both falsy, only tested for truth",
    "db.formats.x__korean_number__mutmut_40": (
        "small_rank <= 1000 -> <= 1001: small_rank is only ever 10, 100, 1000 or 10**13"),
    "db.formats.x__korean_number__mutmut_77": "in_group reset to None instead of False: falsy",
    "db.formats.x__plain_number__mutmut_37": (
        "_number('') is None already (the pattern needs a digit), so the empty check is a "
        "shortcut"),
    **{f"db.formats.x__round_div__mutmut_{i}": (
        "-q if n < 0 -> n <= 0 / n < 1: n is an int and -0 == 0") for i in (12, 13)},
    **{f"db.formats.x_{fn}__mutmut_{i}": (
        "rstrip('0') -> rstrip('XX0XX') (or '.' likewise): rstrip takes a set of characters "
        "and a formatted number holds no X") for fn, i in
       (("area", 17), ("area", 18), ("percent", 22), ("percent", 23))},
    **{f"db.formats.x_{fn}__mutmut_{i}": (
        "Decimal(1) -> Decimal(2) as quantize's exponent: quantize uses only the exponent, "
        "the same 0 (or -digits)") for fn, i in (("percent", 11), ("pyeong", 10))},
    **{f"db.formats.x_josa__mutmut_{i}": (
        "last in '2459' (or '178') -> 'XX2459XX': this branch only sees one ASCII digit, never "
        "an X") for i in (16, 21)},
    "db.formats.x_josa__mutmut_22": (
        "the final of 0/3/6 1 -> 2: only tested for being 0 and for being 8 (ㄹ)"),
    "db.formats.x_parse_date__mutmut_27": "weekday None -> '': both falsy, only tested for truth",
    "db.formats.x_parse_date__mutmut_37": (
        "g not in '.-/' -> 'XX.-/XX': a group is digits or one separator, never an X"),
    "db.formats.x_parse_float__mutmut_8": "whole=False -> None: only tested for truth",
    "db.formats.x_parse_money__mutmut_51": (
        "_korean_number('') returns None already (nothing seen), the empty check is a shortcut"),
    "db.rules.startup.x__fund__mutmut_11": (
        "the cohort-is-None guard dropped: loaded(None, ...) is None already"),
    "db.rules.education.x_met_hours__mutmut_20": (
        "b >= a -> b > a: a day whose end equals its start adds 0 hours either way"),
    **{f"db.rules.space.x__shared_space__mutmut_{i}": (
        "join(TenancyTerm) without its ON clause: SQLAlchemy infers the same one from the only "
        "foreign key") for i in (37, 39)},
    **{f"db.rules.space.x__shared_space__mutmut_{i}": (
        "limit(1) -> limit(None) / limit(2) before .first(): the same first row")
       for i in (56, 57)},
    **{f"db.rules.space.x__shared_space__mutmut_{i}": (
        "the pre-filter over the cached spans lets more tenancies through ('and' -> 'or'): "
        "the exact query after it decides") for i in (20, 21)},
    "db.rules.space.x__shared_space__mutmut_34": (
        "start_on <= end dropped: a term starting after this tenancy's end sorts after the "
        "overlapping ones (ORDER BY start_on), and there is one (the pre-filter saw it)"),
    "db.rules.space.x__offer__mutmut_21": (
        "the ERROR argument dropped: a Problem's severity is ERROR by default"),
    **{f"db.rules.startup.x__payment__mutmut_{i}": (
        "_first/_second(None, ...) for (pay, ...): neither reads its `pay` parameter")
       for i in (108, 119)},
    **{f"db.rules.rows.xǁRowǁ__repr____mutmut_{i}": (
        "getattr(self, 'id', '?') default -> None / dropped / 'XX?XX': never used, a row "
        "without its id raises NotLoaded, not AttributeError") for i in (4, 7, 10)},
    **{f"db.rules.rows.x_{fn}__mutmut_{i}": (
        "reads.get(model, {}) default -> None: record_findings gives walk() every model's "
        "reads, the default is never used") for fn, i in (("walk", 3), ("walk", 5),
                                                          ("walk", 61), ("walk", 63),
                                                          ("walk", 69), ("walk", 71),
                                                          ("walk", 77), ("walk", 79),
                                                          ("walk", 103), ("walk", 105),
                                                          ("walk", 107), ("walk", 109),
                                                          ("walk", 115), ("walk", 117))},
    **{f"db.rules.rows.x_walk__mutmut_{i}": (
        "the members' resolve() after their parent's chunk with session/rows/tree/chunk None or "
        "an empty tree: every member's reads are covered by its parent's (the held tree; "
        "checked for all seven families), so it returns before reading anything")
       for i in (48, 50, 51, 53, 60)},
    **{f"db.rules.rows.x_walk__mutmut_{i}": (
        "the tree handed on with the rows -> {} : record_findings' resolve() then reads the "
        "titles' relatives itself, the same rows") for i in (68, 106)},
    "db.rules.rows.x_walk__mutmut_92": (
        "EXISTS (SELECT remote ...) -> EXISTS (SELECT NULL ...): EXISTS ignores what is selected"),
    **{f"db.rules.rows.xǁ_Kindǁ__init____mutmut_{i}": why for i, why in (
        (3, "self.model = None: never read (rows name their model by the class's __model__)"),
        (4, "self.mapper = None: never read"),
        *((i, "the 'system' columns (change stamps) read into the rows too: no rule or column "
              "check reads them") for i in (7, 8, 9)),
        *((i, "'__slots__' misspelt: the row class keeps its attributes in a dict instead, "
              "the same reads") for i in (13, 14)),
        *((i, "'__module__' misspelt: type() takes the module from the caller, db.rules.rows")
          for i in (17, 18)),
        *((i, "the row class's __label__/__title__/__title_context__ misspelt: db/naming.py "
              "reads them from the model (the class's __model__)") for i in range(19, 25)))},
    "db.rules.core.x_validate_many__mutmut_16": (
        "'if i in suspects' -> 'or True': the generic checks run on every record instead of "
        "those the sieve kept, the same findings (the sieve is only a shortcut)"),
    **{f"db.rules.core.x__suspects__mutmut_{i}": (
        "the sieve's int bounds tightened (a unitless column's low bound -MAX_NUMBER -> 0, or "
        "a value at the low bound picked out too): those records are kept for _generic, which "
        "finds them clean (the sieve may keep clean records; the same findings)")
       for i in (116, 136)},
    **{f"db.rules.core.x__suspects__mutmut_{i}": (
        "a bound of the sieve's picking tightened (len >= MAX_TEXT, a unit's float <= 0 or < 1, "
        "abs >= MAX_NUMBER, an int == high): the record at the bound is kept too, and _generic "
        "finds it clean") for i in (75, 99, 100, 102, 137)},
    **{f"db.rules.core.x__suspects__mutmut_{i}": (
        "an int column's min/max test tightened (<= low, >= high): it only decides whether to "
        "look, and the look picks the same records (not low <= v <= high)") for i in (127, 129)},
    **{f"db.rules.core.x__suspects__mutmut_{i}": (
        "the shortcut for a column of one type skipped (texts/ints filtered out of the values "
        "anyway, None dropped where there is none): the same list") for i in (42, 44, 49, 120)},
    "db.rules.core.x__suspects__mutmut_66": (
        "the texts joined by 'XXXX' instead of '': a NUL or lone surrogate is in the joined text "
        "either way, and X is neither"),
    **{f"db.rules.core.x__suspects__mutmut_{i}": (
        "the number guard's unit == '원' misspelt or negated, or its 'and' made 'or': no foreign "
        "key has a unit, so other columns pass it as before, and a foreign key's numbers may be "
        "kept too (_generic never checks those as numbers)") for i in (80, 83, 84, 106, 107)},
    **{f"db.rules.core.x__{fn}__mutmut_{i}": (
        "the per-model cache (checked columns, rule plan) bypassed (None / get(None) / None "
        "stored): built again from the mapper and the registry, the same list") for fn, i in
       (("columns", 1), ("columns", 2), ("columns", 31), ("plan", 1), ("plan", 2),
        ("plan", 12))},
    **{f"db.rules.core.x__columns__mutmut_{i}": (
        "a column's label defaulting to None instead of its key: every column _generic checks "
        "declares a label (info['label'], set by field() and money())") for i in (20, 22)},
    **{f"db.rules.rows.xǁ_Kindǁquery__mutmut_{i}": (
        "the compiled statement not taken from the cache (None / get(None)): it is compiled "
        "again each time, the same statement") for i in (2, 3)},
    **{f"db.rules.rows.x__parents__mutmut_{i}": (
        "the cached statement's name ('parents', remote) -> None / another string: no other "
        "statement of that kind has the same name") for i in (26, 31, 32)},
    **{f"db.rules.rows.x__parents__mutmut_{i}": (
        "bindparam('ids', expanding=True) -> not expanding: in_() makes a bindparam it is "
        "given expanding itself") for i in (37, 39, 42)},
    "db.rules.rows.x__parents__mutmut_71": (
        "'if v is not None' -> 'or True': found.get(None) is None (no parent has the id None)"),
    **{f"db.rules.rows.xǁ_Kindǁbuilder__mutmut_{i}": (
        "the row builder not taken from the cache (None / get(None)): it is built again each "
        "time, the same function") for i in (2, 3)},
    "db.rules.rows.x__children__mutmut_30": (
        "the chunk's own rows indexed even when they are another model's: `mine` is read only "
        "under `if same`"),
    **{f"db.rules.rows.x__children__mutmut_{i}": (
        "bindparam('ids', expanding=True) -> not expanding: in_() makes a bindparam it is "
        "given expanding itself") for i in (43, 45, 48)},
    **{f"db.rules.rows.x__children__mutmut_{i}": (
        "the cached statement's name ('children', rel) -> None / another string: no model is "
        "the target of two collections, and no other statement of a kind has that name")
       for i in (55, 60, 61)},
    "db.rules.rows.x_stream__mutmut_42": (
        "bindparam('after') without type_=: compared with the key column, SQLAlchemy gives it "
        "that column's type (Integer) anyway"),
    "db.rules.rows.x__children__mutmut_79": (
        "children = built instead of += (only the last batch returned): the list returned is "
        "only walked for a path below a collection, and no rule declares one"),
    "db.rules.rows.x_resolve__mutmut_1": (
        "'not rows or not tree' -> 'and': with no rows there is nothing to set (no ids, no "
        "query), with no tree nothing to read"),
    **{f"db.rules.rows.x__run__mutmut_{i}": (
        "the bind processors skipped / given None: the statements' only parameters are integer "
        "ids, whose type has no bind processor (SQLite, psycopg)") for i in (5, 6, 7)},
    **{f"db.rules.rows.x_families__mutmut_{i}": (
        "back_populates or 'XXXX' / the and-or regrouped: every relationship the rules read "
        "declares back_populates and each many-to-one's back side is a list, so the plan is "
        "the same (tests/test_mut_rules_helpers.py pins it whole)") for i in (12, 13, 14)},
    "db.rules.rows.x__children__mutmut_25": (
        "chunk[:1] -> chunk[:2] in `same`: a chunk holds rows of one model, the same set of types"),
    "db.rules.rows.x__children__mutmut_50": (
        "'if k.pk is not None' -> 'or True': every collection's target has an id column"),
    "db.rules.rows.x_stream__mutmut_12": (
        "_run(..., None) for the table without an id: its select has no parameters, "
        "construct_expanded_state(None) is that of {}"),
    **{f"db.rules.rows.x_stream__mutmut_{i}": (
        "resolve() of the table without an id (settings) given a None: the model has no "
        "relationships, so its reads are {} and resolve() returns at once (at a None rows or "
        "tree too)") for i in range(18, 24)},
    "db.rules.rows.x_stream__mutmut_40": (
        "bindparam('after', type_=None): compared with the key column, SQLAlchemy gives it "
        "that column's type (Integer) anyway"),
    "db.rules.rows.x_walk__mutmut_76": (
        "the members' reads not unlinked with their back key: every member's reads start at "
        "its back key alone (grant.payments, tenancy.terms, team.cohort…), the same keys"),
    "db.rules.rows.x_walk__mutmut_114": (
        "the orphans' reads not unlinked: they start at the back key alone, which reads None "
        "on an orphan (no parent): no relative, no cycle to break"),
    **{f"db.rules.rows.xǁ_Kindǁbuilder__mutmut_{i}": (
        "zip(..., strict=True) -> strict dropped / False / None: the cursor describes exactly "
        "the select's columns, and the names are made one per key, so the lengths are equal")
       for i in (9, 12, 13, 30, 33, 34)},
    "db.rules.rows.xǁ_Kindǁbuilder__mutmut_48": (
        "the trailing comma after the loop's names always written: `for v0, v1, in rows` "
        "unpacks as `for v0, v1 in rows`"),
    "db.rules.rows.xǁ_Kindǁbuilder__mutmut_65": (
        "the row builder not kept in the cache (None stored): it is built again each time, the "
        "same function"),
    "db.rules.checks.x_siblings__mutmut_3": (
        "'if parent is not None' -> 'or True': loaded(None, collection) is None, so the list "
        "is [] as before"),
    **{f"db.rules.finance.x__paid_total__mutmut_{i}": (
        "'or' -> 'and' / holds(None, ...) / holds(..., None): the payment then goes through "
        "siblings(), which gives the same payments (it in its edited form, or plus None, whose "
        "amount is not an int): the same sum") for i in (1, 3, 5)},
    **{f"db.rules.finance.x__paid_total__mutmut_{i}": (
        "derived()'s memo key 'paid_total' -> None / another string: no other figure of a "
        "grant uses that key") for i in (12, 17, 18)},
    **{f"db.rules.space.x__space_index__mutmut_{i}": (
        "start_on / end_on IS NOT NULL dropped: both are NOT NULL columns of tenancy_term")
       for i in (5, 6)},
    **{f"db.rules.space.x__space_index__mutmut_{i}": (
        "join(...) without its ON clause: SQLAlchemy infers the same one from the only "
        "foreign key") for i in (8, 10, 29, 31)},
    **{f"db.rules.space.x__space_index__mutmut_{i}": (
        "session_cache key 'dure.rules.space_index' -> None / another string: no other cache "
        "uses it") for i in (35, 40, 41)},
    "db.rules.space.x__tenancy__mutmut_31": (
        "'if space is not None' -> 'or True': loaded(None, 'returned_on') is None already"),
    **{f"db.rules.organization.x__org_index__mutmut_{i}": (
        "session_cache key 'dure.rules.org_keys' -> None / another string: no other cache "
        "uses it") for i in (23, 28, 29)},
    "db.rules.organization.x__look_alikes__mutmut_36": (
        "the ERROR argument dropped: a Problem's severity is ERROR by default"),
    "db.rules.organization.x__organization__mutmut_22": (
        "number or '' -> number or 'XXXX': ten digits match neither"),
    "db.rules.purchasing.x__video__mutmut_29": (
        "images.problem(data, name) -> images.problem(data): the field's label is 썸네일, "
        "the default"),
    "db.rules.startup.x__team__mutmut_152": (
        "the ERROR argument dropped: a Problem's severity is ERROR by default"),
    "db.rules.education.x__education__mutmut_38": (
        "timed > hours + 1e-9 -> >=: differ only if timed equals hours + 1e-9 to the last bit"),
    "db.rules.startup.x_first_installment__mutmut_6": (
        "+100 -> +101 before // 200: fund*160 is a multiple of 40, so fund*160+101 never "
        "reaches a multiple of 200 that fund*160+100 does not"),
    **{f"db.periods.xǁPeriodǁ_column_label__mutmut_{i}": (
        "kind == 'year' misspelt: every year Period is year_of's 1 January to 31 December, "
        "which the next test labels the same") for i in (2, 3)},
    # db/queries. "The same SQL": the mutant sends exactly the statements and parameters of the
    # original (checked by capturing them under each; finance's ON is written the other way).
    # Numbers are mutmut's for the bodies on main at ef8a2a3 (checked again there: each one
    # survives and its diff is the one its reason describes): a changed body renumbers them.
    **{f"db.queries.{m}__mutmut_{i}": (
        "join/outerjoin without its ON clause: SQLAlchemy infers the same one from the only "
        "foreign key (the same SQL)") for m, i in (
        ("consulting.x_consulting_details", 5), ("consulting.x_consulting_details", 7),
        ("education.x__details", 68), ("education.x__details", 70),
        *(("sales.x_sales_events", i) for i in (63, 65, 92, 94, 96, 98)),
        ("space.x__tenancies", 13), ("space.x__tenancies", 15),
        *(("startup.x_cohort_progress", i) for i in (71, 73, 177, 179)))},
    **{f"db.queries.{m}__mutmut_{i}": (
        "count(<primary key>) -> count(None), which SQLAlchemy writes count(*): the same count "
        "of rows (no outer join, the key is never NULL)") for m, i in (
        ("consulting.x_consulting_summary", 35), ("education.x_academy_summary", 18),
        ("education.x_course_runs", 25),
        ("governance.x_participation_counts", 10),
        ("sales.x_sales_yearly", 9), ("startup.x__startup_year", 34),
        ("startup.x__startup_year", 48), ("startup.x_cohort_progress", 18))},
    **{f"db.queries.{m}__mutmut_{i}": (
        "coalesce(sum(x), 0) -> None or 1 in a GROUP BY: every group has a row and x is NOT "
        "NULL, so the sum is never NULL") for m, i in (
        *(("consulting.x_consulting_summary", i) for i in (24, 28, 30, 34)),)},
    "db.queries.education.x__details__mutmut_51": (
        "dates starts as None instead of {}: it is read only when there are rows, and then "
        "replaced by the grouped dates"),
    **{f"db.queries.sales.x_sales_events__mutmut_{i}": (
        "schedules/participants start as None instead of {}: read only for the events found, "
        "and then replaced by the grouped rows") for i in (45, 46)},
    **{f"db.queries.consulting.x_team_rounds__mutmut_{i}": (
        "ORDER BY held_on, id -> held_on alone: SQLite reads the rounds through "
        "ix_consulting_report (held_on, id, ...), so a day's come in id order anyway (the "
        "tie-break is for PostgreSQL, which the mutation run does not use)") for i in (11, 13)},
    "db.queries.common.x__maker__mutmut_17": (
        "cast(<the callable's type>, make) -> cast(None, make): typing.cast returns its value"),
    **{f"db.queries.education.x__for_startup__mutmut_{i}": (
        "contains(..., autoescape=True) -> autoescape dropped / None / False: the words looked "
        "for (창업지원사업) hold no % or _ to escape") for i in (2, 4, 5)},
    "db.queries.carried.x_carried_sum__mutmut_14": (
        "coalesce(sum, 0) -> coalesce(sum, None): the result is read as int(total or 0)"),
    "db.queries.dashboard.x__dot__mutmut_6": (
        "weekday=False -> None: report_date only tests it for truth"),
    **{f"db.queries.dashboard.x_key_figures__mutmut_{i}": (
        "zip(strict=True) loosened: both lists are finance_yearly's, one cell per program of "
        "FINANCE_PROGRAMS, always the same length") for i in (72, 75, 78)},
    **{f"db.queries.dashboard.x_yearly_bars__mutmut_{i}": (
        "p.kind == 'year' misspelt: the label's other test (ends on 31 December) holds for "
        "every whole-year period") for i in (42, 43)},
    **{f"db.queries.dashboard.xǁPeriodReadsǁ{kind}__mutmut_{i}": (
        "cast(None, ...) or the memo key's name changed: typing.cast does nothing at run "
        "time, and each method's key stays its own, so no period's figures are mixed up")
       for kind in ("academy", "consulting", "finance", "purchasing", "sales", "startup")
       for i in (1, 5, 11, 12)},
    **{f"db.queries.governance.x_report_notes__mutmut_{i}": (
        "the per-(year, half) cache bypassed: the overlap is computed again, the same")
       for i in (41, 42)},
    "db.queries.purchasing.x_videos__mutmut_48": (
        "count(Video.id) -> count(None), which SQLAlchemy writes count(*): the same rows (no "
        "outer join, the key is never NULL)"),
    "db.queries.purchasing.x_videos__mutmut_50": (
        "counts[y] = n instead of += n: the grouped years are distinct and counts starts empty"),
    "db.queries.purchasing.x_videos__mutmut_66": (
        "period_end not selected: the loop ignores that column (_end)"),
    "db.queries.report.x__figures__mutmut_19": (
        "the shortcut for a period that is its own year-to-date dropped: finance_as_of(day) "
        "computes the same cells (same start and end), labelled with the same running period"),
    "db.queries.sales.x__event_sales__mutmut_6": (
        "an event's participant sum coalesced to None instead of 0: only sales_yearly's "
        "coalesce(sum(...), 0) reads it, where a NULL adds nothing, as 0 does"),
    "db.queries.space.x__tenancies__mutmut_10": (
        "a space's tenancies not ordered by id: _shown_tenancy picks by (date, id), never by "
        "position"),
    "db.queries.space.x__tenancies__mutmut_86": (
        "rents by year without the id: (tenancy_id, contract_year) is unique, a tenancy's rents "
        "never tie"),
    "db.queries.space.x_roster__mutmut_105": (
        "warn_days of a returned row -> None: its warning is False before warn_days is read"),
    "db.queries.space.x_tenant_calls__mutmut_54": (
        "_move_in asked for an offer without a selection: every tenancy has an organization, "
        "none is None, so the same None"),
    "db.queries.startup.x__startup_year__mutmut_50": (
        "designated[y] = n instead of += n: each year comes once from the grouped query into an "
        "empty dict, before the carried figures are added"),
    **{f"db.queries.finance.x__cells__mutmut_{i}": (
        "per-grant GROUP BY (program, id) -> (id) alone: the id is the grant's primary key, its "
        "program comes with it (PostgreSQL allows it too: functional dependency)") for i in (2, 4)},
    **{f"db.queries.finance.x__cells__mutmut_{i}": (
        "coalesce(sum, 0) -> None / 1 over the per-grant rows: each program's group holds at "
        "least one grant, approved_persons is NOT NULL and each grant's paid sums at least one "
        "payment (inner join, amount NOT NULL): the sum is never NULL") for i in (43, 47, 49, 53)},
    **{f"db.queries.dashboard.x__teams__mutmut_{i}": (
        "join(StartupCohort) without its ON clause: SQLAlchemy infers the same one from the only "
        "foreign key") for i in (15, 17, 52, 54)},
    **{f"db.queries.dashboard.x__teams__mutmut_{i}": (
        "the team's status read as None: the read already left the withdrawn teams out, and "
        "startup_pending only asks whether it is 참여 포기") for i in (20, 36)},
    "db.queries.dashboard.x__teams__mutmut_4": (
        "cohorts from first.year - 2 instead of - 1: a wider read; _startup_items skips a cohort "
        "older than last year's on each day"),
    "db.queries.dashboard.x__teams__mutmut_6": (
        "withdrawn teams read too ('참여 포기' misspelt): startup_pending gives them no item"),
    **{f"db.queries.dashboard.x__teams__mutmut_{i}": (
        "teams / payments in no order: due items are sorted by (date, kind, title, table, id), a "
        "total order, and startup_pending reads the payments as a set and a min")
       for i in (13, 69)},
    **{f"db.queries.dashboard.x__tenancies__mutmut_{i}": (
        "join(Space / Organization) without its ON clause: SQLAlchemy infers the same one from "
        "the only foreign key") for i in (40, 42, 44, 46, 59, 61)},
    **{f"db.queries.dashboard.x__tenancies__mutmut_{i}": (
        "start_on / end_on IS NOT NULL dropped: both are NOT NULL columns of tenancy_term")
       for i in (12, 13)},
    **{f"db.queries.dashboard.x__tenancies__mutmut_{i}": (
        "the recent-term pre-filter widened (not tied to the tenancy / no end bound / select of "
        "nothing in EXISTS): more tenancies read; the window test after it and _tenancy_items "
        "on each day decide") for i in (11, 14, 15)},
    **{f"db.queries.dashboard.x__tenancies__mutmut_{i}": (
        "the window pre-filter loosened (and -> or): every tenancy read has a term with both "
        "dates, so tenancy_status is never None; _tenancy_items' own windows decide")
       for i in (91, 94)},
    "db.queries.dashboard.x__tenancies__mutmut_22": (
        "moved_out_on >= first -> > first: a tenancy that moved out on `first` is 퇴거 from that "
        "day on (tenancy_status: moved_out_on <= today), so it has no item on any day read"),
    **{f"db.queries.dashboard.x__tenancies__mutmut_{i}": (
        "tenancies / terms in no order: due items are sorted by a total order, and "
        "tenancy_status sorts the terms itself (_dated)") for i in (38, 76)},
    "db.queries.dashboard.x__tenancy_items__mutmut_4": (
        "moved_out_on < today -> <= today: moving out today is 퇴거 today (tenancy_status), "
        "skipped by the very next test"),
}


def run_mutmut(only: list[str], children: int, again: bool = False, rest: bool = False) -> int:
    """mutmut run on the modules `only` (all when empty).

    `again`: only the last survivors (and timeouts); `rest`: only the mutants not run yet; both:
    everything not killed.
    """
    names = [f"{o}*" for o in only]
    if again or rest:
        codes = results()
        stale = stale_equivalents(function_hashes())  # run again: they may be real
        names = sorted(n for n, c in codes.items() if (n not in EQUIVALENT or n in stale)
                       and ((again and (c in SURVIVED or c in NO_TESTS or c in TIMEOUT))
                            or (rest and c is None))
                       and (not only or any(n.startswith(o) for o in only)))
        if not names:
            print("nothing to run")
            return 0
    return call_mutmut(names, children)


def call_mutmut(names: list[str], children: int) -> int:
    """mutmut run on `names`, then the kills it forgot over a grown test selection put back."""
    before = snapshot()
    old = stored_selection()
    remember_selection()
    carried = load_carried()
    exact = set(names)
    patterns = [n for n in names if "*" in n]
    for name in list(carried):  # run again now: their new result replaces the carried one
        if name in exact or any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
            del carried[name]
    save_carried(carried)
    cmd = ["mutmut", "run", "--max-children", str(children), *names]
    print("$", " ".join(cmd[:5]), f"... ({len(names)} names)" if len(names) > 3 else cmd[5:],
          flush=True)
    MUTANTS.mkdir(exist_ok=True)
    with open(MUTANTS / "mutmut-run.log", "ab") as log:
        code = subprocess.call(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    n = carry_kills(before, old)
    if n:
        print(f"{n} kills carried over the grown test selection (mutants/carried.json)")
    return code


def selection() -> list[str]:
    """`[tool.mutmut] pytest_add_cli_args_test_selection` as it is now."""
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return list(conf["pytest_add_cli_args_test_selection"])


def selection_hash(files: list[str]) -> str:
    """mutmut's own fingerprint of a selection (mutmut/configuration.py config_fingerprint)."""
    return hashlib.sha256(repr(tuple(files)).encode()).hexdigest()[:12]


def stored_selection() -> str | None:
    """The hash of the selection mutmut's stored results were found with."""
    try:
        stats = json.loads((MUTANTS / "mutmut-stats.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return stats.get("config_fingerprint", {}).get("test_selection")


def remember_selection() -> None:
    """Keep the current selection's file list under its hash (to compare with the next one)."""
    seen = json.loads(SELECTIONS.read_text("utf-8")) if SELECTIONS.exists() else {}
    files = selection()
    seen.setdefault(selection_hash(files), files)
    MUTANTS.mkdir(exist_ok=True)
    SELECTIONS.write_text(json.dumps(seen, indent=1), "utf-8")


def function_of(name: str) -> str:
    """'db.rules.rows.xǁRowǁ__getattr____mutmut_1' → 'xǁRowǁ__getattr__' (mutmut's key)."""
    return name.rsplit("__mutmut_", 1)[0].rpartition(".")[2]


def snapshot() -> dict[str, tuple[int | None, str | None]]:
    """Mutant name → (exit code, source hash of its function), from mutmut's `.meta` files."""
    out: dict[str, tuple[int | None, str | None]] = {}
    for meta in MUTANTS.rglob("*.py.meta"):
        data = json.loads(meta.read_text("utf-8"))
        hashes = data.get("hash_by_function_name", {})
        for name, code in data["exit_code_by_key"].items():
            out[name] = (code, hashes.get(function_of(name)))
    return out


def carry_kills(before: dict[str, tuple[int | None, str | None]], old: str | None) -> int:
    """Put back the kills mutmut forgot when the selection grew (see the module's docstring)."""
    seen = json.loads(SELECTIONS.read_text("utf-8")) if SELECTIONS.exists() else {}
    now = selection()
    if old is None or old == selection_hash(now) or old not in seen:
        return 0
    if not set(seen[old]) <= set(now):
        print("the test selection lost files: no kill carried, every mutant runs again")
        return 0
    carried = load_carried()
    n = 0
    for meta in MUTANTS.rglob("*.py.meta"):
        data = json.loads(meta.read_text("utf-8"))
        hashes = data.get("hash_by_function_name", {})
        dirty = False
        for name, code in data["exit_code_by_key"].items():
            was, was_hash = before.get(name, (None, None))
            if (code is None and was in KILLED and was_hash is not None
                    and hashes.get(function_of(name)) == was_hash):
                data["exit_code_by_key"][name] = was
                carried.setdefault(name, old)
                dirty = True
                n += 1
        if dirty:
            meta.write_text(json.dumps(data, indent=4), "utf-8")
    save_carried(carried)
    return n


def load_carried() -> dict[str, str]:
    return json.loads(CARRIED.read_text("utf-8")) if CARRIED.exists() else {}


def save_carried(carried: dict[str, str]) -> None:
    MUTANTS.mkdir(exist_ok=True)
    CARRIED.write_text(json.dumps(carried, indent=0, sort_keys=True), "utf-8")


def sample_carried(n: int, only: list[str], children: int) -> int:
    """Run `n` carried kills again (a fixed random choice): they must still be killed."""
    current = results()  # a carried name whose function changed since is no mutant any more
    names = sorted(k for k in load_carried() if k in current
                   and (not only or any(k.startswith(o) for o in only)))
    chosen = sorted(random.Random(16).sample(names, min(n, len(names))))
    if not chosen:
        print("no carried kill to sample")
        return 0
    call_mutmut(chosen, children)
    codes = results()
    alive = [k for k in chosen if codes.get(k) not in KILLED]
    print(f"sampled {len(chosen)} carried kills: {len(chosen) - len(alive)} killed again"
          + (f"; not killed now: {', '.join(alive)}" if alive else ""))
    return len(alive)


def generate() -> bool:
    """A fresh mutmut generation: the mutants of the sources as they are and the tests of each.

    mutmut has no command for this alone: a run filtered on a name no mutant has generates the
    mutants, collects (or updates) the test mapping, then stops on its "nothing matches"
    assertion before running any.
    """
    MUTANTS.mkdir(exist_ok=True)
    cmd = ["mutmut", "run", "--max-children", "1", "zzz.none*"]
    print("$", " ".join(cmd), flush=True)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    with open(MUTANTS / "mutmut-run.log", "a", encoding="utf-8") as log:
        log.write(done.stdout + done.stderr)
    if "nothing matches" not in done.stdout + done.stderr:
        print("mutmut did not generate the mutants (mutants/mutmut-run.log)")
        return False
    return True


def draw(codes: dict[str, int | None], n: int, seed: int) -> dict[str, list[str]]:
    """`n` non-equivalent mutants of each area, at random (see the module's docstring)."""
    rng = random.Random(seed)
    chosen: dict[str, list[str]] = {}
    stale = stale_equivalents(function_hashes())
    for area in AREAS:
        names = sorted(k for k in codes if area_of(module_of(k)) == area
                       and (k not in EQUIVALENT or k in stale))
        rng.shuffle(names)
        chosen[area] = names[:n]
    return chosen


def fresh_sample(n: int, seed: int | None, children: int) -> int:
    """Generate the mutants afresh, run `n` of each area at random, print the sampled score."""
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10**6)
    if not generate():
        return 2
    chosen = draw(results(), n, seed)
    print(f"seed {seed}: {sum(map(len, chosen.values()))} mutants drawn, up to {n} per area",
          flush=True)
    call_mutmut(sorted(k for names in chosen.values() for k in names), children)
    codes = results()
    ok = True
    for area, names in chosen.items():
        c = sum(tally({k: codes[k] for k in names}, []).values(), Counter())
        k, counted, s = score(c)
        unrun = c["not checked"] + c["timeout"]
        ok &= s >= TARGET and not unrun
        print(f"{area:11} sampled {k:4} killed of {counted:4} {s:6.1f}%"
              + (f"  ({unrun} timed out or not run, not counted)" if unrun else ""))
        for name in names:
            if codes[name] not in KILLED:
                print(f"    {name}: exit code {codes[name]}")
    print(f"(seed {seed}, {n} per area; the diff of one: mutmut show NAME)")
    return 0 if ok else 1


def results() -> dict[str, int | None]:
    """Mutant name → exit code of its test run, from every `.meta` file mutmut left."""
    out: dict[str, int | None] = {}
    for meta in MUTANTS.rglob("*.py.meta"):
        out.update(json.loads(meta.read_text("utf-8"))["exit_code_by_key"])
    return out


def function_hashes() -> dict[str, str]:
    """'db.queries.dashboard.x__teams' → mutmut's hash of that function's source, from the
    `.meta` files of the last generation."""
    out: dict[str, str] = {}
    for meta in MUTANTS.rglob("*.py.meta"):
        module = ".".join(meta.relative_to(MUTANTS).with_suffix("").with_suffix("").parts)
        for fn, digest in json.loads(meta.read_text("utf-8")).get(
                "hash_by_function_name", {}).items():
            out[f"{module}.{fn}"] = digest
    return out


def function_key(name: str) -> str:
    """'db.queries.dashboard.x__teams__mutmut_9' → 'db.queries.dashboard.x__teams'."""
    return name.rsplit("__mutmut_", 1)[0]


def load_pins() -> dict[str, str]:
    """bench/mutation_pins.json: function -> the source hash its EQUIVALENT entries were
    checked on (empty when there is none yet)."""
    return json.loads(PINS.read_text("utf-8")) if PINS.exists() else {}


def stale_equivalents(hashes: dict[str, str]) -> set[str]:
    """EQUIVALENT names whose function changed since they were checked (or was never pinned).

    mutmut numbers a function's mutants in the order it makes them, so an edited function's
    numbers name other mutants: an old entry may then keep a real mutant out of the count
    (five such in db/queries/dashboard.py and eighteen elsewhere were found this way). A stale
    entry is counted as what its run says until it is checked again and pinned (--pin).
    """
    pins = load_pins()
    return {name for name in EQUIVALENT
            if function_key(name) in hashes and pins.get(function_key(name)) !=
            hashes[function_key(name)]}


def pin(codes: dict[str, int | None]) -> int:
    """Pin the functions of the EQUIVALENT entries to their current source, where every entry
    of the function ran and survived (a killed or unrun one is not equivalent, or not known;
    a timed-out one is pinned with a warning: its tests are to be run by hand)."""
    hashes = function_hashes()
    pins = load_pins()
    by_function: dict[str, list[str]] = {}
    for name in EQUIVALENT:
        by_function.setdefault(function_key(name), []).append(name)
    refused = 0
    for fn, names in sorted(by_function.items()):
        bad = [n for n in names if codes.get(n) not in SURVIVED | TIMEOUT]
        slow = [n for n in names if codes.get(n) in TIMEOUT]
        if slow and not bad and fn in hashes:
            print(f"  {fn}: pinned, but these timed out (run their tests by hand: "
                  f"MUTANT_UNDER_TEST=NAME in mutants/): {', '.join(slow)}")
        if fn not in hashes:
            print(f"  {fn}: no such function in this generation (entry left unpinned)")
            refused += 1
        elif bad:
            print(f"  {fn}: not pinned, not all its equivalents survived: "
                  + ", ".join(f"{n.rsplit('__mutmut_', 1)[1]} ({codes.get(n)})" for n in bad))
            refused += 1
        else:
            pins[fn] = hashes[fn]
    PINS.write_text(json.dumps(dict(sorted(pins.items())), indent=1) + "\n", "utf-8")
    print(f"{len(by_function) - refused} functions pinned in {PINS.relative_to(ROOT)}, "
          f"{refused} not")
    return 1 if refused else 0


def module_of(name: str) -> str:
    """'db.rules.space.x_rent__mutmut_3' → 'db.rules.space'."""
    head = name.split("__mutmut_")[0]
    return head.rsplit(".", 1)[0]


def area_of(module: str) -> str:
    return next((a for a in AREAS if module == a or module.startswith(a + ".")), module)


def tally(codes: dict[str, int | None], only: list[str],
          stale: set[str] | None = None) -> dict[str, Counter[str]]:
    by_module: dict[str, Counter[str]] = {}
    carried = load_carried()
    stale = stale_equivalents(function_hashes()) if stale is None else stale
    for name, code in codes.items():
        if only and not any(name.startswith(o) for o in only):
            continue
        c = by_module.setdefault(module_of(name), Counter())
        c["stale"] += name in stale
        if name in EQUIVALENT and name not in stale:
            c["equivalent"] += 1
        elif code is None:
            c["not checked"] += 1
        elif code in KILLED:
            c["killed"] += 1
            c["carried"] += name in carried
        elif code in TIMEOUT:
            c["timeout"] += 1
        elif code in NO_TESTS:
            c["no tests"] += 1
        elif code in SURVIVED:
            c["survived"] += 1
        elif code == 34:
            c["skipped"] += 1
        else:
            c["suspicious"] += 1
    return by_module


def score(c: Counter[str]) -> tuple[int, int, float]:
    """(killed, counted, percent); percent is 0 while nothing was run (never a free pass)."""
    counted = c["killed"] + c["survived"] + c["no tests"] + c["suspicious"]
    return c["killed"], counted, (100.0 * c["killed"] / counted) if counted else 0.0


def print_table(by_module: dict[str, Counter[str]]) -> bool:
    areas: dict[str, Counter[str]] = {}
    print(f"{'module':34} {'killed':>7} {'of':>6} {'score':>7}  survived  no-tests  equiv  unrun"
          "  timeout  carried")
    for module in sorted(by_module):
        c = by_module[module]
        areas.setdefault(area_of(module), Counter()).update(c)
        k, n, s = score(c)
        print(f"{module:34} {k:7} {n:6} {s:6.1f}%  {c['survived']:8}  {c['no tests']:8}  "
              f"{c['equivalent']:5}  {c['not checked']:5}  {c['timeout']:7}  {c['carried']:7}")
    print()
    ok = True
    for area in sorted(areas):
        k, n, s = score(areas[area])
        unrun = areas[area]["not checked"] + areas[area]["timeout"]
        flag = ("not run" if not n else f"partial: {unrun} not run yet (or timed out)" if unrun
                else "ok" if s >= TARGET else f"below {TARGET:.0f} %")
        ok &= s >= TARGET and not unrun
        carried = areas[area]["carried"]
        print(f"{area:34} {k:7} {n:6} {s:6.1f}%  ({flag})"
              + (f"  [{carried} of the kills carried]" if carried else ""))
    total = sum(areas.values(), Counter())
    k, n, s = score(total)
    print(f"{'all':34} {k:7} {n:6} {s:6.1f}%")
    if total["stale"]:
        print(f"\n{total['stale']} EQUIVALENT entries are stale (their functions changed since "
              "they were checked) and were counted as what their runs say: read their diffs "
              "(mutmut show NAME), correct EQUIVALENT, then --pin")
    if EQUIVALENT:
        print("\nequivalent mutants (not counted):")
        for name, why in sorted(EQUIVALENT.items()):
            print(f"  {name}: {why}")
    return ok


def show_survivors(codes: dict[str, int | None], only: list[str]) -> None:
    stale = stale_equivalents(function_hashes())
    for name, code in sorted(codes.items()):
        if (name in EQUIVALENT and name not in stale) \
                or (only and not any(name.startswith(o) for o in only)):
            continue
        if code in SURVIVED or code in NO_TESTS:
            diff = subprocess.run(["mutmut", "show", name], cwd=ROOT, capture_output=True,
                                  text=True, check=False).stdout
            print(diff.strip(), "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true", help="only read the last run's results")
    ap.add_argument("--only", action="append", default=[],
                    help="a module prefix such as db.periods (repeatable)")
    ap.add_argument("--children", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    ap.add_argument("--again", action="store_true",
                    help="run only the mutants that survived (or timed out) last time")
    ap.add_argument("--rest", action="store_true",
                    help="run only the mutants not run yet (with --again: all but the killed)")
    ap.add_argument("--sample", type=int, default=0, metavar="N",
                    help="run N carried kills again (random choice) to check they still die")
    ap.add_argument("--fresh-sample", type=int, default=0, metavar="N",
                    help="generate the mutants afresh, run N of each area at random, print "
                         "each area's sampled score")
    ap.add_argument("--seed", type=int, help="the --fresh-sample draw's seed (default: random)")
    ap.add_argument("--pin", action="store_true",
                    help="after checking EQUIVALENT against the last run: pin each entry's "
                         "function to its current source (bench/mutation_pins.json)")
    args = ap.parse_args(argv)
    if args.fresh_sample:
        return fresh_sample(args.fresh_sample, args.seed, args.children)
    if args.pin:  # reads the last run's results only (runs nothing)
        return pin(results())
    if args.sample:
        sample_carried(args.sample, args.only, args.children)
    elif not args.report:
        run_mutmut(args.only, args.children, args.again, args.rest)
    codes = results()
    if not codes:
        print("no mutation results yet: run without --report first")
        return 2
    if args.survivors:
        show_survivors(codes, args.only)
    return 0 if print_table(tally(codes, args.only)) else 1


if __name__ == "__main__":
    sys.exit(main())
