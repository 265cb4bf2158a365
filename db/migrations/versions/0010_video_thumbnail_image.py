"""video.thumbnail_image: the 썸네일 stored in the database, not as a path (issue 8)

A path to a file breaks when the database moves to another PC or is shared on PostgreSQL.
Existing rows: where `thumbnail` names a PNG or JPEG file that exists here (absolute, or
relative to the database's folder) and is at most 1 MB, its bytes are read in and
`thumbnail` keeps only the file's name; otherwise `thumbnail` keeps its text as it was
(nothing is lost, the clerk can choose the image again in the form).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:40:00
"""
from pathlib import Path
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MAX_BYTES = 1024 * 1024  # db/images.py MAX_BYTES at the time of this migration
MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _image_at(text: str, folder: Path | None) -> bytes | None:
    """The image a stored path names, if it is a readable PNG/JPEG within the limit."""
    try:
        path = Path(text.strip()).expanduser()
        if not path.is_absolute():
            if folder is None:
                return None
            path = folder / path
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    return data if data.startswith(MAGICS) else None


def upgrade() -> None:
    # plain ALTER TABLE … ADD COLUMN: a batch copy of the table would drop its AUTOINCREMENT
    op.add_column('video', sa.Column('thumbnail_image', sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    folder = None
    if bind.dialect.name == 'sqlite' and bind.engine.url.database not in (None, '', ':memory:'):
        folder = Path(bind.engine.url.database).resolve().parent
    video = sa.table('video', sa.column('id', sa.Integer), sa.column('thumbnail', sa.String),
                     sa.column('thumbnail_image', sa.LargeBinary))
    rows = bind.execute(sa.select(video.c.id, video.c.thumbnail)
                        .where(video.c.thumbnail.is_not(None))).all()
    for ident, text in rows:
        data = _image_at(text, folder) if text.strip() else None
        if data is not None:
            name = Path(text.strip()).name
            bind.execute(video.update().where(video.c.id == ident)
                         .values(thumbnail_image=data, thumbnail=name))


def downgrade() -> None:
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.drop_column('thumbnail_image')
