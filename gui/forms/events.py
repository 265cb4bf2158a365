"""행사·시설: festivals and facility projects with their rooms."""

from db import models as m

from .spec import ChildSpec, EntitySpec, FieldSpec

FESTIVAL = EntitySpec(
    m.Festival,
    columns=(FieldSpec("name", width=240), "subtitle", "held_on", "end_on", "start_time",
             "end_time", FieldSpec("venue", width=180)),
    groups=(
        ("행사", ("name", "subtitle", "held_on", "end_on", "start_time", "end_time", "venue")),
        ("내용", (FieldSpec("programme", multiline=True), FieldSpec("partners", multiline=True),
                 FieldSpec("printed_note", multiline=True), FieldSpec("note", multiline=True))),
    ),
    search=("name", "subtitle", "venue", "partners"),
    period="held_on",
)

FACILITY = EntitySpec(
    m.FacilityProject,
    columns=(FieldSpec("name", width=240), FieldSpec("location", width=200), "works_start",
             "works_end", "area_m2"),
    groups=(("시설", ("name", "location", "building", "works_start", "works_end", "area_m2",
                     FieldSpec("note", multiline=True))),),
    search=("name", "location", "building"),
    period="works_start",
    children=(ChildSpec("rooms", (FieldSpec("name", width=160), "area_pyeong",
                                  FieldSpec("purpose", width=260), "sort_order")),),
)

SPECS = (FESTIVAL, FACILITY)
