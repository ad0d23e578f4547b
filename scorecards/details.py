"""What lies behind the audit figures: results per category and per standard, the standards
failed most (with the modules that train them), and a branch's own audits (environment,
facilities), which count for the branch and never for a person."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from scorecards.families import audits_reporting, optional_module
from scorecards.figures import share
from scorecards.periods import Period

if TYPE_CHECKING:
    from audits.reporting import BranchFigures, CategoryResults
    from training.service import ModuleSummary

training_service: Any = optional_module("training.service")

MOST_FAILED = 5


@dataclass(frozen=True)
class StandardResult:
    code: str
    checked: int
    failed: int
    modules: "list[ModuleSummary]"

    @property
    def compliance(self) -> float | None:
        return share(self.checked - self.failed, self.checked)


@dataclass(frozen=True)
class AuditDetails:
    categories: "list[CategoryResults]"
    standards: list[StandardResult]  # every standard checked, most failed first

    @property
    def most_failed(self) -> list[StandardResult]:
        return [s for s in self.standards if s.failed][:MOST_FAILED]


def category_compliance(row: "CategoryResults") -> float | None:
    return share(row.checked - row.failed, row.checked)


def audit_details(session: Session, *, people: Any, period: Period) -> AuditDetails:
    """One grouped query for everyone selected, and one for the modules that cover the
    most-failed standards (at most MOST_FAILED, whatever the data). Empty without audits."""
    if audits_reporting is None:
        return AuditDetails(categories=[], standards=[])
    breakdown = audits_reporting.result_breakdown(
        session, people=people, start=period.start, end=period.end
    )
    failures = breakdown.standards
    failed_codes = [row.standard_code for row in failures if row.failed][:MOST_FAILED]
    modules = (
        training_service.modules_covering_each(session, standard_codes=failed_codes)
        if training_service is not None
        else {}
    )
    standards = [
        StandardResult(
            row.standard_code, row.checked, row.failed, modules.get(row.standard_code, [])
        )
        for row in failures
    ]
    return AuditDetails(
        categories=[row for row in breakdown.categories if row.checked], standards=standards
    )


def branch_audits(
    session: Session, *, branch_ids: list[int], period: Period
) -> "dict[int, BranchFigures]":
    """The branches' own audits in the period (one query)."""
    if not branch_ids or audits_reporting is None:
        return {}
    return audits_reporting.branch_figures(
        session, branch_ids=branch_ids, start=period.start, end=period.end
    )
