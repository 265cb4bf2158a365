"""Which sheet column feeds which field: proposed from labels or a saved mapping, saved on
import."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import naming, tabular
from ..errors import DureError
from ..models import Organization
from ..models.safety import ImportMapping

if TYPE_CHECKING:
    from ..models.base import Base

ORG_NAME_LABEL = "기업명"  # the informational name column beside an organization reference


def norm(text: Any) -> str:
    """A header compared loosely: no spaces, brackets or dots, lower case."""
    return re.sub(r"[\s()\[\]·.,_\-:/]", "", str(text or "")).lower()


def signature(headers: list[str]) -> str:
    """A stable fingerprint of a sheet's header row (order and wording, loosely)."""
    key = "\x1f".join(norm(h) for h in headers)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def entity_for(key: str) -> type[Base]:
    """An entity from its table name, class name, label or data-sheet name."""
    wanted = norm(key)
    for model in tabular.ENTITIES:
        names = (model.__tablename__, model.__name__, naming.label(model),
                 tabular.sheet_name(model))
        if wanted in (norm(n) for n in names):
            return model
    choices = ", ".join(f"{m.__tablename__}({naming.label(m)})" for m in tabular.ENTITIES)
    raise DureError(f"가져올 대상 '{key}'을(를) 알 수 없습니다. 다음 중 하나를 쓰세요: {choices}")


def fields(model: type[Base]) -> list[tabular.Column]:
    """The fields a sheet column can feed (an image is never read from a cell)."""
    return [c for c in tabular.columns(model) if c.kind != "image"]


def propose(model: type[Base], headers: list[str],
            session: Session | None = None) -> dict[str, str]:
    """header → field key: the saved mapping for these headers if any, else by matching labels."""
    if session is not None:
        saved = load(session, model, headers)
        if saved is not None:
            return saved
    cols = fields(model)
    by_label = {norm(c.label): c.key for c in cols}
    by_key = {norm(c.key): c.key for c in cols}
    org_refs = [c for c in cols if c.kind == "fk" and c.target is Organization]
    out: dict[str, str] = {}
    for h in headers:
        if not str(h or "").strip():
            continue
        n = norm(h)
        if n in by_label:
            out[h] = by_label[n]
        elif n in by_key:
            out[h] = by_key[n]
        elif org_refs and n == norm(ORG_NAME_LABEL):
            out[h] = org_refs[0].key
        else:
            for c in org_refs:  # "선정 기업 기업명" when a sheet has two organization references
                if n == norm(f"{c.label} {ORG_NAME_LABEL}"):
                    out[h] = c.key
    return out


def check(model: type[Base], mapping: dict[str, str]) -> None:
    """Refuse a mapping that names a field the entity does not have."""
    keys = {c.key for c in fields(model)}
    bad = [f"{h} → {k}" for h, k in mapping.items() if k and k not in keys]
    if bad:
        raise DureError(f"{naming.label(model)}에 없는 항목으로 연결한 열이 있습니다: "
                        f"{', '.join(bad)}")


def missing_required(model: type[Base], mapping: dict[str, str]) -> list[str]:
    """Labels of required fields no column feeds (those without a default)."""
    mapped = set(mapping.values())
    out = []
    for c in fields(model):
        col = model.__table__.c[c.key]
        if c.kind == "id" or col.nullable or col.default is not None \
                or col.server_default is not None:
            continue
        if c.key not in mapped:
            out.append(c.label)
    return out


def load(session: Session, model: type[Base], headers: list[str]) -> dict[str, str] | None:
    """The mapping saved for this entity and header row, if any."""
    row = session.scalar(select(ImportMapping).where(
        ImportMapping.entity == model.__tablename__, ImportMapping.signature == signature(headers)))
    if row is None:
        return None
    keys = {c.key for c in fields(model)}
    return {h: k for h, k in row.mapping.items() if k in keys and h in headers}


def save(session: Session, model: type[Base], headers: list[str], mapping: dict[str, str]) -> None:
    """Remember a mapping for the next sheet with the same headers (caller commits)."""
    sig = signature(headers)
    row = session.scalar(select(ImportMapping).where(
        ImportMapping.entity == model.__tablename__, ImportMapping.signature == sig))
    if row is None:
        row = ImportMapping(entity=model.__tablename__, signature=sig)
        session.add(row)
    row.headers = list(headers)
    row.mapping = {h: k for h, k in mapping.items() if k}
    row.saved_at = dt.datetime.now().replace(microsecond=0)
