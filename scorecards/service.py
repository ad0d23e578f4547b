"""Scorecards' rules: whose figures a viewer may read, a person's page, rollups, export chunks
and HR's composite weights. Every figure comes from `figures.compute`, so all outputs agree."""

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of
from frontline.reporting import listed
from scorecards import people as people_selection
from scorecards.details import AuditDetails, audit_details, branch_audits
from scorecards.families import audits_reporting, quizzes_reporting, training_reporting
from scorecards.figures import (
    COMPONENTS,
    Scorecard,
    Weights,
    compute,
    compute_months,
    current_weights,
)
from scorecards.models import CompositeWeights
from scorecards.people import PersonRow, Selection
from scorecards.periods import Period, month_period
from scorecards.rollups import Level, Rollup, ranked, rollup
from staff import service as staff_service
from staff.models import Person, Role

if TYPE_CHECKING:
    from audits.reporting import BranchFigures


class WeightsRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def scope_of(session: Session, *, viewer: Person) -> Selection:
    """Everyone the viewer may see: employees themselves, supervisors their teams' people,
    HR and admins everyone."""
    if viewer.role in (Role.hr, Role.admin):
        return Selection()
    if viewer.role == Role.supervisor:
        teams = staff_service.supervised_team_ids(session, person_id=id_of(viewer))
        return Selection(team_ids=teams)
    return Selection(person_id=id_of(viewer))


def within(scope: Selection, **filters: object) -> Selection:
    """The viewer's scope narrowed by filters (None: no filter); never widened."""
    wanted = {name: value for name, value in filters.items() if value is not None}
    if scope.person_id is not None and wanted.get("person_id", scope.person_id) != scope.person_id:
        return Selection(team_ids=[])  # an employee asking for someone else: nobody
    return replace(scope, **wanted)  # type: ignore[arg-type]


# Up to this many people a page's figures read them listed (`_listed`).
LIST_AT_MOST = 1000


def scorecards(
    session: Session,
    *,
    selection: Selection,
    period: Period,
    zone: ZoneInfo,
    weights: Weights | None = None,
) -> list[Scorecard]:
    """Everyone selected, with their figures: one query for the people, one per family."""
    rows = people_selection.person_rows(session, selection=selection)
    # A team's or a branch's people listed, so each family's statement is built once; a
    # region's selected by a query (a statement of thousands of ids costs its own parsing).
    if len(rows) <= LIST_AT_MOST:
        return _compute(session, rows, _listed(rows), period, zone, weights)
    return _compute(session, rows, people_selection.id_query(selection), period, zone, weights)


def _compute(
    session: Session,
    rows: list[PersonRow],
    people: Any,
    period: Period,
    zone: ZoneInfo,
    weights: Weights | None,
) -> list[Scorecard]:
    """The scorecards of `rows`, whose ids `people` selects (or lists)."""
    if not rows:
        return []
    weights = weights or current_weights(session)
    return compute(session, rows=rows, people=people, period=period, zone=zone, weights=weights)


def _listed(rows: list[PersonRow]) -> Any:
    """A chunk's or page's people by their ids: each figure reads their own rows by index."""
    return listed([row.id for row in rows])


@dataclass(frozen=True)
class ExportPlan:
    """An export's chunks (the first and last person id of each) and the weights in force when
    it began, so chunks can be read apart, several at once, and still agree."""

    chunks: list[tuple[int, int]]
    weights: Weights


def export_plan(session: Session, *, selection: Selection, chunk_size: int) -> ExportPlan:
    """Chunks of `chunk_size` people: one query per figure family per chunk, so memory stays
    that of a few chunks whatever the bank's size."""
    ids = people_selection.ids(session, selection=selection)
    starts = range(0, len(ids), chunk_size)
    chunks = [(ids[i], ids[min(i + chunk_size, len(ids)) - 1]) for i in starts]
    return ExportPlan(chunks=chunks, weights=current_weights(session))


def export_chunk(
    session: Session,
    *,
    selection: Selection,
    plan: ExportPlan,
    chunk: tuple[int, int],
    period: Period,
    zone: ZoneInfo,
) -> list[Scorecard]:
    """The scorecards of one chunk of an export, in id order."""
    first, last = chunk
    rows = people_selection.person_rows(
        session, selection=selection, after_id=first - 1, until_id=last
    )
    return _compute(session, rows, _listed(rows), period, zone, plan.weights)


def page_of_scorecards(
    session: Session,
    *,
    selection: Selection,
    period: Period,
    zone: ZoneInfo,
    page: int,
    per_page: int,
) -> tuple[list[Scorecard], int]:
    """One page of scorecards in id order, and how many there are in all (the API)."""
    total = people_selection.count(session, selection=selection)
    rows = people_selection.person_rows(
        session, selection=selection, offset=(page - 1) * per_page, limit=per_page
    )
    return _compute(session, rows, _listed(rows), period, zone, None), total


@dataclass
class Standing:
    """Where a person stands in their team (without showing anyone else's figures)."""

    rank: int | None
    rated: int  # team members with a composite index
    size: int
    team_average: float | None


