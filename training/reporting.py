"""Training figures per person for a period, in one grouped query (scorecards read these).

`people` selects person ids (a SELECT of one column, or ids listed in an expanding
parameter); `start` and `end` are inclusive dates in the bank's
time zone. Figures count the person's duties (enrollments not withdrawn) enrolled by `end`:
completions within the period split on time / late against their due date; overdue,
expired and in progress are as of `end`; refresher due is the open refreshers today (a
flag's history is not kept, only whether it is still open).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, and_, bindparam, case, func, literal, or_, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from frontline.db import read_columns
from frontline.figure_cache import Marker
from frontline.models import UTCDateTime
from frontline.reporting import built_once, ids_of
from training import enrollment
from training.models import Enrollment, Module, ModuleVersion, RefresherFlag, StandardChange


@dataclass(frozen=True)
class TrainingFigures:
    assigned: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    overdue: int = 0
    expired: int = 0
    refresher_due: int = 0
    in_progress: int = 0


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _figure_columns(start: Any, end: Any, after_end: Any, refresher_due: Any) -> list[Any]:
    """The figures as of `end` over [start, end]: parameters for one period, or a bounds
    table's columns for many at once."""
    completed_on = col(Enrollment.completed_on)
    in_period = and_(completed_on >= start, completed_on <= end)
    open_at_end = or_(completed_on.is_(None), completed_on > end)
    return [
        func.count(),
        _count(and_(in_period, completed_on <= col(Enrollment.due_on))),
        _count(and_(in_period, completed_on > col(Enrollment.due_on))),
        _count(and_(open_at_end, col(Enrollment.due_on) < end)),
        _count(and_(completed_on <= end, col(Enrollment.expires_on) <= end)),
        _count(refresher_due),
        _count(
            and_(
                open_at_end,
                col(Enrollment.started_at) < after_end,
                col(Enrollment.due_on) >= end,
            )
        ),
    ]


def _duties_of(people: Any) -> list[Any]:
    return [col(Enrollment.person_id).in_(ids_of(people)), enrollment.IS_DUTY]


def _open_refreshers(people: Any) -> Any:
    """The people's open refresher flags, one row per person and module: whether one asks
    only for a confirmation, and when the latest retake was flagged. Joined once, this does
    for thousands of enrollments what `enrollment.refresher_due()` does for one (a probe per
    row: ~0.5 s a 5,000-person chunk on PostgreSQL)."""
    return (
        sa_select(
            col(RefresherFlag.person_id).label("person_id"),
            col(RefresherFlag.module_id).label("module_id"),
            func.max(case((col(RefresherFlag.retake).is_(False), 1), else_=0)).label("confirm"),
            func.max(case((col(RefresherFlag.retake), col(RefresherFlag.flagged_at)))).label(
                "retake_at"
            ),
        )
        .where(
            col(RefresherFlag.confirmed_at).is_(None),
            col(RefresherFlag.person_id).in_(ids_of(people)),
        )
        .group_by(col(RefresherFlag.person_id), col(RefresherFlag.module_id))
        .subquery("open_refreshers")
    )


def _with_refreshers(query: Any, people: Any) -> tuple[Any, Any]:
    """The query joined to the open refreshers, and the condition "refresher due" on it (as
    `enrollment.refresher_due()`: a confirmation asked, or a retake not completed since)."""
    flags = _open_refreshers(people)
    joined = query.outerjoin(
        flags,
        and_(
            flags.c.person_id == col(Enrollment.person_id),
            flags.c.module_id == col(Enrollment.module_id),
        ),
    )
    completed_at = col(Enrollment.completed_at)
    due = and_(
        flags.c.person_id.is_not(None),
        or_(flags.c.confirm == 1, completed_at.is_(None), completed_at < flags.c.retake_at),
    )
    return joined, due


def _figures_query(people: Any) -> Any:
    after_end = bindparam("after_end", type_=UTCDateTime)
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    joined, refresher_due = _with_refreshers(sa_select().select_from(Enrollment), people)
    return (
        joined.add_columns(
            col(Enrollment.person_id), *_figure_columns(start, end, after_end, refresher_due)
        )
        .where(*_duties_of(people), col(Enrollment.enrolled_at) < after_end)
        .group_by(col(Enrollment.person_id))
    )


def figures(session: Session, *, people: Any, start: date, end: date) -> dict[int, TrainingFigures]:
    """Person id → their training figures for the period (people without duties absent)."""
    query, parameters = built_once("training.figures", people, _figures_query)
    bound = {**parameters, "start": start, "end": end, "after_end": _after(end)}
    return {
        person_id: TrainingFigures(*(int(v or 0) for v in values))
        for person_id, *values in read_columns(session, query, bound).all()
    }


