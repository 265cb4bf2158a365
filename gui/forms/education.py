"""아카데미: education sessions and the days they met."""

from db import models as m

from .spec import ChildSpec, EntitySpec, FieldSpec

EDUCATION = EntitySpec(
    m.Education,
    columns=("course", FieldSpec("title", width=260), "host", "audience", "mode", "start_date",
             "end_date", "hours", "sessions", "attendees"),
    groups=(
        ("교육", ("course", "title", "host", "audience", "mode")),
        ("기간·실적", ("start_date", "end_date", "hours", "sessions", "attendees")),
        ("내용", (FieldSpec("content", multiline=True), FieldSpec("printed_note", multiline=True),
                  FieldSpec("note", multiline=True))),
    ),
    search=("course", "title", "host", "audience", "mode"),
    period="start_date",
    children=(ChildSpec("dates", ("day", "start_time", "end_time")),),
)

SPECS = (EDUCATION,)
