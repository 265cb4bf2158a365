"""재정지원: grants per enterprise per year with their payments, and program budgets."""

from db import models as m

from .spec import ChildSpec, EntitySpec, FieldSpec

GRANT = EntitySpec(
    m.FinanceGrant,
    columns=("year", "program", FieldSpec("organization_id", width=220), "approved_persons",
             "approved_amount", FieldSpec("note", width=200)),
    groups=(
        ("선정", ("program", "year", "organization_id")),
        ("승인", ("approved_persons", "approved_amount", FieldSpec("note", multiline=True))),
    ),
    search=("program", "organization_id", "note"),
    period="year",
    default_sort=("year", True),
    children=(ChildSpec("payments", ("paid_on", "amount", "persons", "note")),),
)

BUDGET = EntitySpec(
    m.FinanceBudget,
    columns=("year", "program", "amount", FieldSpec("basis", width=260), "note"),
    search=("program", "basis", "note"),
    period="year",
)

SPECS = (GRANT, BUDGET)
