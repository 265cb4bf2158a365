"""창업지원: the yearly cohort (rounds, teams) and each team's payments and evaluation."""

from typing import Any

from db import models as m
from db.rules.startup import FIRST, RECOVERY, SECOND, first_installment

from .spec import ChildSpec, EntitySpec, FieldSpec


def next_payment(team: dict[str, Any], rows: list[dict[str, Any]], session: Any) -> dict[str, Any]:
    """A new payment row: the next installment (1차, then 2차, then 환수) and the amount the
    rule expects for it (80 % of the cohort's fund per team, then the rest)."""
    kinds = [r.get("kind") for r in rows]
    kind = FIRST if FIRST not in kinds else SECOND if SECOND not in kinds else RECOVERY
    out: dict[str, Any] = {"kind": kind}
    cohort = session.get(m.StartupCohort, team["cohort_id"]) if team.get("cohort_id") else None
    fund = cohort.fund_per_team if cohort is not None else 0
    if fund and kind == FIRST:
        out["amount"] = first_installment(fund)
    elif fund and kind == SECOND:
        first_paid = sum(r.get("amount") or 0 for r in rows if r.get("kind") == FIRST)
        out["amount"] = max(fund - (first_paid or first_installment(fund)), 0)
    return out


COHORT = EntitySpec(
    m.StartupCohort,
    columns=("year", FieldSpec("title", width=240), "education_hours", "consulting_min",
             "consulting_max", "fund_per_team", "space_support"),
    groups=(
        ("사업", ("year", "title", "space_support")),
        ("팀별 지원 내용", ("education_hours", "consulting_min", "consulting_max",
                       "fund_per_team", FieldSpec("printed_note", multiline=True),
                       FieldSpec("note", multiline=True))),
    ),
    search=("title", "space_support"),
    period="year",
    default_sort=("year", True),
    children=(
        ChildSpec("rounds", ("round_no", "kind", "planned", "recruit_start", "recruit_end",
                             "applications", "review_on", "review_mode", "agreement_on",
                             "ceremony",
                             FieldSpec("printed_note", width=200))),
        ChildSpec("teams", (FieldSpec("name", width=180), "representative",
                            FieldSpec("business", width=200), "status", "agreed_on",
                            "round_id", "organization_id")),
    ),
)

TEAM = EntitySpec(
    m.StartupTeam,
    columns=("cohort_id", FieldSpec("name", width=200), "representative",
             FieldSpec("business", width=220), "status", "agreed_on", "final_score",
             "designated_year"),
    groups=(
        ("팀", ("cohort_id", "round_id", "name", "representative", "business",
               "organization_id")),
        ("진행", ("status", "agreed_on", "withdrawn_on", "final_score", "evaluated_on",
                "designated_year", FieldSpec("note", multiline=True))),
    ),
    search=("name", "representative", "business", "status"),
    period="agreed_on",
    children=(ChildSpec("payments", ("kind", "paid_on", "amount", "note"),
                        new_row=next_payment),),
)

DESIGNATION = EntitySpec(
    m.DesignationApplication,
    columns=(FieldSpec("applicant", width=180), "representative", "kind", "purpose_type",
             FieldSpec("business", width=220), "applied_on", "result", "result_on"),
    groups=(
        ("신청", ("applicant", "representative", "organization_id", "team_id", "kind",
                "purpose_type", FieldSpec("business", multiline=True), "applied_on")),
        ("결과", ("result", "result_on", FieldSpec("note", multiline=True))),
    ),
    search=("applicant", "representative", "business", "purpose_type", "result"),
    period="applied_on",
    default_sort=("applied_on", True),
)

SPECS = (COHORT, TEAM, DESIGNATION)
