"""기업: the enterprises every other area refers to."""

from db import models as m

from .spec import EntitySpec, FieldSpec

ORGANIZATION = EntitySpec(
    m.Organization,
    columns=(FieldSpec("name", width=220), "kind", "representative", FieldSpec("brn", kind="brn"),
             FieldSpec("business", width=240), "purpose_type", "designated_on", "expires_on",
             "phone"),
    groups=(
        ("기본 정보", ("name", "kind", "representative", FieldSpec("brn", kind="brn"),
                      "purpose_type")),
        ("지정·연락처", ("designated_on", "expires_on", "address", "phone")),
        ("사업", (FieldSpec("business", multiline=True), FieldSpec("note", multiline=True))),
    ),
    search=("name", "representative", "brn", "business"),
    period="designated_on",
    default_sort=("name", False),
)

SPECS = (ORGANIZATION,)