def _after(end: date) -> Any:
    return enrollment.bank_day_start(end + timedelta(days=1))


def _monthly_query(months: int) -> Callable[[Any], Any]:
    def build(people: Any) -> Any:
        bounds = union_all(
            *[
                sa_select(
                    literal(index).label("month"),
                    bindparam(f"start_{index}", type_=Date).label("start"),
                    bindparam(f"end_{index}", type_=Date).label("end"),
                    bindparam(f"after_end_{index}", type_=UTCDateTime).label("after_end"),
                )
                for index in range(months)
            ]
        ).subquery("bounds")
        joined, refresher_due = _with_refreshers(sa_select().select_from(Enrollment), people)
        columns = _figure_columns(bounds.c.start, bounds.c.end, bounds.c.after_end, refresher_due)
        return (
            joined.join(bounds, col(Enrollment.enrolled_at) < bounds.c.after_end)
            .add_columns(col(Enrollment.person_id), bounds.c.month, *columns)
            .where(*_duties_of(people))
            .group_by(col(Enrollment.person_id), bounds.c.month)
        )

    return build


def figures_by_month(
    session: Session, *, people: Any, months: Sequence[tuple[date, date]]
) -> dict[tuple[int, int], TrainingFigures]:
    """The same figures for several periods at once (a scorecard's trend): keyed by (person
    id, index of the period in `months`); one query however many periods."""
    if not months:
        return {}
    key = ("training.figures_by_month", len(months))
    query, bound = built_once(key, people, _monthly_query(len(months)))
    for index, (start, end) in enumerate(months):
        bound |= {f"start_{index}": start, f"end_{index}": end, f"after_end_{index}": _after(end)}
    return {
        (person_id, month): TrainingFigures(*(int(v or 0) for v in values))
        for person_id, month, *values in read_columns(session, query, bound).all()
    }


@dataclass(frozen=True)
class EnrollmentRow:
    """One of a person's duties, as a scorecard lists the records behind its figures."""

    module_code: str
    title_zh: str
    title_en: str
    due_on: date
    completed_on: date | None
    expires_on: date | None
    status: str  # an enrollment.Status value as of the period's end


def enrollments_of(
    session: Session, *, person_id: int, end: date, limit: int = 50
) -> list[EnrollmentRow]:
    """The person's duties enrolled by `end` (those `figures` counts), with their status as
    of `end`, soonest due first (added for scorecards' drill-down)."""
    values = {"person_id": person_id, "end": end, "after_end": _after(end)}
    return [
        EnrollmentRow(*row) for row in read_columns(session, _duties_query(limit), values).all()
    ]


@cache
def _duties_query(limit: int) -> Any:
    """Built once (frontline.reporting says why); the person and the period's end are bound."""
    return (
        sa_select(
            col(Module.code),
            col(ModuleVersion.title_zh),
            col(ModuleVersion.title_en),
            col(Enrollment.due_on),
            col(Enrollment.completed_on),
            col(Enrollment.expires_on),
            enrollment.status_expression(bindparam("end", type_=Date)),
        )
        .join(Module, col(Module.id) == Enrollment.module_id)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .where(
            col(Enrollment.person_id) == bindparam("person_id"),
            enrollment.IS_DUTY,
            col(Enrollment.enrolled_at) < bindparam("after_end", type_=UTCDateTime),
        )
        .order_by(col(Enrollment.due_on), col(Module.code))
        .limit(limit)
    )


def change_markers(people: Any = None) -> list[Marker]:
    """Reports' cache markers for training: every write to an enrollment sets its updated_at;
    refreshers are flagged (new rows) and confirmed (at the time of it); standards changes are
    marked; a module's new version comes into force. For a report on `people` (a SELECT of
    ids), their enrollments and refreshers."""
    enrollments = [] if people is None else [col(Enrollment.person_id).in_(people)]
    flags = [] if people is None else [col(RefresherFlag.person_id).in_(people)]
    return [
        sa_select(func.max(Enrollment.updated_at)).where(*enrollments).scalar_subquery(),
        sa_select(func.max(RefresherFlag.id)).where(*flags).scalar_subquery(),
        sa_select(func.max(RefresherFlag.confirmed_at)).where(*flags).scalar_subquery(),
        sa_select(func.max(StandardChange.marked_at)).scalar_subquery(),
        sa_select(func.max(Module.current_version_id)).scalar_subquery(),
    ]
