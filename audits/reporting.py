"""Audit figures for scorecards: one grouped SQL query per figure family, never a loop.

Every function takes `people`, a selectable of person ids (a SELECT of one column or a
subquery of one), and a period `start`..`end` (dates in the bank's time zone, inclusive), and
counts submitted audits whose subject is one of those people and whose observation falls in
the period. Scores are as shown to users: 0 when a veto item failed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, func, literal
from sqlalchemy import select as sa_select
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from audits.models import (
    ActionStatus,
    Amendment,
    Audit,
    AuditStatus,
    AuditTemplate,
    CorrectionAction,
    Dispute,
    ItemResult,
    Outcome,
    TemplateItem,
    TemplateVersion,
)
from audits.scoring import one_decimal
from frontline.db import read_columns
from frontline.figure_cache import Marker
from frontline.reporting import built_once, ids_of
from frontline.settings import get_settings


@dataclass(frozen=True)
class AuditFigures:
    audits: int
    average_score: float | None  # one decimal; None without a scored audit
    veto_breaches: int
    open_actions: int


@dataclass(frozen=True)
class StandardFailures:
    standard_code: str
    checked: int  # item results that applied (pass or fail; N/A left out)
    failed: int


@dataclass(frozen=True)
class CategoryResults:
    category: str
    checked: int
    failed: int
    points_possible: float
    points_earned: float


@dataclass(frozen=True)
class ItemResults:
    template: str
    item_code: str
    standard_code: str | None
    checked: int
    failed: int
    na: int


@dataclass(frozen=True)
class MonthlyScore:
    person_id: int
    month: str  # YYYY-MM in the bank's time zone
    audits: int
    average_score: float | None


@dataclass(frozen=True)
class BranchFigures:
    audits: int
    average_score: float | None
    veto_breaches: int


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as UTC instants [from, to): local midnight of start to that after end."""
    zone = get_settings().zone()
    return (
        datetime.combine(start, time(), zone),
        datetime.combine(end + timedelta(days=1), time(), zone),
    )


def _average(column: Any) -> Any:
    return func.avg(column)


def _one_decimal(value: Any) -> float | None:
    return None if value is None else one_decimal(float(value))


def _in_period(people: Any) -> list[ColumnElement[bool]]:
    """Submitted audits of `people` observed from :first to before :after (`_period`)."""
    return [
        col(Audit.status) == AuditStatus.submitted,
        col(Audit.subject_person_id).in_(ids_of(people)),
        col(Audit.observed_at) >= bindparam("first"),
        col(Audit.observed_at) < bindparam("after"),
    ]


def _period(start: date, end: date) -> dict[str, datetime]:
    first, after = bounds(start, end)
    return {"first": first, "after": after}


def _figures_query(people: Any) -> Any:
    return (
        sa_select(
            col(Audit.subject_person_id),
            func.count(col(Audit.id)),
            _average(col(Audit.score)),
            func.sum(case((col(Audit.veto_breached), 1), else_=0)),
        )
        .where(*_in_period(people))
        .group_by(col(Audit.subject_person_id))
    )


def _open_actions_query(people: Any) -> Any:
    return (
        sa_select(col(CorrectionAction.person_id), func.count(col(CorrectionAction.id)))
        .where(
            col(CorrectionAction.person_id).in_(ids_of(people)),
            col(CorrectionAction.status) == ActionStatus.open,
            col(CorrectionAction.created_at) < bindparam("after"),
        )
        .group_by(col(CorrectionAction.person_id))
    )


def audit_figures(
    session: Session, *, people: Any, start: date, end: date
) -> dict[int, AuditFigures]:
    """Per person: audits, average score (as shown), veto breaches, open correction actions."""
    query, parameters = built_once("audits.figures", people, _figures_query)
    period = {**parameters, **_period(start, end)}
    counted = {
        person_id: (count, average, breaches or 0)
        for person_id, count, average, breaches in read_columns(session, query, period)
        if person_id is not None
    }
    actions, _ = built_once("audits.open_actions", people, _open_actions_query)
    open_actions = {pid: n for pid, n in read_columns(session, actions, period) if pid is not None}
    return {
        person_id: AuditFigures(
            audits=counted.get(person_id, (0, None, 0))[0],
            average_score=_one_decimal(counted.get(person_id, (0, None, 0))[1]),
            veto_breaches=int(counted.get(person_id, (0, None, 0))[2]),
            open_actions=open_actions.get(person_id, 0),
        )
        for person_id in {*counted, *open_actions}
    }


def _result_counts() -> tuple[Any, Any, Any]:
    checked = func.sum(
        case((col(ItemResult.outcome).in_([Outcome.passed, Outcome.failed]), 1), else_=0)
    )
    failed = func.sum(case((col(ItemResult.outcome) == Outcome.failed, 1), else_=0))
    na = func.sum(case((col(ItemResult.outcome) == Outcome.na, 1), else_=0))
    return checked, failed, na


