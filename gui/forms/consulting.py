"""컨설팅: consulting sessions, or counted batches of basic consulting."""

from db import models as m

from .spec import EntitySpec, FieldSpec

CONSULTING = EntitySpec(
    m.Consulting,
    columns=("kind", "held_on", "end_on", "organization_id", FieldSpec("topic", width=240),
             "sessions", "companies", "consultant"),
    groups=(
        ("컨설팅", ("kind", "held_on", "end_on", "organization_id", "startup_team_id")),
        ("내용", ("topic", "sessions", "companies", "consultant",
                 FieldSpec("printed_note", multiline=True), FieldSpec("note", multiline=True))),
    ),
    search=("kind", "organization_id", "topic", "consultant"),
    period="held_on",
)

SPECS = (CONSULTING,)
