"""입주공간: spaces, tenancies (contract terms, rent per contract year), tenant calls,
milestones."""

from db import models as m

from .spec import ChildSpec, EntitySpec, FieldSpec

# Dates meant as months, as the roster prints them (협약 2018. 12., 입주 '19.7., 예정 '22.3.)
AGREED = FieldSpec("agreement_on", kind="month")
MOVE_IN_EXPECTED = FieldSpec("expected_move_in", kind="month")
MOVED_IN = FieldSpec("moved_in_on", kind="month")

SPACE = EntitySpec(
    m.Space,
    columns=("provider", FieldSpec("site", width=200), "area_m2", "use", AGREED, "status",
             "returned_on", MOVE_IN_EXPECTED, "sort_order"),
    groups=(
        ("공간", ("provider", "site", "area_m2", "use", "sort_order")),
        ("협약·상태", (AGREED, "status", "returned_on", MOVE_IN_EXPECTED)),
        ("비고", ("lessee_note", FieldSpec("note", multiline=True))),
    ),
    search=("provider", "site", "use", "status"),
    period="agreement_on",
    default_sort=("provider", False),  # LH, then 코레일, each in roster order (id)
    children=(ChildSpec("tenancies", ("organization_id", MOVED_IN, "moved_out_on",
                                      FieldSpec("note", width=200))),),
)

TENANCY = EntitySpec(
    m.Tenancy,
    columns=(FieldSpec("space_id", width=220), FieldSpec("organization_id", width=220),
             MOVED_IN, "moved_out_on", FieldSpec("note", width=200)),
    groups=(("입주", ("space_id", "organization_id", MOVED_IN, "moved_out_on",
                     FieldSpec("note", multiline=True))),),
    search=("space_id", "organization_id", "note"),
    period="moved_in_on",
    children=(
        ChildSpec("terms", ("start_on", "end_on", "reviewed_on", FieldSpec("override_reason",
                                                                          width=200), "note")),
        ChildSpec("rents", ("contract_year", "amount", "note")),
    ),
)

TENANT_CALL = EntitySpec(
    m.TenantCall,
    columns=(FieldSpec("title", width=280), "start_on", "end_on", FieldSpec("note", width=200)),
    groups=(("공모", ("title", "start_on", "end_on", FieldSpec("printed_note", multiline=True),
                     FieldSpec("note", multiline=True))),),
    search=("title", "note"),
    period="start_on",
    children=(ChildSpec("offers", (FieldSpec("space_id", width=220), "applicants",
                                   "selected_organization_id", "note")),),
)

MILESTONE = EntitySpec(
    m.SpaceMilestone,
    columns=("provider", "happened_on", "month_only", FieldSpec("text", width=360)),
    search=("provider", "text"),
    period="happened_on",
)

SPECS = (SPACE, TENANCY, TENANT_CALL, MILESTONE)
