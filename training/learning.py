"""An employee takes a module: starts (or starts again), reads lesson by lesson with progress
saved as they go, takes the quiz through quizzes' service, and completes it.

Progress is stored per enrollment and lesson, so a person who stops on a phone goes on at a
tablet. A cycle starts at `started_at`: lessons read before it belong to an earlier cycle.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.db import insert_once, lock_fresh
from frontline.i18n import N_
from frontline.models import UTCDateTime, id_of, utcnow
from frontline.settings import get_settings
from staff.models import Person
from training import certificates, quiz_link
from training.enrollment import bank_today
from training.models import (
    Certificate,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
    ModuleVersion,
    RefresherFlag,
    VersionStatus,
)
from training.refreshers import retake_due_on
from training.service import TrainingError, bank_date, current_version, lessons_of


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def open_retake_since(session: Session, *, enrollment: Enrollment) -> datetime | None:
    """The latest standard change asking this person to retake the module, if still open."""
    flagged = session.exec(
        select(func.max(RefresherFlag.flagged_at)).where(
            RefresherFlag.person_id == enrollment.person_id,
            RefresherFlag.module_id == enrollment.module_id,
            col(RefresherFlag.retake).is_(True),
            col(RefresherFlag.confirmed_at).is_(None),
        )
    ).one()
    if flagged is None or (enrollment.completed_at and enrollment.completed_at >= flagged):
        return None
    return flagged


def needs_new_cycle(session: Session, *, enrollment: Enrollment, today: date) -> bool:
    """Completed before, and due again: the completion expired or a retake is asked."""
    if enrollment.completed_at is None or enrollment.started_at is None:
        return False
    if enrollment.started_at > enrollment.completed_at:
        return False  # already started again
    expired = enrollment.expires_on is not None and enrollment.expires_on <= today
    return expired or open_retake_since(session, enrollment=enrollment) is not None


def may_start(session: Session, *, enrollment: Enrollment, today: date) -> bool:
    if enrollment.withdrawn_at is not None:
        return False
    return enrollment.started_at is None or needs_new_cycle(
        session, enrollment=enrollment, today=today
    )


def start(
    session: Session, *, module: Module, enrollment: Enrollment, person: Person, ip: str = ""
) -> ModuleVersion:
    """Begin the module (or a new cycle of it) on the version in force today."""
    today = bank_today()
    if not may_start(session, enrollment=enrollment, today=today):
        raise TrainingError(N_("This module is already under way."))
    version = current_version(session, module=module)
    if version is None or version.status != VersionStatus.published:
        raise TrainingError(N_("This module is not open for learning."))
    again = enrollment.completed_at is not None
    if again:
        expired = enrollment.expires_on is not None and enrollment.expires_on <= today
        enrollment.due_on = (
            enrollment.expires_on if expired and enrollment.expires_on else (retake_due_on(today))
        )
    enrollment.started_at = utcnow()
    enrollment.version_id = version.id
    enrollment.updated_at = utcnow()
    session.add(enrollment)
    session.flush()
    audit_trail.record(
        session,
        action="training.start_again" if again else "training.start",
        actor_id=person.id,
        target_type="training_module",
        target_id=module.code,
        detail={"version": version.number, "enrollment_id": enrollment.id},
        ip=ip,
    )
    return version


_READ_LESSONS = select(LessonProgress.lesson_id).where(
    col(LessonProgress.enrollment_id) == bindparam("enrollment_id"),
    col(LessonProgress.read_at) >= bindparam("since", type_=UTCDateTime),
)


def read_lesson_ids(session: Session, *, enrollment: Enrollment) -> set[int]:
    """Lessons read in the current cycle."""
    if enrollment.started_at is None:
        return set()
    since = {"enrollment_id": enrollment.id, "since": enrollment.started_at}
    return set(session.scalars(_READ_LESSONS, since))


def mark_read(session: Session, *, enrollment: Enrollment, lesson: Lesson) -> None:
    """Save that the lesson was read (again, in a new cycle: the time moves on)."""

    def stored() -> LessonProgress | None:
        return session.exec(
            select(LessonProgress).where(
                LessonProgress.enrollment_id == enrollment.id,
                LessonProgress.lesson_id == lesson.id,
            )
        ).first()

    now = utcnow()
    progress = stored() or insert_once(
        session,
        LessonProgress(
            enrollment_id=id_of(enrollment),
            lesson_id=id_of(lesson),
            person_id=enrollment.person_id,
            read_at=now,
        ),
        stored,  # marked read from another device at the same moment
    )
    progress.read_at = now
    session.add(progress)
    session.flush()


@dataclass(frozen=True)
class QuizState:
    quiz_id: int
    passed: bool
    attempts_left: int | None  # None: unlimited
    window: str  # "open", "not_open", "closed" (exams), "open" for any other module


def exam_window(version: ModuleVersion, today: date) -> str:
    if version.exam_opens_on is None or version.exam_closes_on is None:
        return "open"
    if today < version.exam_opens_on:
        return "not_open"
    return "closed" if today > version.exam_closes_on else "open"


def quiz_state(
    session: Session, *, enrollment: Enrollment, version: ModuleVersion, today: date
) -> QuizState | None:
    if version.quiz_id is None:
        return None
    passed = quiz_link.has_passed(
        session,
        quiz_id=version.quiz_id,
        person_id=enrollment.person_id,
        since=enrollment.started_at,
    )
    left = quiz_link.attempts_left(session, quiz_id=version.quiz_id, person_id=enrollment.person_id)
    return QuizState(
        quiz_id=version.quiz_id,
        passed=passed,
        attempts_left=left,
        window=exam_window(version, today),
    )


def start_quiz(
    session: Session,
    *,
    module: Module,
    enrollment: Enrollment,
    version: ModuleVersion,
    person: Person,
    lessons_done: bool,
) -> int:
    """The quiz attempt to go to (after every lesson, inside an exam's window)."""
    if version.quiz_id is None:
        raise TrainingError(N_("This module has no quiz."))
    if not lessons_done:
        raise TrainingError(N_("Read every lesson before the quiz."))
    if exam_window(version, bank_today()) != "open":
        raise TrainingError(N_("The exam is not open today."))
    return quiz_link.start_attempt(
        session,
        quiz_id=version.quiz_id,
        person=person,
        return_to=f"/training/learn/{module.code}",
        exam=version.exam_opens_on is not None,
    )


def ready_to_complete(session: Session, *, enrollment: Enrollment, version: ModuleVersion) -> bool:
    if enrollment.started_at is None or enrollment.withdrawn_at is not None:
        return False
    if enrollment.completed_at is not None and enrollment.completed_at >= enrollment.started_at:
        return False  # this cycle is done
    lessons = lessons_of(session, version_id=id_of(version))
    if not {id_of(lesson) for lesson in lessons} <= read_lesson_ids(session, enrollment=enrollment):
        return False
    if version.quiz_id is None:
        return True
    return quiz_link.has_passed(
        session,
        quiz_id=version.quiz_id,
        person_id=enrollment.person_id,
        since=enrollment.started_at,
    )


def complete(
    session: Session,
    *,
    module: Module,
    enrollment: Enrollment,
    version: ModuleVersion,
    person: Person,
    ip: str = "",
) -> Certificate:
    """Record the completion of this cycle and issue its certificate (completing it again, a
    double tap or a second device, gives the same certificate)."""
    lock_fresh(session, enrollment)  # a second device completing at once finds it done
    completed, started = enrollment.completed_at, enrollment.started_at
    if completed is not None and started is not None and completed >= started:
        issued = certificates.latest_for(session, enrollment_id=id_of(enrollment))
        if issued is not None:
            return issued
    if not ready_to_complete(session, enrollment=enrollment, version=version):
        raise TrainingError(N_("Read every lesson and pass the quiz to complete the module."))
    now = utcnow()
    completed_on = bank_date(now, get_settings().zone())
    enrollment.completed_at = now
    enrollment.completed_on = completed_on
    enrollment.completed_version_id = version.id
    enrollment.expires_on = (
        add_months(completed_on, version.recert_months) if version.recert_months else None
    )
    if version.quiz_id is not None:
        result = quiz_link.best_result(
            session, quiz_id=version.quiz_id, person_id=enrollment.person_id
        )
        if result is not None:
            enrollment.quiz_attempt_id = result.attempt_id
            enrollment.quiz_score = result.score
            enrollment.quiz_passed = result.passed
    enrollment.updated_at = now
    session.add(enrollment)
    session.flush()
    certificate = certificates.issue(session, enrollment=enrollment, version=version)
    audit_trail.record(
        session,
        action="training.complete",
        actor_id=person.id,
        target_type="training_module",
        target_id=module.code,
        detail={
            "version": version.number,
            "enrollment_id": enrollment.id,
            "certificate": certificate.number,
            "late": enrollment.completed_on > enrollment.due_on,
        },
        ip=ip,
    )
    return certificate