@dataclass(frozen=True)
class ResultBreakdown:
    standards: list[StandardFailures]  # most failed first
    categories: list[CategoryResults]  # by category name; items without a standard under ""


def _breakdown_query(people: Any) -> Any:
    checked, failed, _na = _result_counts()
    return (
        sa_select(
            col(TemplateItem.standard_code),
            col(TemplateItem.standard_category),
            checked,
            failed,
            func.coalesce(func.sum(col(ItemResult.points_possible)), 0),
            func.coalesce(func.sum(col(ItemResult.points_earned)), 0),
        )
        .join(ItemResult, col(ItemResult.item_id) == TemplateItem.id)
        .join(Audit, col(Audit.id) == ItemResult.audit_id)
        .where(*_in_period(people))
        .group_by(col(TemplateItem.standard_code), col(TemplateItem.standard_category))
    )


def result_breakdown(session: Session, *, people: Any, start: date, end: date) -> ResultBreakdown:
    """Item results per standard behind the items and per category of those standards, from
    one grouped query (a region's month is some 250,000 results; reading them once, not twice,
    halves the rollup's audit details). Versions of a template compare through the standard."""
    query, parameters = built_once("audits.result_breakdown", people, _breakdown_query)
    standards: dict[str, list[int]] = {}
    categories: dict[str, list[float]] = {}
    rows = read_columns(session, query, {**parameters, **_period(start, end)})
    for code, category, n, f, possible, earned in rows:
        if code is not None:
            counts = standards.setdefault(code, [0, 0])
            counts[0] += int(n or 0)
            counts[1] += int(f or 0)
        sums = categories.setdefault(category or "", [0, 0, 0.0, 0.0])
        for index, value in enumerate((int(n or 0), int(f or 0), float(possible), float(earned))):
            sums[index] += value
    return ResultBreakdown(
        standards=sorted(
            (StandardFailures(code, n, f) for code, (n, f) in standards.items()),
            key=lambda row: (-row.failed, row.standard_code),
        ),
        categories=[
            CategoryResults(name, int(n), int(f), p, e)
            for name, (n, f, p, e) in sorted(categories.items())
        ],
    )


def results_by_item(session: Session, *, people: Any, start: date, end: date) -> list[ItemResults]:
    """Per template item (every version of a template's item under its code)."""
    checked, failed, na = _result_counts()
    query = (
        sa_select(
            col(AuditTemplate.code),
            col(TemplateItem.code),
            func.max(col(TemplateItem.standard_code)),
            checked,
            failed,
            na,
        )
        .join(ItemResult, col(ItemResult.item_id) == TemplateItem.id)
        .join(Audit, col(Audit.id) == ItemResult.audit_id)
        .join(AuditTemplate, col(AuditTemplate.id) == Audit.template_id)
        .where(*_in_period(people))
        .group_by(col(AuditTemplate.code), col(TemplateItem.code))
        .order_by(col(AuditTemplate.code), col(TemplateItem.code))
    )
    return [
        ItemResults(t, i, s, int(n or 0), int(f or 0), int(a or 0))
        for t, i, s, n, f, a in read_columns(session, query, _period(start, end))
    ]


