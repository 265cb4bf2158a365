"""우선구매: yearly results, department targets, promotion notices, publications, videos."""

from typing import Any

from db import models as m

from .spec import EntitySpec, FieldSpec

RESULT = EntitySpec(
    m.PurchasingResult,
    columns=("year", "as_of", "amount", "rate", "grade", "target_amount", "target_rate",
             FieldSpec("evaluation", width=200)),
    groups=(
        ("실적", ("year", "as_of", "amount", "rate", "grade")),
        ("목표·평가", ("target_amount", "target_rate", "evaluation",
                     FieldSpec("printed_note", multiline=True), FieldSpec("note", multiline=True))),
    ),
    search=("grade", "evaluation", "note"),
    period="year",
    default_sort=("year", True),
)

DEPARTMENT = EntitySpec(
    m.DepartmentTarget,
    columns=("year", FieldSpec("department", width=200), "target", "result", "note"),
    search=("department", "note"),
    period="year",
)

NOTICE = EntitySpec(
    m.PromotionNotice,
    columns=("notice_on", "month_only", "recurring", FieldSpec("channel", width=200),
             "audience", FieldSpec("title", width=320)),
    groups=(
        ("홍보", ("notice_on", "end_on", "month_only", "recurring", "channel", "audience")),
        ("내용", ("title", FieldSpec("note", multiline=True))),
    ),
    search=("channel", "audience", "title"),
    period="notice_on",
)

PUBLICATION = EntitySpec(
    m.Publication,
    columns=("year", "kind", FieldSpec("title", width=240), "copies", "issued_on",
             FieldSpec("distribution", width=200)),
    groups=(
        ("홍보물", ("year", "kind", "title", "issued_on", "copies", "copies_detail")),
        ("내용", (FieldSpec("purpose", multiline=True), FieldSpec("content", multiline=True),
                 "distribution", FieldSpec("printed_note", multiline=True),
                 FieldSpec("note", multiline=True))),
    ),
    search=("kind", "title", "distribution"),
    period="year",
)

class VideoSpec(EntitySpec):
    """유튜브 영상: the 썸네일 image, and the chosen file's name kept beside it as text."""

    def wire(self, form: Any) -> None:
        """Called by RecordForm once its editors exist."""
        image, name = form.editors["thumbnail_image"], form.editors["thumbnail"]

        def named() -> None:
            if image.value() is None:
                name.set_value(None)  # 지우기: no file name without its image
            elif image.file_name:
                name.set_value(image.file_name)

        image.edited.connect(named)


VIDEO = VideoSpec(
    m.Video,
    columns=("posted_on", FieldSpec("title", width=320), "thumbnail", "url"),
    groups=(
        ("영상", ("posted_on", "title", "url")),
        ("썸네일", ("thumbnail_image", "thumbnail", FieldSpec("note", multiline=True))),
    ),
    search=("title", "url"),
    period="posted_on",
)

SPECS = (RESULT, DEPARTMENT, NOTICE, PUBLICATION, VIDEO)
