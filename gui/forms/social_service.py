"""사회서비스: consortium projects, their service lines and each line's measured results."""

from db import models as m

from .spec import ChildSpec, EntitySpec, FieldSpec

PROJECT = EntitySpec(
    m.SocialServiceProject,
    columns=("year", FieldSpec("name", width=220), FieldSpec("program", width=220), "start_on",
             "end_on", "budget_national", "budget_city"),
    groups=(
        ("사업", ("name", "year", "program", "members", "start_on", "end_on")),
        ("사업비", ("budget_national", "budget_province", "budget_city", "budget_other")),
        ("내용", (FieldSpec("purpose", multiline=True), FieldSpec("printed_note", multiline=True),
                FieldSpec("note", multiline=True))),
    ),
    search=("name", "program", "members"),
    period="year",
    default_sort=("year", True),
    children=(ChildSpec("lines", (FieldSpec("provider", width=200),
                                  FieldSpec("service", width=220), "sort_order", "note")),),
)

LINE = EntitySpec(
    m.ServiceLine,
    columns=(FieldSpec("project_id", width=220), FieldSpec("provider", width=200),
             FieldSpec("service", width=240), "sort_order"),
    groups=(("서비스", ("project_id", "provider", "service", "sort_order",
                      FieldSpec("note", multiline=True))),),
    search=("project_id", "provider", "service"),
    children=(ChildSpec("measures", ("label", "value", "unit")),),
)

SPECS = (PROJECT, LINE)
