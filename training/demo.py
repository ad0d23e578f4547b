"""The demo bank's training year: T1's demo modules (training/demo_content.py), assigned by
HR by position, branch and team, with a realistic spread — most completed (some late, one
expired), some in progress, some overdue, the tellers' quarterly exam half taken, and one
refresher due because a covered standard (TXN-02) was revised after a teller finished."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from frontline.models import id_of, utcnow
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person, Position
from standards import service as standards_service
from standards.events import StandardVersionPublished
from standards.models import StandardVersion
from training import assignments, certificates, enrollment, refreshers, service
from training.assignments import Due, Target
from training.learning import add_months
from training.models import Assignment, Enrollment, LessonProgress, Module, TargetKind

HR = "H0001"
# The correction of TXN-02 that the counter module covers: E1001 had finished the module
# before it came out, so E1001 is refresher due.
REVISED_STANDARD = "TXN-02"
REFRESHER_DUE = ("TRN-CTR-01", "E1001")


@dataclass(frozen=True)
class Fate:
    """What one person did with one module: days ago they were enrolled, days they had,
    days after enrolment they finished (None: not yet) or started, their quiz score."""

    enrolled: int
    allowed: int = 30
    finished: int | None = None
    started: int | None = None
    score: float = 90.0


# module code → how it is assigned
RULES: dict[str, list[Target]] = {
    "TRN-CTR-01": [Target(TargetKind.position, position=Position.teller)],
    "TRN-LNG-01": [Target(TargetKind.branch, id=None)],  # the first demo branch, found below
    "TRN-AML-01": [
        Target(TargetKind.position, position=Position.teller),
        Target(TargetKind.position, position=Position.relationship_manager),
    ],
    "TRN-DSC-01": [Target(TargetKind.position, position=Position.relationship_manager)],
    "TRN-CMP-01": [Target(TargetKind.position, position=Position.call_agent)],
    "TRN-SPC-01": [Target(TargetKind.position, position=Position.lobby_manager)],
    "EXAM-2026Q4": [Target(TargetKind.position, position=Position.teller)],
}
# (module code, employee number) → what happened; anyone not named has not started yet.
FATES: dict[tuple[str, str], Fate] = {
    ("TRN-CTR-01", "E1001"): Fate(enrolled=120, finished=12, score=95),  # see REFRESHER_DUE
    ("TRN-CTR-01", "E1002"): Fate(enrolled=60, finished=20, score=88),
    ("TRN-CTR-01", "E1003"): Fate(enrolled=60, finished=41, score=80),  # late
    ("TRN-CTR-01", "E1004"): Fate(enrolled=50, started=5),  # overdue, half read
    ("TRN-LNG-01", "E1001"): Fate(enrolled=40, finished=6),
    ("TRN-LNG-01", "E1002"): Fate(enrolled=40, finished=9),
    ("TRN-LNG-01", "E1003"): Fate(enrolled=40, finished=15),
    ("TRN-LNG-01", "E1005"): Fate(enrolled=40, finished=3),
    ("TRN-LNG-01", "E1006"): Fate(enrolled=40, finished=33, score=75),  # late
    ("TRN-LNG-01", "E1007"): Fate(enrolled=40, finished=11),
    ("TRN-LNG-01", "E1008"): Fate(enrolled=40, started=2),  # overdue
    ("TRN-LNG-01", "S1001"): Fate(enrolled=40, finished=1),
    ("TRN-LNG-01", "S1002"): Fate(enrolled=40, finished=4),
    ("TRN-AML-01", "E1001"): Fate(enrolled=420, finished=10, score=92),  # expired: 12 months
    ("TRN-AML-01", "E1002"): Fate(enrolled=100, finished=14),
    ("TRN-AML-01", "E1003"): Fate(enrolled=100, finished=25),
    ("TRN-AML-01", "E1007"): Fate(enrolled=100, finished=8),
    ("TRN-AML-01", "E1008"): Fate(enrolled=100, finished=28),
    ("TRN-DSC-01", "E1007"): Fate(enrolled=70, finished=9, score=96),
    ("TRN-DSC-01", "E1008"): Fate(enrolled=70, started=50),  # overdue
    ("TRN-CMP-01", "E2001"): Fate(enrolled=45, finished=7),
    ("TRN-CMP-01", "E2002"): Fate(enrolled=45, finished=12),
    ("TRN-CMP-01", "E2003"): Fate(enrolled=45, finished=18, score=84),
    ("TRN-CMP-01", "E2004"): Fate(enrolled=10, allowed=21, started=2),  # in progress
    ("TRN-CMP-01", "E2005"): Fate(enrolled=45, allowed=21),  # overdue, not started
    ("TRN-SPC-01", "E1005"): Fate(enrolled=30, finished=5),
    ("TRN-SPC-01", "E1006"): Fate(enrolled=25, started=1),  # due in 5 days
    ("EXAM-2026Q4", "E1001"): Fate(enrolled=20, allowed=0, finished=3, score=92),
    ("EXAM-2026Q4", "E1002"): Fate(enrolled=20, allowed=0, finished=6, score=78),
}


def load(session: Session) -> Sequence[str]:
    """Assign and progress the demo modules unless assignments exist (twice is safe)."""
    if session.exec(select(Assignment.id).limit(1)).first() is not None:
        return []
    try:
        from training import demo_content

        modules = {m.code: m for m in demo_content.load_demo_modules(session)}
    except (service.TrainingError, ImportError, AttributeError) as exc:
        # The modules end with the quizzes' demo quizzes; without them there is no module.
        return [f"Training demo not loaded: {exc}"]
    hr = staff_service.get_by_employee_no(session, employee_no=HR)
    if hr is None or not modules:
        return []
    _assign(session, modules=modules, actor=hr)
    now = utcnow()
    revision = _revision(session)
    for (code, employee_no), fate in FATES.items():
        person = staff_service.get_by_employee_no(session, employee_no=employee_no)
        if code not in modules or person is None:
            continue
        if (code, employee_no) == REFRESHER_DUE and revision is not None:
            # Finished a fortnight before the correction came out: refresher due.
            fate = Fate(enrolled=max(14, (now - revision.published_at).days + 14), finished=0)  # type: ignore[operator]
        _live(session, module=modules[code], person_id=id_of(person), fate=fate, now=now)
    if revision is not None:
        refreshers.on_standard_version_published(
            session,
            StandardVersionPublished(
                standard_id=revision.standard_id,
                version_id=id_of(revision),
                code=REVISED_STANDARD,
                number=revision.number,
            ),
        )
    return []


def _revision(session: Session) -> StandardVersion | None:
    """The version of TXN-02 in force, if it revised an earlier one."""
    standard = standards_service.get_by_code(session, code=REVISED_STANDARD)
    if standard is None or standard.current_version_id is None:
        return None
    version = standards_service.get_version_by_id(session, version_id=standard.current_version_id)
    if version is None or version.number < 2 or version.published_at is None:
        return None
    return version


def _assign(session: Session, *, modules: dict[str, Module], actor: Person) -> None:
    branch = staff_units.list_branches(session)[0]
    for code, targets in RULES.items():
        if code not in modules:
            continue
        for target in targets:
            if target.kind == TargetKind.branch:
                target = Target(TargetKind.branch, id=id_of(branch))
            assignments.create_assignment(
                session,
                module_id=id_of(modules[code]),
                target=target,
                due=Due(days=30),
                reason="2026年度服务培训计划 (2026 service training plan)",
                actor=actor,
            )


def _live(session: Session, *, module: Module, person_id: int, fate: Fate, now: datetime) -> None:
    """Back-date one person's duty and play out what they did."""
    duty = session.exec(
        select(Enrollment).where(
            Enrollment.person_id == person_id, Enrollment.module_id == module.id
        )
    ).first()
    version = service.current_version(session, module=module)
    if duty is None or version is None:
        return
    enrolled = (now - timedelta(days=fate.enrolled)).replace(hour=1, minute=0, second=0)
    duty.enrolled_at = enrolled
    if version.exam_closes_on is None:
        duty.due_on = enrollment.bank_today(enrolled) + timedelta(days=fate.allowed)
    lessons = service.lessons_of(session, version_id=id_of(version))
    if fate.finished is not None or fate.started is not None:
        started = enrolled + timedelta(days=fate.started or fate.finished or 0)
        duty.started_at, duty.version_id = started, version.id
        read = lessons if fate.finished is not None else lessons[: max(1, len(lessons) // 2)]
        for lesson in read:
            session.add(
                LessonProgress(
                    enrollment_id=id_of(duty),
                    lesson_id=id_of(lesson),
                    person_id=person_id,
                    read_at=started,
                )
            )
    if fate.finished is not None:
        # At 10:30 in Beijing on the day they finished.
        at = (enrolled + timedelta(days=fate.finished)).replace(hour=2, minute=30)
        duty.completed_at, duty.completed_on = at, enrollment.bank_today(at)
        duty.completed_version_id = version.id
        if version.recert_months:
            duty.expires_on = add_months(duty.completed_on, version.recert_months)
        duty.quiz_score, duty.quiz_passed = fate.score, True
    duty.updated_at = now
    session.add(duty)
    session.flush()
    if duty.completed_at is not None:
        certificates.issue(session, enrollment=duty, version=version)
