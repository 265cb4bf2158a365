"""A video's 썸네일 stored in the database: the rule, the migration of old paths, the write
path (history, trash, PostgreSQL and its backup), the form's image field, the report."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, select, text

from db import images, service
from db import models as m
from db.errors import ValidationFailed
from db.migrations import runner
from db.safety import history, trash
from db.session import open_database
from db.title_card import title_card
from tests.gui_helpers import area_page, capture_warnings, make_window, no_modal_unsaved_question

_ = no_modal_unsaved_question  # autouse fixture

CARD = title_card("여성들의 희망이 되어 줄 (주)물루랄라", "#C77700")


def _jpeg(size: tuple[int, int] = (64, 36), noise: bool = False) -> bytes:
    from PIL import Image

    im = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, "navy")
    out = io.BytesIO()
    im.save(out, "JPEG", quality=100)
    return out.getvalue()


def _video(**kw) -> m.Video:
    return m.Video(posted_on=kw.pop("posted_on", dt.date(2021, 9, 7)),
                   title=kw.pop("title", "여성들의 희망이 되어 줄 (주)물루랄라"), **kw)


# ---------------------------------------------------------------- the rule

def test_png_and_jpeg_are_taken_anything_else_refused_in_korean(db):
    assert service.save(db, _video(thumbnail_image=CARD)).id
    assert service.save(db, _video(title="둘", thumbnail_image=_jpeg())).id
    gif = b"GIF89a" + bytes(40)
    with pytest.raises(ValidationFailed) as err:
        service.save(db, _video(title="셋", thumbnail_image=gif))
    assert "PNG 또는 JPEG" in str(err.value) and "다시 선택하세요" in str(err.value)
    with pytest.raises(ValidationFailed) as err:  # a PNG's signature on a damaged body
        service.save(db, _video(title="넷", thumbnail_image=CARD[:60]))
    assert "손상" in str(err.value)


def test_an_image_over_the_limit_is_refused_with_the_limit_named(db):
    big = _jpeg((1400, 1400), noise=True)
    assert len(big) > images.MAX_BYTES
    with pytest.raises(ValidationFailed) as err:
        service.save(db, _video(thumbnail_image=big))
    message = str(err.value)
    assert "너무 큽니다" in message and "1 MB 이하" in message
    assert images.size_text(len(big)) in message
    with db.session() as s:
        assert s.scalar(select(m.Video.id)) is None  # nothing half-written


# ---------------------------------------------------------------- the migration

def test_old_paths_are_read_into_the_database_and_missing_files_keep_their_text(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    runner.upgrade(engine, "0009")
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.png").write_bytes(CARD)  # relative to the database's folder
    absolute = tmp_path / "b.jpg"
    absolute.write_bytes(_jpeg())
    (tmp_path / "c.txt").write_text("no image")
    with engine.begin() as conn:
        for i, name in enumerate(["cards/a.png", str(absolute), "D:/썸네일/없는파일.png",
                                  str(tmp_path / "c.txt")], 1):
            conn.execute(text("INSERT INTO video (id, posted_on, title, thumbnail) "
                              "VALUES (:i, '2021-07-13', :t, :n)"),
                         {"i": i, "t": f"영상{i}", "n": name})
    engine.dispose()
    database = open_database(path)  # upgrades to head
    with database.session() as s:
        rows = {v.id: v for v in s.scalars(select(m.Video))}
        assert rows[1].thumbnail_image == CARD and rows[1].thumbnail == "a.png"
        assert rows[2].thumbnail_image == _jpeg() and rows[2].thumbnail == "b.jpg"
        assert rows[3].thumbnail_image is None and rows[3].thumbnail == "D:/썸네일/없는파일.png"
        assert rows[4].thumbnail_image is None and rows[4].thumbnail.endswith("c.txt")
    database.close()


# ---------------------------------------------------------------- the write path

def _history_trash_round_trip(database) -> None:
    video = service.save(database, _video(thumbnail_image=CARD))
    with database.session() as s:
        v = s.get(m.Video, video.id)
        v.thumbnail_image = _jpeg()
    service.save(database, v)
    with database.session() as s:
        assert s.get(m.Video, video.id).thumbnail_image == _jpeg()
        change = [e for e in history.for_record(s, "video", video.id) if e.op == "update"][0]
        assert "thumbnail_image" in change.changes
    history.revert(database, change.id)  # back to the card
    with database.session() as s:
        assert s.get(m.Video, video.id).thumbnail_image == CARD
        version = s.get(m.Video, video.id).version
    service.delete(database, m.Video, video.id, version=version)
    item = [e for e in trash.list_items(database) if e.table_name == "video"][0]
    trash.restore(database, item.id)
    with database.session() as s:
        assert s.get(m.Video, video.id).thumbnail_image == CARD


def test_history_revert_and_trash_restore_carry_the_image(db):
    _history_trash_round_trip(db)


def test_postgres_stores_the_image_and_its_backup_carries_it(pg_db, tmp_path):
    from db.office import pg_backup

    _history_trash_round_trip(pg_db)
    dest = tmp_path / "backup.sqlite"
    pg_backup.backup_to(pg_db.url, dest)
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT thumbnail_image FROM video").fetchone() == (CARD,)
    copy.close()
    with pg_db.session() as s:
        s.execute(text("UPDATE video SET thumbnail_image = NULL"))
        s.commit()
    pg_backup.restore(pg_db.url, dest)
    with pg_db.session() as s:
        assert s.scalar(select(m.Video.thumbnail_image)) == CARD


def test_the_data_sheet_says_an_image_is_stored_and_import_leaves_it(db, tmp_path):
    from openpyxl import load_workbook

    from exports import api

    service.save(db, _video(thumbnail_image=CARD))
    out = tmp_path / "all.xlsx"
    from db.periods import Period

    api.export_workbook(db, Period.half_of(2021, 2), Period.half_of(2021, 2), out)
    ws = load_workbook(out, read_only=True)["유튜브 영상 목록"]
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("썸네일")
    assert rows[1][col] == "이미지 있음 (PNG 320×180, " + images.size_text(len(CARD)) + ")"
    from db.importer import mapping

    assert "thumbnail_image" not in mapping.propose(m.Video, list(rows[0])).values()


# ---------------------------------------------------------------- the form

@pytest.fixture
def video_page(qtbot, db):
    window = make_window(qtbot, db)
    return area_page(window, "purchasing", 4)


def test_the_form_takes_an_image_shows_it_and_saves_it(qtbot, db, video_page, tmp_path):
    page = video_page
    page.new_record()
    editor = page.form.editors["thumbnail_image"]
    assert [editor.choose_button.text(), editor.clear_button.text()] == ["이미지 선택…", "지우기"]
    assert not editor.clear_button.isEnabled() and editor.preview.text() == "이미지 없음"
    page.form.editors["posted_on"].setText("2021.9.7")
    page.form.editors["title"].setText("여성들의 희망이 되어 줄 (주)물루랄라")
    card = tmp_path / "카드.png"
    card.write_bytes(CARD)
    assert editor.load_file(card)
    pix = editor.preview.pixmap()
    assert not pix.isNull() and pix.width() == 160 and pix.height() == 90  # 16:9 kept
    assert editor.clear_button.isEnabled()
    page.form.revalidate_now()
    assert page.save_button.isEnabled(), page.form.problems
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    ident = page.form.record_id
    with db.session() as s:
        assert s.get(m.Video, ident).thumbnail_image == CARD
        assert s.get(m.Video, ident).thumbnail == "카드.png"  # the file's name, as text
    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)
    page.form.revalidate_now()
    qtbot.keyClick(page.form.editors["title"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with db.session() as s:
        assert s.get(m.Video, ident).thumbnail_image is None
        assert s.get(m.Video, ident).thumbnail is None


def test_the_preview_keeps_its_frame_through_a_forms_checks(video_page):
    """A check with nothing wrong once cleared the preview's style sheet (frame and ground)."""
    from gui.widgets.factory import ERROR_STYLE, mark

    page = video_page
    page.new_record()
    editor = page.form.editors["thumbnail_image"]
    page.form.revalidate_now()
    assert editor.preview.styleSheet() == editor.base_style != ""
    mark(editor, True, "이미지가 너무 큽니다")
    assert editor.preview.styleSheet() == editor.base_style + ERROR_STYLE
    assert editor.preview.toolTip() == "이미지가 너무 큽니다"
    mark(editor, False)
    assert editor.preview.styleSheet() == editor.base_style and editor.preview.toolTip() == ""


