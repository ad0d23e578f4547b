"""An employee's own training, in the buckets they act on: overdue, due soon, in progress, to
do, expiring, done. Two queries whatever the number of modules, each built once here with
parameters for the person and today (building them cost more than running them: every
employee opens this page)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import BindParameter, Date, and_, bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline.db import read_columns
from standards.reading import Lang, Text
from training.enrollment import Status, status_expression
from training.models import Enrollment, Lesson, LessonProgress, Module, ModuleVersion
from training.reading import pick

DUE_SOON_DAYS = 14
EXPIRING_DAYS = 60


@dataclass(frozen=True)
class Item:
    """One duty as the page shows it: plain values, read as columns (loading three ORM rows
    for each cost more than the rest of the page)."""

    code: str
    title: Text  # of the version being taken, else the one in force
    minutes: int | None
    due_on: date
    completed_on: date | None
    expires_on: date | None
    withdrawn: bool
    status: Status
    lessons: int
    read: int

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.lessons) if self.lessons else 0


@dataclass
class MyTraining:
    overdue: list[Item] = field(default_factory=list)
    due_soon: list[Item] = field(default_factory=list)
    in_progress: list[Item] = field(default_factory=list)
    to_do: list[Item] = field(default_factory=list)
    expiring: list[Item] = field(default_factory=list)
    done: list[Item] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (self.overdue, self.due_soon, self.in_progress, self.to_do, self.expiring, self.done)
        )


_PERSON: BindParameter[int] = bindparam("person_id")
_TODAY: BindParameter[date] = bindparam("today", type_=Date)

# Lessons of the version being taken that the person read since they started this cycle.
_READ_COUNTS = (
    select(Enrollment.id, func.count(col(LessonProgress.id)))
    .join(
        LessonProgress,
        and_(
            col(LessonProgress.enrollment_id) == Enrollment.id,
            col(LessonProgress.read_at) >= Enrollment.started_at,
        ),
    )
    .join(
        Lesson,
        and_(
            col(Lesson.id) == LessonProgress.lesson_id,
            col(Lesson.version_id) == Enrollment.version_id,
        ),
    )
    .where(col(Enrollment.person_id) == _PERSON)
    .group_by(col(Enrollment.id))
)

_LESSON_COUNT = (
    select(func.count(col(Lesson.id)))
    .where(col(Lesson.version_id) == ModuleVersion.id)
    .correlate(ModuleVersion)
    .scalar_subquery()
)
_MINE = (
    sa_select(
        col(Enrollment.id),
        col(Module.code),
        col(ModuleVersion.title_zh),
        col(ModuleVersion.title_en),
        col(ModuleVersion.estimated_minutes),
        col(Enrollment.due_on),
        col(Enrollment.completed_on),
        col(Enrollment.expires_on),
        col(Enrollment.withdrawn_at).is_not(None).label("withdrawn"),
        status_expression(_TODAY).label("status"),
        _LESSON_COUNT.label("lessons"),
    )
    .join(Module, col(Module.id) == Enrollment.module_id)
    .join(
        ModuleVersion,
        col(ModuleVersion.id) == func.coalesce(Enrollment.version_id, Module.current_version_id),
    )
    .where(
        col(Enrollment.person_id) == _PERSON,
        # A withdrawn duty stays only as a record of what was completed.
        or_(col(Enrollment.withdrawn_at).is_(None), col(Enrollment.completed_at).is_not(None)),
    )
    .order_by(col(Enrollment.due_on), col(Module.code))
)


def _read_counts(session: Session, *, person_id: int) -> dict[int, int]:
    rows = read_columns(session, _READ_COUNTS, {"person_id": person_id}).all()
    return {enrollment_id: n for enrollment_id, n in rows if enrollment_id is not None}


def _bucket(mine: MyTraining, item: Item, today: date) -> None:
    status = item.status
    if item.withdrawn:  # no longer a duty: a record of what was done
        mine.done.append(item)
    elif status in (Status.overdue, Status.expired):
        mine.overdue.append(item)
    elif status in (Status.completed_on_time, Status.completed_late):
        expires = item.expires_on
        if expires is not None and expires <= today + timedelta(days=EXPIRING_DAYS):
            mine.expiring.append(item)
        else:
            mine.done.append(item)
    elif item.due_on <= today + timedelta(days=DUE_SOON_DAYS):
        mine.due_soon.append(item)
    elif status == Status.in_progress:
        mine.in_progress.append(item)
    else:
        mine.to_do.append(item)


def my_training(session: Session, *, person_id: int, today: date, lang: Lang) -> MyTraining:
    rows = read_columns(session, _MINE, {"person_id": person_id, "today": today}).all()
    reads = _read_counts(session, person_id=person_id)
    mine = MyTraining()
    for row in rows:
        item = Item(
            code=row.code,
            title=pick(row.title_zh, row.title_en, lang),
            minutes=row.estimated_minutes,
            due_on=row.due_on,
            completed_on=row.completed_on,
            expires_on=row.expires_on,
            withdrawn=bool(row.withdrawn),
            status=Status(row.status),
            lessons=row.lessons or 0,
            read=reads.get(row.id, 0),
        )
        _bucket(mine, item, today)
    return mine
