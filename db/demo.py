"""Demo records: the seed report's data in resources/demo/*.yaml, loaded through the ORM.

Each YAML file maps collection names (the keys of `COLLECTIONS`) to lists of entries; an
entry's keys are the model's column names, its children's collection names, or references to
other records by their natural key (an enterprise by name, a space by provider + site).
Loading is one transaction and idempotent: an entry whose natural key already exists is skipped
with all its children, so loading twice adds nothing.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from sqlalchemy import LargeBinary, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import models as m
from . import registry
from .errors import DureError
from .naming import model_for_table, title_fields
from .service import Op, write
from .session import Database, open_database
from .title_card import title_card

if TYPE_CHECKING:
    from .models.base import Base

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"
# libyaml's safe loader (in PyYAML's wheels) reads the demo files ~6x faster than the
# pure-Python one and builds the same values; the pure one stands in where it is missing.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Ref:
    """A YAML key naming another record by its natural key; sets relationship `attr`."""

    attr: str
    model: type[Base]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class SiblingRef:
    """A YAML key naming a record built under the same parent (a team's round by round_no)."""

    attr: str
    collection: str
    key: str


@dataclass(frozen=True)
class Spec:
    """How one YAML collection maps to a model: natural key, references and child collections.

    A child collection's YAML key is the parent's relationship name.
    """

    model: type[Base]
    key: tuple[str, ...] = ()
    refs: Mapping[str, Ref | SiblingRef] = field(default_factory=dict)
    children: Mapping[str, Spec] = field(default_factory=dict)


ORG = Ref("organization", m.Organization, ("name",))

# Loaded in registry order, whatever file a collection is in (see read_files).
COLLECTIONS: dict[str, Spec] = {
    "settings": Spec(m.Setting, ("key",)),
    "organizations": Spec(m.Organization, ("name",)),
    "education": Spec(
        m.Education, ("course", "title", "start_date"), children={"dates": Spec(m.EducationDate)}
    ),
    "startup_cohorts": Spec(
        m.StartupCohort,
        ("year",),
        children={
            "rounds": Spec(m.StartupRound),
            "teams": Spec(
                m.StartupTeam,
                refs={"organization": ORG, "round": SiblingRef("round", "rounds", "round_no")},
                children={"payments": Spec(m.StartupPayment)},
            ),
        },
    ),
    "designation_applications": Spec(
        m.DesignationApplication, ("applicant", "applied_on"),
        refs={"organization": ORG, "team": Ref("team", m.StartupTeam, ("name",))},
    ),
    "consulting": Spec(
        m.Consulting, ("kind", "held_on", "end_on", "topic", "organization"),
        refs={"organization": ORG},
    ),
    "sales_events": Spec(
        m.SalesEvent,
        ("kind", "name", "start_date"),
        children={
            "schedules": Spec(m.SalesSchedule),
            "participants": Spec(m.SalesParticipant, refs={"organization": ORG}),
        },
    ),
    "finance_budgets": Spec(m.FinanceBudget, ("program", "year")),
    "finance_grants": Spec(
        m.FinanceGrant, ("program", "year", "organization"), refs={"organization": ORG},
        children={"payments": Spec(m.FinancePayment)},
    ),
    "spaces": Spec(
        m.Space,
        ("provider", "site"),
        children={
            "tenancies": Spec(
                m.Tenancy, refs={"organization": ORG},
                children={"terms": Spec(m.TenancyTerm), "rents": Spec(m.TenancyRent)},
            )
        },
    ),
    "tenant_calls": Spec(
        m.TenantCall,
        ("title", "start_on"),
        children={
            "offers": Spec(
                m.TenantCallSpace,
                refs={
                    "space": Ref("space", m.Space, ("provider", "site")),
                    "selected_organization": Ref("selected_organization", m.Organization,
                                                 ("name",)),
                },
            )
        },
    ),
    "space_milestones": Spec(m.SpaceMilestone, ("provider", "happened_on", "text")),
    "social_service_projects": Spec(
        m.SocialServiceProject, ("name", "year"),
        children={"lines": Spec(m.ServiceLine, children={"measures": Spec(m.ServiceMeasure)})},
    ),
    "purchasing_results": Spec(m.PurchasingResult, ("year", "as_of")),
    "department_targets": Spec(m.DepartmentTarget, ("year", "department")),
    "promotion_notices": Spec(m.PromotionNotice, ("notice_on", "channel", "title")),
    "publications": Spec(m.Publication, ("year", "kind", "title")),
    "videos": Spec(m.Video, ("posted_on", "title")),
    "festivals": Spec(m.Festival, ("name", "held_on")),
    "facility_projects": Spec(m.FacilityProject, ("name",),
                              children={"rooms": Spec(m.FacilityRoom)}),
    "participations": Spec(m.Participation, ("kind", "held_on", "title")),
    "budget_lines": Spec(m.BudgetLine, ("kind", "period", "source")),
    "report_notes": Spec(m.ReportNote, ("year", "half", "area", "kind", "text")),
    "carried_figures": Spec(
        m.CarriedFigure, ("area", "metric", "category", "period_start", "period_end")
    ),
}



def _models_of(spec: Spec) -> set[type[Base]]:
    return {spec.model}.union(*(_models_of(c) for c in spec.children.values()))


def collections() -> dict[str, Spec]:
    """COLLECTIONS, plus one collection per listed table of an area that no Spec above loads:
    named by its table, its natural key the record title's own fields (`__title__`). A new
    area of flat records needs no line here (docs/ARCHITECTURE.md "Adding a program area");
    children and references to other records do."""
    out = dict(COLLECTIONS)
    loaded = set().union(*(_models_of(spec) for spec in COLLECTIONS.values()))
    for area in registry.AREAS:
        for table in area.listed:
            model = model_for_table(table)
            if model not in loaded and table not in out:
                key = tuple(f for f in title_fields(model.__title__) if "." not in f)
                out[table] = Spec(model, key)
    return out


_SKIP_COLUMNS = {"id", "created_at", "updated_at"}


class _Where:
    """Where an entry sits (file › collection › n번째 항목 (name)) for error messages."""

    def __init__(self, file: str, path: tuple[str, ...] = ()) -> None:
        self.file, self.path = file, path

    def child(self, collection: str, index: int, entry: Any) -> _Where:
        label = _entry_label(entry)
        return _Where(self.file, (*self.path, f"{collection} {index + 1}번째 항목{label}"))

    def fail(self, message: str) -> DureError:
        where = " › ".join(self.path)
        return DureError(f"데모 파일 '{self.file}'의 {where}: {message}")


def _entry_label(entry: Any) -> str:
    if isinstance(entry, Mapping):
        for k in ("name", "title", "site", "key", "organization", "text", "program"):
            if isinstance(entry.get(k), str):
                text = entry[k]
                return f"({text[:30]}…)" if len(text) > 30 else f"({text})"
    return ""


class _Loader:
    """One load: the session, a cache of looked-up records and the count of rows added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[type[Base], tuple[Any, ...]], Any] = {}
        self.added: Counter[str] = Counter()
        self.seen: set[tuple[type[Base], tuple[Any, ...]]] = set()
        self.keys: dict[type[Base], set[tuple[Any, ...]]] = {}  # natural keys there before

    def load_entry(self, spec: Spec, entry: Any, where: _Where) -> None:
        """Build a top-level entry (and children) unless its natural key already exists."""
        obj = self.build(spec, entry, where, parent=None)
        key = tuple(self._key_value(obj, k) for k in spec.key)
        if (spec.model, key) in self.seen:
            raise where.fail("같은 항목이 두 번 적혀 있습니다. 하나를 지우세요.")
        self.seen.add((spec.model, key))
        if self._exists(spec, key):
            return
        self.session.add(obj)
        self._count(obj, spec)
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise where.fail(f"데이터베이스가 거부했습니다({_constraint(exc)}).") from exc

    def build(self, spec: Spec, entry: Any, where: _Where, parent: Any) -> Any:
        """A new (unsaved) object of spec.model from one YAML mapping."""
        if not isinstance(entry, Mapping):
            raise where.fail("항목은 '이름: 값' 형식이어야 합니다.")
        model = spec.model
        columns = {c.key: c for c in sa_inspect(model).columns if c.key not in _SKIP_COLUMNS}
        obj = model()
        deferred: list[tuple[SiblingRef, Any]] = []
        for name, value in entry.items():
            if name in spec.children:
                child_spec = spec.children[name]
                if not isinstance(value, list):
                    raise where.fail(f"'{name}'은(는) 목록(- 항목)이어야 합니다.")
                kids = getattr(obj, name)
                for i, item in enumerate(value):
                    kids.append(self.build(child_spec, item, where.child(name, i, item), obj))
            elif name in spec.refs:
                ref = spec.refs[name]
                if isinstance(ref, SiblingRef):
                    deferred.append((ref, value))
                elif value is not None:
                    setattr(obj, ref.attr, self.lookup(ref, value, where))
            elif name in columns and isinstance(columns[name].type, LargeBinary):
                setattr(obj, name, _image(value, entry, where))
            elif name in columns and not columns[name].foreign_keys:
                setattr(obj, name, _coerce(columns[name], value, where))
            else:
                raise where.fail(f"알 수 없는 항목 '{name}'입니다. 철자를 확인하세요.")
        for ref, value in deferred:
            siblings = getattr(obj, ref.collection, None) or getattr(parent, ref.collection, [])
            match = [s for s in siblings if getattr(s, ref.key) == value]
            if not match:
                raise where.fail(f"'{ref.attr}: {value}'에 해당하는 항목이 없습니다.")
            setattr(obj, ref.attr, match[0])
        return obj

    def lookup(self, ref: Ref, value: Any, where: _Where) -> Any:
        """The record `value` names: a scalar for a one-column key, a mapping otherwise."""
        if isinstance(value, Mapping):
            key = tuple(value.get(k) for k in ref.keys)
        else:
            key = (value,)
        if len(key) != len(ref.keys) or any(v is None for v in key):
            raise where.fail(f"{ref.model.__label__} 참조는 "
                             f"{', '.join(ref.keys)}을(를) 적어야 합니다.")
        cached = self.cache.get((ref.model, key))
        if cached is None:
            crit = dict(zip(ref.keys, key, strict=True))
            cached = self.session.scalars(select(ref.model).filter_by(**crit)).first()
            if cached is None:
                shown = " / ".join(str(v) for v in key)
                raise where.fail(
                    f"{ref.model.__label__} '{shown}'을(를) 찾을 수 없습니다. 먼저 등록하세요"
                    " (기업은 organizations.yaml)."
                )
            self.cache[(ref.model, key)] = cached
        return cached

    def _key_value(self, obj: Any, name: str) -> Any:
        value = getattr(obj, name)
        if value is None:
            col = sa_inspect(type(obj)).columns.get(name)
            if col is not None and col.default is not None and col.default.is_scalar:
                return col.default.arg
        return value

    def _exists(self, spec: Spec, key: tuple[Any, ...]) -> bool:
        """Whether a record with this natural key was there before the load began.

        The keys of a table are read once, on its first entry (one query, not one per entry);
        what this load adds is in `seen`, and an entry's children are never top-level entries.
        """
        model = spec.model
        relations = sa_inspect(model).relationships
        known = self.keys.get(model)
        if known is None:  # a relationship in the key is read as its foreign key column
            columns = [next(iter(relations[name].local_columns)) if name in relations
                       else getattr(model, name) for name in spec.key]
            known = self.keys[model] = {tuple(row) for row in self.session.execute(
                select(*columns))}
        return tuple(getattr(value, "id", None) if name in relations else value
                     for name, value in zip(spec.key, key, strict=True)) in known

    def _count(self, obj: Any, spec: Spec) -> None:
        self.added[sa_inspect(type(obj)).local_table.name] += 1
        for name, child_spec in spec.children.items():
            for kid in getattr(obj, name):
                self._count(kid, child_spec)


def _constraint(exc: IntegrityError) -> str:
    return str(exc.orig).splitlines()[0]


def _image(value: Any, entry: Mapping[str, Any], where: _Where) -> bytes | None:
    """An image field: `{demo_title_card: '#1F5FA8'}` draws the entry's title on a card.

    Demo-made, not a fact (the seed's images are not ours); the YAML says so beside it."""
    if value is None:
        return None
    colour = value.get("demo_title_card") if isinstance(value, Mapping) else None
    if not isinstance(colour, str) or not isinstance(entry.get("title"), str):
        raise where.fail("이미지는 {demo_title_card: '#색상'} 형식(제목으로 그린 데모 카드)만 "
                         "적을 수 있습니다.")
    return title_card(entry["title"], colour)


def _coerce(col: Any, value: Any, where: _Where) -> Any:
    """A YAML value as the column's Python type; Korean message when it cannot be."""
    label = col.info.get("label", col.key)
    if value is None:
        return None
    try:
        kind = col.type.python_type
    except NotImplementedError:
        return value
    if kind is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise where.fail(f"{label}은(는) 날짜(2021-06-10 형식)여야 합니다: {value!r}")
    if kind is dt.time:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value // 60}:{value % 60:02d}"  # YAML 1.1 reads 15:00 as 900 (base 60)
        if isinstance(value, str):
            try:
                return dt.time.fromisoformat(value.zfill(5))
            except ValueError:
                pass
        raise where.fail(f"{label}은(는) 시각(\"14:00\" 형식)이어야 합니다: {value!r}")
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise where.fail(f"{label}은(는) true 또는 false여야 합니다: {value!r}")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        unit = col.info.get("unit")
        hint = " (원 단위 정수, 쉼표 없이)" if unit == "원" else ""
        raise where.fail(f"{label}은(는) 정수여야 합니다{hint}: {value!r}")
    if kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise where.fail(f"{label}은(는) 숫자여야 합니다: {value!r}")
    if kind is str:
        if isinstance(value, (dt.date, dt.time)):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return value
        raise where.fail(f"{label}은(는) 글자여야 합니다: {value!r}")
    return value


def read_files(directory: Path = DEMO_DIR) -> list[tuple[str, str, list[Any]]]:
    """(file name, collection, entries) of every YAML file, in loading order."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DureError(f"데모 데이터 폴더 '{directory}'에 YAML 파일이 없습니다.")
    found: list[tuple[str, str, list[Any]]] = []
    specs = collections()
    for path in files:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" ({mark.line + 1}행 {mark.column + 1}열)" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise DureError(f"데모 파일 '{path.name}'을(를) 읽을 수 없습니다{at}: "
                            f"{problem}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise DureError(f"데모 파일 '{path.name}'을(를) 열 수 없습니다: {exc}") from exc
        if data is None:
            continue
        if not isinstance(data, Mapping):
            raise DureError(f"데모 파일 '{path.name}'의 맨 위는 '모음 이름: "
                            "목록' 형식이어야 합니다.")
        for collection, entries in data.items():
            if collection not in specs:
                known = ", ".join(specs)
                raise DureError(
                    f"데모 파일 '{path.name}'의 '{collection}'은(는) 알 수 없는 모음입니다. "
                    f"가능한 이름: {known}"
                )
            if not isinstance(entries, list):
                raise DureError(f"데모 파일 '{path.name}'의 '{collection}'은(는) 목록이어야 "
                                "합니다.")
            found.append((path.name, collection, entries))
    # Settings, then the areas' tables in registry order (parents first): enterprises before
    # what names them. Stable: file order within a collection.
    rank = {t: i for i, t in enumerate((*registry.SYSTEM_TABLES, *registry.data_tables()))}
    found.sort(key=lambda t: rank[specs[t[1]].model.__tablename__])
    return found


def load_demo(database: Database, directory: Path = DEMO_DIR) -> dict[str, int]:
    """Load every demo record into `database` in one transaction; rows added per table."""
    files = read_files(directory)
    specs = collections()
    with write(database, Op.DEMO, source="demo") as w:
        loader = _Loader(w.session)
        for file, collection, entries in files:
            spec = specs[collection]
            for i, entry in enumerate(entries):
                loader.load_entry(spec, entry, _Where(file).child(collection, i, entry))
    return {table: n for table, n in sorted(loader.added.items()) if n}


def demo_database() -> Database:
    """A fresh SQLite database in a new temporary folder, with the demo records loaded."""
    folder = Path(tempfile.mkdtemp(prefix="dure-demo-"))
    database = open_database(folder / "demo.sqlite")
    try:
        load_demo(database)
    except Exception:
        database.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def _cleanup() -> None:
        database.close()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(_cleanup)
    return database