def test_the_form_refuses_a_wrong_file_with_a_korean_message(qtbot, video_page, tmp_path,
                                                             monkeypatch):
    warnings = capture_warnings(monkeypatch)
    page = video_page
    page.new_record()
    editor = page.form.editors["thumbnail_image"]
    gif = tmp_path / "a.gif"
    gif.write_bytes(b"GIF89a" + bytes(40))
    big = tmp_path / "big.jpg"
    big.write_bytes(_jpeg((1400, 1400), noise=True))
    assert not editor.load_file(gif)
    assert not editor.load_file(big)
    assert not editor.load_file(tmp_path / "없음.png")
    assert editor.value() is None
    assert "PNG 또는 JPEG" in warnings[0]
    assert "너무 큽니다" in warnings[1] and "1 MB 이하" in warnings[1]
    assert "열 수 없습니다" in warnings[2]


# ---------------------------------------------------------------- the report

def _report_text_and_images(database, tmp_path, suffix=".pdf"):
    from pypdf import PdfReader

    from db.periods import Period
    from exports import api

    out = tmp_path / f"r{suffix}"
    api.export_report(database, Period.half_of(2021, 2), out, as_of=dt.date(2021, 12, 31))
    if suffix != ".pdf":
        return out
    reader = PdfReader(out)
    text = "".join(p.extract_text() for p in reader.pages)
    pictures = sum(len(p.images) for p in reader.pages)
    return text, pictures


