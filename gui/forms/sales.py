"""판로지원: sales-channel events, their days and venues, and participating enterprises."""

from db import models as m

from .spec import ChildSpec, EntitySpec, FieldSpec

SALES_EVENT = EntitySpec(
    m.SalesEvent,
    columns=("kind", FieldSpec("name", width=240), FieldSpec("channel", width=180), "start_date",
             "end_date", "booths", "selected", "participant_count", "sales_amount"),
    groups=(
        ("행사", ("kind", "name", "channel", "start_date", "end_date")),
        ("모집·실적", ("booths", "applied", "selected", "participant_count", "sales_amount")),
        ("내용", (FieldSpec("content", multiline=True), FieldSpec("printed_note", multiline=True),
                 FieldSpec("note", multiline=True))),
    ),
    search=("kind", "name", "channel"),
    period="start_date",
    children=(
        ChildSpec("schedules", (FieldSpec("venue", width=200), "start_date", "end_date",
                                "start_time", "end_time")),
        ChildSpec("participants", ("organization_id", FieldSpec("items", width=240), "sales",
                                   "note")),
    ),
)

SPECS = (SALES_EVENT,)
