"""A realistic synthetic Dure database: about 100,000 records over 10 years in every area.

    uv run python bench/generate.py OUT.sqlite [--records 100000] [--years 10]

Later benchmarks (queries, GUI, exports, backup, import) reuse `generate()`. Records follow
the domain's rules (date order, 80/20 payments, 2-year first terms), so the database also
serves as a load test for the rules and the report queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import models as m
from db.models import choices as c
from db.session import Database, open_database

SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호누두루무부수우주해별숲빛들꽃"
SUFFIXES = ("협동조합", "사회적협동조합", "(주)", "㈜", "주식회사", "마을기업", "")


def _name(rng: random.Random, i: int) -> str:
    core = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    suffix = rng.choice(SUFFIXES)
    if suffix in ("(주)", "㈜"):
        return f"{suffix}{core}{i}"
    return f"{core}{i} {suffix}".strip()


def _day(rng: random.Random, year: int, first: int = 1, last: int = 12) -> dt.date:
    month = rng.randint(first, last)
    return dt.date(year, month, rng.randint(1, 28))


def _brn(i: int) -> str:
    """A 10-digit registration number with a valid check digit (the official weights)."""
    body = f"{100000000 + i * 7919 % 899999999:09d}"[:9]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=False)) + int(body[8]) * 5 // 10
    return body + str((10 - total % 10) % 10)


def _bulk(session, model, rows: list[dict]) -> list[int]:
    """Insert rows and return their ids (SQLite/PostgreSQL both support RETURNING)."""
    if not rows:
        return []
    ids: list[int] = []
    for start in range(0, len(rows), 5000):
        chunk = rows[start:start + 5000]
        ids += list(session.scalars(insert(model).returning(model.id), chunk))
    return ids


def generate(path: str | Path, records: int = 100_000, years: int = 10, seed: int = 7) -> dict:
    """Fill a new database at `path` (a file or a URL); returns counts per table."""
    db: Database = open_database(path)
    rng = random.Random(seed)
    scale = records / 100_000
    last_year = 2022
    yrs = list(range(last_year - years + 1, last_year + 1))
    counts: dict[str, int] = {}

    def n(base: int) -> int:
        return max(1, int(base * scale))

    with db.session() as s:
        orgs = _bulk(s, m.Organization, [
            {"name": _name(rng, i), "kind": rng.choice(c.ORG_KINDS),
             "representative": "대표" + str(i), "brn": _brn(i),
             "business": rng.choice(["로컬푸드", "수공예품", "돌봄 서비스", "교육", "문화예술",
                                     "청소·방역"]),
             "purpose_type": rng.choice(c.PURPOSE_TYPES)}
            for i in range(n(3000))
        ])
        counts["organization"] = len(orgs)

        edu_rows, date_rows = [], []
        for i in range(n(6000)):
            y = rng.choice(yrs)
            start = _day(rng, y)
            edu_rows.append({"course": rng.choice(c.EDUCATION_COURSES),
                             "title": f"사회적경제 교육 {i}",
                             "host": "자치공동체지원센터", "audience": "시민",
                             "mode": rng.choice(c.EDUCATION_MODES),
                             "start_date": start,
                             "end_date": start + dt.timedelta(days=rng.randint(0, 20)),
                             "hours": float(rng.choice([2, 3, 4, 10, 12])),
                             "sessions": rng.randint(1, 4),
                             "attendees": rng.randint(5, 80)})
        edu_ids = _bulk(s, m.Education, edu_rows)
        for eid, row in zip(edu_ids, edu_rows, strict=False):
            for k in range(2):
                date_rows.append({"education_id": eid,
                                  "day": row["start_date"] + dt.timedelta(days=k),
                                  "start_time": dt.time(14), "end_time": dt.time(17)})
        _bulk(s, m.EducationDate, date_rows)
        counts["education"] = len(edu_rows) + len(date_rows)

        cons = []
        for _i in range(n(20000)):
            y = rng.choice(yrs)
            cons.append({"kind": rng.choice(c.CONSULTING_KINDS), "held_on": _day(rng, y),
                         "organization_id": rng.choice(orgs), "topic": "인증 요건",
                         "sessions": rng.randint(1, 3)})
        _bulk(s, m.Consulting, cons)
        counts["consulting"] = len(cons)

        team_total = pay_total = 0
        for y in yrs:
            fund = 10_000_000
            (cohort_id,) = _bulk(s, m.StartupCohort, [{"year": y, "education_hours": 12.0,
                                 "consulting_min": 2, "consulting_max": 3, "fund_per_team": fund}])
            (round_id,) = _bulk(s, m.StartupRound, [{"cohort_id": cohort_id, "round_no": 1,
                                "recruit_start": dt.date(y, 3, 10),
                                "recruit_end": dt.date(y, 3, 30),
                                "applications": 12, "review_on": dt.date(y, 4, 13),
                                "agreement_on": dt.date(y, 4, 22)}])
            teams = []
            for t in range(n(20)):
                score = rng.choice([55.0, 65.0, 72.0, 80.0, 90.0])
                teams.append({"cohort_id": cohort_id, "round_id": round_id, "name": f"{y}창업팀{t}",
                              "status": "수료", "agreed_on": dt.date(y, 4, 22),
                              "final_score": score,
                              "evaluated_on": dt.date(y, 11, 24),
                              "designated_year": y + 1 if score >= 70 and y < last_year else None})
            team_ids = _bulk(s, m.StartupTeam, teams)
            pays = []
            for tid, team in zip(team_ids, teams, strict=False):
                pays.append({"team_id": tid, "kind": "1차(80%)", "paid_on": dt.date(y, 6, 10),
                             "amount": fund * 8 // 10})
                if team["final_score"] >= 60:
                    pays.append({"team_id": tid, "kind": "2차(20%)", "paid_on": dt.date(y, 12, 10),
                                 "amount": fund * 2 // 10})
            _bulk(s, m.StartupPayment, pays)
            team_total += len(teams)
            pay_total += len(pays)
        counts["startup"] = team_total + pay_total

        events, scheds, parts = [], [], []
        for i in range(n(1300)):
            y = rng.choice(yrs)
            start = _day(rng, y)
            events.append({"kind": rng.choice(c.SALES_KINDS), "name": f"사회적경제 장터 {i}",
                           "channel": "호수공원",
                           "start_date": start,
                           "end_date": start + dt.timedelta(days=rng.randint(0, 3)),
                           "booths": rng.randint(5, 30), "applied": 20,
                           "selected": rng.randint(5, 20),
                           "sales_amount": rng.randint(1, 300) * 100_000})
        ev_ids = _bulk(s, m.SalesEvent, events)
        for eid, ev in zip(ev_ids, events, strict=False):
            scheds.append({"event_id": eid, "venue": "호수공원", "start_date": ev["start_date"],
                           "end_date": ev["end_date"], "start_time": dt.time(10),
                           "end_time": dt.time(16)})
            for org in rng.sample(orgs, 8):
                parts.append({"event_id": eid, "organization_id": org, "items": "수공예품",
                              "sales": rng.randint(0, 50) * 10_000})
        _bulk(s, m.SalesSchedule, scheds)
        _bulk(s, m.SalesParticipant, parts)
        counts["sales"] = len(events) + len(scheds) + len(parts)

        grants, payments = [], []
        per_year = n(600)
        for y in yrs:
            for prog in c.FINANCE_PROGRAMS:
                for org in rng.sample(orgs, min(len(orgs), per_year // 3)):
                    grants.append({"program": prog, "year": y, "organization_id": org,
                                   "approved_persons": rng.randint(1, 6),
                                   "approved_amount": rng.randint(10, 60) * 1_000_000})
        grant_ids = _bulk(s, m.FinanceGrant, grants)
        for gid, g in zip(grant_ids, grants, strict=False):
            months = (4, 11) if g["program"] == "사업개발비" else range(1, 13, 2)
            share = g["approved_amount"] // len(months)
            for mo in months:
                payments.append({"grant_id": gid, "paid_on": dt.date(g["year"], mo, 25),
                                 "amount": share,
                                 "persons": g["approved_persons"]})
        _bulk(s, m.FinancePayment, payments)
        counts["finance"] = len(grants) + len(payments)

        spaces, tenancies, terms, rents = [], [], [], []
        for i in range(n(150)):
            prov = "LH" if i % 2 else "코레일"
            spaces.append({"provider": prov,
                           "site": f"{'행신' if prov == 'LH' else '백마역'} {i}호",
                           "area_m2": round(rng.uniform(40, 180), 2), "use": "사무실",
                           "agreement_on": dt.date(rng.choice(yrs[:max(1, len(yrs) - 3)]),
                                                   rng.randint(1, 12), 1),
                           "status": "운영", "sort_order": i})
        space_ids = _bulk(s, m.Space, spaces)
        for sid, _sp in zip(space_ids, spaces, strict=False):
            first = dt.date(rng.choice(yrs[:max(1, len(yrs) - 2)]), rng.randint(1, 12), 1)
            tenancies.append({"space_id": sid, "organization_id": rng.choice(orgs),
                              "moved_in_on": first})
        ten_ids = _bulk(s, m.Tenancy, tenancies)
        for tid, t, sp in zip(ten_ids, tenancies, spaces, strict=False):
            start = t["moved_in_on"]
            end = start.replace(year=start.year + 2) - dt.timedelta(days=1)
            terms.append({"tenancy_id": tid, "start_on": start, "end_on": end})
            renewals = rng.randint(0, 3)
            for _k in range(renewals):
                start = end + dt.timedelta(days=1)
                end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
                terms.append({"tenancy_id": tid, "start_on": start, "end_on": end,
                              "reviewed_on": start - dt.timedelta(days=30)})
            if sp["provider"] == "코레일":
                for year_no in range(1, 3 + renewals):  # one rent per contract year
                    rents.append({"tenancy_id": tid, "contract_year": year_no,
                                  "amount": rng.randint(3000, 9000) * 1000})
        _bulk(s, m.TenancyTerm, terms)
        _bulk(s, m.TenancyRent, rents)
        counts["space"] = len(spaces) + len(tenancies) + len(terms) + len(rents)

        notices = [{"notice_on": _day(rng, rng.choice(yrs)),
                    "channel": rng.choice(c.PROMOTION_CHANNELS),
                    "title": "사회적경제 우선구매율 부서별 구매실적 안내 "
                             f"{i}"} for i in range(n(4500))]
        _bulk(s, m.PromotionNotice, notices)
        results = [{"year": y, "as_of": dt.date(y, 12, 31),
                    "amount": rng.randint(40, 110) * 100_000_000,
                    "rate": round(rng.uniform(3, 6), 2), "grade": rng.choice(c.PURCHASING_GRADES),
                    "target_amount": 10_000_000_000, "target_rate": 4.5} for y in yrs]
        _bulk(s, m.PurchasingResult, results)
        videos = [{"posted_on": _day(rng, rng.choice(yrs)), "title": f"사회적경제 이야기 {i}"}
                  for i in range(n(1500))]
        _bulk(s, m.Video, videos)
        parts_ = [{"kind": rng.choice(c.PARTICIPATION_KINDS), "held_on": _day(rng, rng.choice(yrs)),
                   "title": f"간담회 {i}"} for i in range(n(2000))]
        _bulk(s, m.Participation, parts_)
        budget = [{"kind": k, "period": str(y), "source": src,
                   "amount": rng.randint(0, 700) * 1_000_000}
                  for k in c.BUDGET_KINDS for y in yrs for src in c.FUND_SOURCES]
        _bulk(s, m.BudgetLine, budget)
        notes = [{"year": rng.choice(yrs), "half": rng.choice([1, 2]), "area": rng.choice(c.AREAS),
                  "kind": rng.choice(c.NOTE_KINDS), "text": f"추진 내용 {i}", "sort_order": i}
                 for i in range(n(2000))]
        _bulk(s, m.ReportNote, notes)
        counts["purchasing+governance"] = (len(notices) + len(results) + len(videos)
                                           + len(parts_) + len(budget) + len(notes))
        s.commit()
        total = 0
        for table in m.Base.metadata.sorted_tables:
            total += s.execute(select(func.count()).select_from(table)).scalar_one()
        counts["total_rows"] = total
    db.close()
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    args = ap.parse_args()
    out = Path(args.out)
    if out.exists():
        sys.exit(f"{out} 파일이 이미 있습니다. 다른 이름을 쓰세요.")
    t0 = time.perf_counter()
    counts = generate(out, args.records, args.years)
    print(f"generated in {time.perf_counter() - t0:.1f} s: {counts}")


if __name__ == "__main__":
    main()