def test_the_report_prints_the_column_when_any_video_has_a_thumbnail(db, tmp_path):
    service.save(db, _video(thumbnail_image=CARD))
    service.save(db, _video(title="사회적응이의 응원!!!", posted_on=dt.date(2021, 10, 12)))
    text, pictures = _report_text_and_images(db, tmp_path)
    assert "썸네일" in text and pictures == 1  # the row without one is a blank cell


def test_no_thumbnail_in_the_period_no_column(db, tmp_path):
    service.save(db, _video())
    service.save(db, _video(title="이전 영상", posted_on=dt.date(2021, 3, 2), thumbnail_image=CARD))
    text, pictures = _report_text_and_images(db, tmp_path)
    assert "콘텐츠 제목" in text and "썸네일" not in text and pictures == 0


def test_the_pdf_picture_keeps_its_aspect_ratio(db):
    from db.queries.purchasing import VideoRow
    from exports.pdf_grid import IMAGE_W, GridLayout
    from exports.report_tables import videos_table

    tall = _jpeg((40, 80))
    rows = [VideoRow(dt.date(2021, 7, 13), "가", None, None, CARD),
            VideoRow(dt.date(2021, 7, 27), "나", None, None, tall),
            VideoRow(dt.date(2021, 8, 10), "다", None, None, None)]
    layout = GridLayout(videos_table(rows), 400, 10)
    pics = [c.image for row in layout.rows for c in row if c.image is not None]
    assert len(pics) == 2
    (_d1, w1, h1), (_d2, w2, h2) = pics
    assert w1 == pytest.approx(IMAGE_W) and w1 / h1 == pytest.approx(320 / 180)
    assert w2 / h2 == pytest.approx(40 / 80) and w2 < IMAGE_W
    assert layout.heights[1] >= h1 and layout.heights[2] >= h2  # each row holds its picture


def test_the_hwpx_report_embeds_the_picture_in_its_cell(db, tmp_path):
    from zipfile import ZipFile

    from hwpx import HwpxDocument
    from lxml import etree

    service.save(db, _video(thumbnail_image=CARD))
    service.save(db, _video(title="사회적응이의 응원!!!", posted_on=dt.date(2021, 10, 12),
                            thumbnail_image=CARD))  # the same image: embedded once
    service.save(db, _video(title="이미지 없는 영상", posted_on=dt.date(2021, 11, 2)))
    out = _report_text_and_images(db, tmp_path, ".hwpx")
    assert HwpxDocument.open(out).validate().issues == ()
    with ZipFile(out) as z:
        bins = [n for n in z.namelist() if n.startswith("BinData/")]
        assert len(bins) == 1 and z.read(bins[0]) == CARD
        section = etree.fromstring(z.read("Contents/section0.xml"))
    hp = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
    pics = list(section.iter(f"{hp}pic"))
    assert len(pics) == 2
    for pic in pics:  # inside a table cell of the video table, 16:9 kept
        assert any(a.tag == f"{hp}tc" for a in pic.iterancestors())
        size = pic.find(f"{hp}sz")
        assert int(size.get("width")) * 180 == pytest.approx(int(size.get("height")) * 320,
                                                             rel=0.01)


def test_a_conflict_or_history_shows_an_image_as_words_not_bytes():
    from gui.conflict_dialog import shown

    assert shown(CARD) == f"이미지 있음 (PNG 320×180, {images.size_text(len(CARD))})"
    assert history.shown(None) == ""


def test_the_report_on_postgres_draws_the_thumbnail(pg_db, tmp_path):
    service.save(pg_db, _video(thumbnail_image=CARD))
    text, pictures = _report_text_and_images(pg_db, tmp_path)
    assert "썸네일" in text and pictures == 1