def _months(start: date, end: date) -> list[date]:
    """The first day of each month from start's to end's."""
    months = [date(start.year, start.month, 1)]
    while months[-1] < date(end.year, end.month, 1):
        month = months[-1]
        months.append(date(month.year + month.month // 12, month.month % 12 + 1, 1))
    return months


def _monthly_query(months: int) -> Callable[[Any], Any]:
    def build(people: Any) -> Any:
        # Each observation's month in the bank's time zone, named by a CASE (portable SQL).
        month = case(
            *[
                (col(Audit.observed_at) < bindparam(f"before_{i}"), bindparam(f"name_{i}"))
                for i in range(months)
            ],
            else_=literal(""),
        )
        return (
            sa_select(
                col(Audit.subject_person_id),
                month,
                func.count(col(Audit.id)),
                _average(col(Audit.score)),
            )
            .where(*_in_period(people))
            .group_by(col(Audit.subject_person_id), month)
            .order_by(col(Audit.subject_person_id), month)
        )

    return build


def monthly_scores(session: Session, *, people: Any, start: date, end: date) -> list[MonthlyScore]:
    """Per person and month: audits and average score (as shown), for the trend chart."""
    months = _months(start, end)
    zone = get_settings().zone()
    key = ("audits.monthly_scores", len(months))
    query, bound = built_once(key, people, _monthly_query(len(months)))
    for index, month in enumerate(months):
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        bound[f"before_{index}"] = datetime.combine(following, time(), zone)
        bound[f"name_{index}"] = month.strftime("%Y-%m")
    return [
        MonthlyScore(person_id, name, count, _one_decimal(average))
        for person_id, name, count, average in read_columns(
            session, query, {**bound, **_period(start, end)}
        )
        if person_id is not None
    ]


def branch_figures(
    session: Session, *, branch_ids: Any, start: date, end: date
) -> dict[int, BranchFigures]:
    """Per branch, its branch-subject audits (environment and facilities checks)."""
    first, after = bounds(start, end)
    query = (
        select(
            col(Audit.branch_id),
            func.count(col(Audit.id)),
            _average(col(Audit.score)),
            func.sum(case((col(Audit.veto_breached), 1), else_=0)),
        )
        .where(
            col(Audit.status) == AuditStatus.submitted,
            col(Audit.subject_person_id).is_(None),
            col(Audit.branch_id).in_(ids_of(branch_ids)),
            col(Audit.observed_at) >= first,
            col(Audit.observed_at) < after,
        )
        .group_by(col(Audit.branch_id))
    )
    return {
        branch_id: BranchFigures(count, _one_decimal(average), int(breaches or 0))
        for branch_id, count, average, breaches in session.exec(query)
        if branch_id is not None
    }


@dataclass(frozen=True)
class AuditRow:
    """One submitted audit of a person, as a scorecard lists the records behind its figures."""

    audit_id: int
    template_code: str
    title_zh: str
    title_en: str
    observed_at: datetime
    score: float | None
    veto_breached: bool
    dispute_status: str | None = None  # DisputeStatus when the employee disputed it
    dispute_outcome: str | None = None  # DisputeOutcome once resolved


def audits_of(
    session: Session, *, person_id: int, start: date, end: date, limit: int = 20
) -> list[AuditRow]:
    """The person's submitted audits observed in the period (those audit_figures counts),
    newest first, at most `limit`, each with its dispute if any (for scorecards' drill-down)."""
    values = {"person_id": person_id, **_period(start, end)}
    return [AuditRow(*row) for row in read_columns(session, _audits_of_query(limit), values).all()]


@cache
def _audits_of_query(limit: int) -> Any:
    """Built once (frontline.reporting says why); the person and the period are bound."""
    return (
        sa_select(
            col(Audit.id),
            col(AuditTemplate.code),
            col(TemplateVersion.title_zh),
            col(TemplateVersion.title_en),
            col(Audit.observed_at),
            col(Audit.score),
            col(Audit.veto_breached),
            col(Dispute.status),
            col(Dispute.outcome),
        )
        .join(AuditTemplate, col(AuditTemplate.id) == Audit.template_id)
        .join(TemplateVersion, col(TemplateVersion.id) == Audit.template_version_id)
        .outerjoin(Dispute, col(Dispute.audit_id) == Audit.id)
        .where(
            col(Audit.status) == AuditStatus.submitted,
            col(Audit.subject_person_id) == bindparam("person_id"),
            col(Audit.observed_at) >= bindparam("first"),
            col(Audit.observed_at) < bindparam("after"),
        )
        .order_by(col(Audit.observed_at).desc())
        .limit(limit)
    )


def change_markers(people: Any = None) -> list[Marker]:
    """Reports' cache markers for audits: drafts count nowhere; an audit counts from its
    submission (submitted_at is then the time of it) and changes only by an amendment;
    correction actions are added and closed (closed_at). For a report on `people` (a SELECT of
    ids): audits of them and of branches (few), amendments (few) and their actions."""
    if people is None:
        return [
            sa_select(func.max(Audit.submitted_at)).scalar_subquery(),
            sa_select(func.max(Amendment.id)).scalar_subquery(),
            sa_select(func.max(CorrectionAction.id)).scalar_subquery(),
            sa_select(func.max(CorrectionAction.closed_at)).scalar_subquery(),
        ]
    # Submitted audits are never deleted: their count grows with each submission, and is read
    # from the (subject, status, …) index alone.
    submitted = col(Audit.status) == AuditStatus.submitted
    actions = col(CorrectionAction.person_id).in_(people)
    return [
        sa_select(func.count())
        .select_from(Audit)
        .where(col(Audit.subject_person_id).in_(people), submitted)
        .scalar_subquery(),
        sa_select(func.count())
        .select_from(Audit)
        .where(col(Audit.subject_person_id).is_(None), submitted)
        .scalar_subquery(),
        sa_select(func.max(Amendment.id)).scalar_subquery(),
        sa_select(func.max(CorrectionAction.id)).where(actions).scalar_subquery(),
        sa_select(func.max(CorrectionAction.closed_at)).where(actions).scalar_subquery(),
    ]
