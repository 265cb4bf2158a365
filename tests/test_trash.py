"""휴지통: deletes go to the trash with their children, come back with the same ids, or are
refused."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db import service
from db.errors import DureError
from db.models import (
    Consulting,
    FinanceGrant,
    Organization,
    SalesEvent,
    SalesParticipant,
    Space,
    StartupCohort,
    StartupPayment,
    StartupRound,
    StartupTeam,
    Tenancy,
    TenancyRent,
    TenancyTerm,
    TrashItem,
)
from db.safety import trash
from tests.db_helpers import row_count as _count

D = dt.date


def _org(db, name="㈜마을숲", brn=None):
    return service.save(db, Organization(name=name, kind="협동조합", brn=brn))


def _space_with_tenancy(db, org):
    space = Space(provider="코레일", site="백마역 1번출구", area_m2=33.5)
    tenancy = Tenancy(organization_id=org.id, moved_in_on=D(2019, 4, 25), note="1층")
    tenancy.terms = [TenancyTerm(start_on=D(2019, 4, 25), end_on=D(2021, 4, 24)),
                     TenancyTerm(start_on=D(2021, 4, 25), end_on=D(2022, 4, 24))]
    tenancy.rents = [TenancyRent(contract_year=1, amount=1_200_000),
                     TenancyRent(contract_year=2, amount=1_250_000)]
    space.tenancies = [tenancy]
    return service.save(db, space)


def _snapshot(db, *models):
    """Every row of the given tables as plain tuples (ids, values and stamps)."""
    with db.session() as s:
        return {m.__tablename__: sorted(tuple(r) for r in s.execute(select(m.__table__)))
                for m in models}


def test_space_with_tenancies_terms_and_rents_goes_to_trash_and_comes_back(db):
    org = _org(db)
    space = _space_with_tenancy(db, org)
    tables = (Space, Tenancy, TenancyTerm, TenancyRent)
    before = _snapshot(db, *tables)

    service.delete(db, Space, space.id)

    assert all(_count(db, m) == 0 for m in tables)
    [item] = trash.list_items(db)
    assert (item.table_name, item.record_id, item.what) == ("space", space.id, "입주공간")
    assert item.label == "백마역 1번출구" and item.row_count == 6
    assert item.deleted_by == trash.os_user()
    assert "하위 기록 5건" in item.text

    restored = trash.restore(db, item.id)
    assert restored.record_id == space.id
    assert _snapshot(db, *tables) == before  # same ids, same values, same stamps
    assert trash.list_items(db) == []
    assert _count(db, Organization) == 1


def test_cohort_with_teams_and_payments_restores_and_relinks_consulting(db):
    cohort = StartupCohort(year=2021, fund_per_team=8_000_000)
    cohort.rounds = [StartupRound(round_no=1, recruit_start=D(2021, 3, 2),
                                  recruit_end=D(2021, 3, 19))]
    team = StartupTeam(name="두레공방", status="협약")
    team.payments = [StartupPayment(kind="1차(80%)", paid_on=D(2021, 5, 3), amount=6_400_000),
                     StartupPayment(kind="2차(20%)", paid_on=D(2021, 12, 1), amount=1_600_000)]
    cohort.teams = [team, StartupTeam(name="숲속카페", status="선정")]
    cohort = service.save(db, cohort)
    with db.session() as s:
        team_id = s.scalar(select(StartupTeam.id).where(StartupTeam.name == "두레공방"))
        round_id = s.scalar(select(StartupRound.id))
        s.execute(StartupTeam.__table__.update().values(round_id=round_id))
        s.commit()
    consulting = service.save(db, Consulting(kind="창업팀 심화 1차", held_on=D(2021, 6, 1),
                                             startup_team_id=team_id, sessions=2))
    tables = (StartupCohort, StartupRound, StartupTeam, StartupPayment)
    before = _snapshot(db, *tables)

    service.delete(db, StartupCohort, cohort.id)
    assert all(_count(db, m) == 0 for m in tables)
    with db.session() as s:  # the consulting record stays, its team link emptied
        assert s.get(Consulting, consulting.id).startup_team_id is None

    [item] = trash.list_items(db)
    assert item.row_count == 6
    trash.restore(db, item.id)
    assert _snapshot(db, *tables) == before
    with db.session() as s:
        assert s.get(Consulting, consulting.id).startup_team_id == team_id


def test_delete_refused_names_the_referring_records(db):
    org = _org(db)
    _space_with_tenancy(db, org)
    for year in (2019, 2020, 2021):
        service.save(db, FinanceGrant(program="사업개발비", year=year, organization_id=org.id,
                                      approved_amount=10_000_000))
    event = SalesEvent(kind="장터·마켓", name="꿈길마켓", start_date=D(2021, 10, 20))
    event.participants = [SalesParticipant(organization_id=org.id, items="목공예")]
    service.save(db, event)
    before = _snapshot(db, Organization, FinanceGrant, TrashItem)

    with pytest.raises(DureError) as err:
        service.delete(db, Organization, org.id)
    message = str(err.value)
    assert message.startswith("이 기업을 참조하는 기록이 있어 삭제할 수 없습니다")
    assert "입주 계약 1건(백마역 1번출구" in message
    assert "재정지원 선정 3건(" in message and "2021 사업개발비" in message
    assert "참가 기업 1건" in message
    assert _snapshot(db, Organization, FinanceGrant, TrashItem) == before


def test_restore_refused_when_an_id_is_taken_or_a_parent_is_gone(db):
    org = _org(db)
    space = _space_with_tenancy(db, org)
    service.delete(db, Space, space.id)
    service.delete(db, Organization, org.id)  # nothing refers to it any more
    space_item, org_item = sorted(trash.list_items(db), key=lambda e: e.id)

    with pytest.raises(DureError, match="참조하던 기업 \\(번호 1\\)이 없어"):
        trash.restore(db, space_item.id)
    assert _count(db, Space) == 0 and len(trash.list_items(db)) == 2

    with db.session() as s:  # someone registers a new record under the old id
        s.add(Organization(id=org.id, name="다른 기업", kind="기타"))
        s.commit()
    with pytest.raises(DureError, match="이미 사용 중"):
        trash.restore(db, org_item.id)
    assert len(trash.list_items(db)) == 2


def test_empty_trash_all_or_older_than(db):
    for name in ("가", "나", "다"):
        service.delete(db, Organization, _org(db, name).id)
    with db.session() as s:
        oldest = s.scalars(select(TrashItem).order_by(TrashItem.id)).first()
        oldest.deleted_at = dt.datetime.now() - dt.timedelta(days=40)
        s.commit()
    assert trash.empty(db, older_than=dt.timedelta(days=30)) == 1
    assert [e.label for e in trash.list_items(db)] == ["다", "나"]
    assert trash.empty(db) == 2
    assert trash.list_items(db) == []
    with pytest.raises(DureError, match="휴지통에 없는 항목"):
        trash.restore(db, oldest.id)


def test_delete_of_a_missing_record_changes_nothing(db):
    service.delete(db, Organization, 999)
    assert trash.list_items(db) == []


def test_trash_on_postgresql(pg_db):
    org = _org(pg_db)
    space = _space_with_tenancy(pg_db, org)
    before = _snapshot(pg_db, Space, Tenancy, TenancyTerm, TenancyRent)
    with pytest.raises(DureError, match="입주 계약 1건"):
        service.delete(pg_db, Organization, org.id)
    service.delete(pg_db, Space, space.id)
    [item] = trash.list_items(pg_db)
    trash.restore(pg_db, item.id)
    assert _snapshot(pg_db, Space, Tenancy, TenancyTerm, TenancyRent) == before


def test_trash_dialog_lists_restores_and_empties(db, qtbot):
    from gui.trash_dialog import TrashDialog

    org = _org(db)
    space = _space_with_tenancy(db, org)
    service.delete(db, Space, space.id)
    service.delete(db, Organization, _org(db, "지울기업").id)
    dialog = TrashDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    assert table.rowCount() == 2
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(5)]
            for r in range(2)}
    assert rows["입주공간"][1] == "백마역 1번출구 (하위 기록 5건)"
    assert rows["입주공간"][3] == trash.os_user() and rows["입주공간"][4] == "6"
    deleted_at = {e.what: e.deleted_at for e in trash.list_items(db)}["입주공간"]
    assert rows["입주공간"][2] == f"{deleted_at:%Y.%m.%d %H:%M}"  # as the lists write dates
    assert not dialog.restore_button.isEnabled()

    row = next(r for r in range(2) if table.item(r, 0).text() == "입주공간")
    table.selectRow(row)
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert _count(db, TenancyRent) == 2 and table.rowCount() == 1
    assert "복원했습니다" in dialog.status.text()

    dialog.confirm = lambda *_a: False  # the clerk says no: nothing is emptied
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 1
    dialog.confirm = lambda *_a: True
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 0 and trash.list_items(db) == []
    assert not dialog.empty_button.isEnabled()


def test_trash_dialog_shows_why_a_restore_is_refused(db, qtbot):
    from gui.trash_dialog import TrashDialog

    org = _org(db)
    service.delete(db, Space, _space_with_tenancy(db, org).id)
    service.delete(db, Organization, org.id)
    dialog = TrashDialog(db)
    qtbot.addWidget(dialog)
    errors: list[str] = []
    dialog.show_error = errors.append
    row = next(r for r in range(2) if dialog.table.item(r, 0).text() == "입주공간")
    dialog.table.selectRow(row)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert errors and "참조하던 기업" in errors[0]
    assert dialog.table.rowCount() == 2


def test_file_menu_opens_the_trash_window(db, qtbot):
    """파일 → 휴지통… (wired by the main window) shows this trash."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.trash_dialog import TrashDialog
    from tests.gui_helpers import make_window

    service.delete(db, Organization, _org(db, "지운기업").id)
    window = make_window(qtbot, db)
    action = next(a for a in window.file_menu.menu.actions() if a.text() == "휴지통…")
    seen: list[list[str]] = []

    def inspect_and_close() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, TrashDialog) and w.isVisible())
        seen.append([dialog.table.item(0, c).text() for c in (0, 1)])
        dialog.reject()

    QTimer.singleShot(100, inspect_and_close)
    action.trigger()  # modal: returns when the timer closes it
    assert seen == [["기업", "지운기업"]]