@dataclass
class TrendPoint:
    period: Period
    composite: float | None
    audit_score: float | None


@dataclass
class Records:
    """The records behind a person's figures in the period (newest first, capped)."""

    audits: list[Any]  # audits.reporting.AuditRow
    attempts: list[Any]  # quizzes.reporting.AttemptRow
    enrollments: list[Any]  # training.reporting.EnrollmentRow


@dataclass
class PersonScorecard:
    card: Scorecard
    standing: Standing
    trend: list[TrendPoint]
    details: AuditDetails
    records: Records
    weights: Weights  # the composite's, as computed


def records_of(session: Session, *, person_id: int, period: Period, zone: ZoneInfo) -> Records:
    """One query per family, for the drill-down from each figure to what it counts (a
    family whose domain does not report yet lists nothing)."""
    span = {"person_id": person_id, "start": period.start, "end": period.end}
    audits = audits_reporting.audits_of(session, **span) if audits_reporting else []
    attempts = (
        quizzes_reporting.attempts_of(session, **span, zone=zone) if quizzes_reporting else []
    )
    enrollments = (
        training_reporting.enrollments_of(session, person_id=person_id, end=period.end)
        if training_reporting
        else []
    )
    return Records(audits=audits, attempts=attempts, enrollments=enrollments)


def person_scorecard(
    session: Session, *, person_id: int, period: Period, zone: ZoneInfo, today: date
) -> PersonScorecard | None:
    """A person's scorecard, their standing in their team and the trend over the 12 months
    up to the period's end (or today, if sooner); None if they have no scorecard (inactive,
    or in no team)."""
    rows = people_selection.person_rows(session, selection=Selection(person_id=person_id))
    if not rows:
        return None
    weights = current_weights(session)
    team = Selection(team_id=rows[0].team_id)
    team_cards = scorecards(session, selection=team, period=period, zone=zone, weights=weights)
    card = next(c for c in team_cards if c.person.id == person_id)
    ranks = dict((id(c), rank) for rank, c in ranked(team_cards, lambda c: c.composite))
    rated = [c.composite for c in team_cards if c.composite is not None]
    standing = Standing(
        rank=ranks.get(id(card)),
        rated=len(rated),
        size=len(team_cards),
        team_average=round(sum(rated) / len(rated), 1) if rated else None,
    )
    last = min(period.end, today)
    months = month_period(last.year, last.month).trend_months()
    one = listed([person_id])
    monthly = compute_months(
        session,
        row=rows[0],
        people=one,
        months=months,
        zone=zone,
        weights=weights,
    )
    trend = [
        TrendPoint(month, card.composite, card.components.get("audits"))
        for month, card in zip(months, monthly, strict=True)
    ]
    details = audit_details(session, people=one, period=period)
    records = records_of(session, person_id=person_id, period=period, zone=zone)
    return PersonScorecard(card, standing, trend, details, records, weights)


@dataclass
class UnitReport:
    rollup: Rollup
    details: AuditDetails
    branch_audits: "list[tuple[str, BranchFigures]]"  # (branch name, its own audits)


def unit_rollup(
    session: Session,
    *,
    selection: Selection,
    level: Level,
    label: str,
    period: Period,
    zone: ZoneInfo,
    child_level: Level | None = None,
) -> UnitReport:
    """The rollup of the people selected (a unit within the viewer's scope), the standards
    they fail most, and the own audits of the branches they work in."""
    cards = scorecards(session, selection=selection, period=period, zone=zone)
    people = people_selection.id_query(selection)
    names = {card.person.branch_id: card.person.branch_name for card in cards}
    found = branch_audits(session, branch_ids=sorted(names), period=period)
    return UnitReport(
        rollup=rollup(cards, level=level, label=label, child_level=child_level),
        details=audit_details(session, people=people, period=period),
        branch_audits=[(names[branch_id], found[branch_id]) for branch_id in sorted(found)],
    )


def set_weights(
    session: Session, *, weights: Weights, note: str, actor_id: int, ip: str = ""
) -> CompositeWeights:
    """Put new weights in force; earlier ones stay as history."""
    if not any(weights.of(name) for name in COMPONENTS):
        raise WeightsRefused(N_("At least one weight must be more than 0."))
    row = CompositeWeights(
        audits=weights.audits,
        training=weights.training,
        quizzes=weights.quizzes,
        acknowledgments=weights.acknowledgments,
        note=note.strip(),
        set_by_id=actor_id,
    )
    session.add(row)
    session.flush()
    audit_trail.record(
        session,
        action="scorecards.weights",
        actor_id=actor_id,
        target_type="composite_weights",
        target_id=row.id,
        detail={name: weights.of(name) for name in COMPONENTS} | {"note": row.note},
        ip=ip,
    )
    return row


def weights_history(session: Session, *, limit: int = 20) -> list[CompositeWeights]:
    query = select(CompositeWeights).order_by(col(CompositeWeights.set_at).desc()).limit(limit)
    return list(session.exec(query))
