"""Issue 11 (6): BRNs already stored in other digit forms are normalised by migration 0006;
a collision is reported (log, and `check` names the record), never merged."""

from __future__ import annotations

import logging
import sqlite3

from sqlalchemy import create_engine

from db import rules, service
from db.migrations import runner
from db.models import Organization
from db.session import open_database
from tests.import_support import brn

FULL = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_stored_brns_are_normalised_and_collisions_reported_not_merged(tmp_path, caplog):
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    runner.upgrade(engine, "0006")
    engine.dispose()
    rows = [("가 기업", brn(1)), ("나 기업", brn(1).translate(FULL)),  # one number twice
            ("다 기업", brn(2).translate(ARABIC)),  # alone: normalised
            ("라 기업", f"{brn(3)[:3]}－{brn(3)[3:5]}－{brn(3)[5:]}".translate(FULL)),
            ("마 기업", brn(3).translate(ARABIC))]  # two rows want the same number
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO organization (name, kind, brn, version) VALUES (?, "
                    "'협동조합', ?, 1)",
                    rows)
    con.commit()
    con.close()
    with caplog.at_level(logging.WARNING, logger="db.migrations"):
        database = open_database(path)
    try:
        with database.session() as s:
            stored = {o.name: o.brn for o in s.query(Organization)}
            assert stored == {"가 기업": brn(1), "나 기업": rows[1][1], "다 기업": brn(2),
                              "라 기업": rows[3][1], "마 기업": rows[4][1]}
            warned = " ".join(r.getMessage() for r in caplog.records)
            assert brn(1) in warned and "나 기업" in warned and brn(3) in warned
            other = s.query(Organization).filter_by(name="나 기업").one()
            found = rules.errors(service.check(other, s))
            assert any(p.field == "brn" and "이미" in p.message for p in found)
    finally:
        database.close()
