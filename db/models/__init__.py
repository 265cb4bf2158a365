"""Dure's models, one module per program area (docs/domain.md)."""

import importlib

from .. import registry
from .base import Base
from .consulting import Consulting
from .education import Education, EducationDate
from .events import FacilityProject, FacilityRoom, Festival
from .finance import FinanceBudget, FinanceGrant, FinancePayment
from .governance import BudgetLine, CarriedFigure, Participation, ReportNote, Setting
from .organization import Organization
from .purchasing import DepartmentTarget, PromotionNotice, Publication, PurchasingResult, Video
from .safety import ChangeLog, ImportMapping, TrashItem
from .sales import SalesEvent, SalesParticipant, SalesSchedule
from .social_service import ServiceLine, ServiceMeasure, SocialServiceProject
from .space import (
    Space,
    SpaceMilestone,
    Tenancy,
    TenancyRent,
    TenancyTerm,
    TenantCall,
    TenantCallSpace,
)
from .startup import (
    DesignationApplication,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
)

__all__ = [
    "Base", "BudgetLine", "CarriedFigure", "ChangeLog", "Consulting", "DepartmentTarget",
    "DesignationApplication",
    "Education", "EducationDate", "FacilityProject", "FacilityRoom", "Festival",
    "FinanceBudget", "FinanceGrant", "FinancePayment", "ImportMapping", "Organization",
    "Participation", "PromotionNotice", "Publication", "PurchasingResult", "ReportNote",
    "SalesEvent", "SalesParticipant", "SalesSchedule", "ServiceLine", "ServiceMeasure",
    "Setting", "SocialServiceProject", "Space", "SpaceMilestone", "StartupCohort",
    "StartupPayment", "StartupRound", "StartupTeam", "Tenancy", "TenancyRent", "TenancyTerm",
    "TenantCall", "TenantCallSpace", "TrashItem", "Video",
]



def load_area_models() -> None:
    """Import every registered area's model module (an area kept outside db/models too)."""
    for area in registry.AREAS:
        importlib.import_module(area.models)
    _never_reuse_ids()


def _never_reuse_ids() -> None:
    """ids are never reused on SQLite (migration 0006): a trashed record's id stays its own."""
    for table in Base.metadata.tables.values():
        if [c.name for c in table.primary_key.columns] == ["id"]:
            table.dialect_options["sqlite"]["autoincrement"] = True


_never_reuse_ids()
