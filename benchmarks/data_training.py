"""A region's training year for benchmarks: 30 modules (3 of them exams), assignment rules by
position, and 12 months of enrollments, reading progress, completions (some late), overdue
and expired duties, certificates, refresher flags and reminders for every person.

Called by `python -m benchmarks.generate` after staff and standards; bulk Core inserts.
"""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from staff.models import Person, Position, Role
from standards.models import Standard, StandardVersion
from training.models import (
    Assignment,
    Certificate,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
    ModuleVersion,
    RefresherFlag,
    Reminder,
    StandardChange,
    TargetKind,
    VersionStandard,
)

MODULES = 30
EXAMS = 3
LESSONS = 4
FRONT_LINE = [p.value for p in Position if p not in (Position.branch_manager, Position.back_office)]
LESSON_BODY = (
    "## 要点\n\n客户走近时主动问候:“您好!请问您办理什么业务?”双手递接,唱收唱付。\n\n"
    "{{standard GRT-01}}\n\n- 二次征询\n- 礼貌道别\n" * 3
)


def _modules(session: Session, rng: random.Random, now: datetime) -> list[dict[str, Any]]:
    codes = list(session.execute(select(Standard.code).order_by(Standard.code)).scalars())[:40]
    modules = []
    for i in range(MODULES):
        exam = i >= MODULES - EXAMS
        module_id = session.execute(
            insert(Module).values(code=f"BM-{i:03d}", created_at=now).returning(Module.id)
        ).scalar_one()
        covered = rng.sample(codes, 3)
        positions = rng.sample(FRONT_LINE, 2)
        opens = (now - timedelta(days=30)).date() if exam else None
        version_id = session.execute(
            insert(ModuleVersion)
            .values(
                module_id=module_id,
                number=1,
                status="draft",
                created_at=now,
                updated_at=now,
                title_zh=f"培训课程 {i}",
                title_en=f"Training module {i}",
                summary_zh="课程简介",
                positions=positions,
                estimated_minutes=30,
                standard_codes=covered,
                quiz_id=None,
                recert_months=12 if i % 3 == 0 else None,
                exam_opens_on=opens,
                exam_closes_on=opens + timedelta(days=60) if opens else None,
                refresher_policy="retake" if i % 7 == 0 else "confirm",
            )
            .returning(ModuleVersion.id)
        ).scalar_one()
        session.execute(
            insert(VersionStandard),
            [{"version_id": version_id, "standard_code": c} for c in covered],
        )
        lessons = [] if exam else list(range(1, LESSONS + 1))
        lesson_ids = [
            session.execute(
                insert(Lesson)
                .values(
                    version_id=version_id,
                    position=n,
                    title_zh=f"第{n}课",
                    title_en=f"Lesson {n}",
                    body_zh=LESSON_BODY,
                    body_en="Greet first.",
                )
                .returning(Lesson.id)
            ).scalar_one()
            for n in lessons
        ]
        session.execute(
            update(Module).where(col(Module.id) == module_id).values(current_version_id=version_id)
        )
        # Published last: the database refuses lessons added to a published version.
        session.execute(
            update(ModuleVersion)
            .where(col(ModuleVersion.id) == version_id)
            .values(status="published", published_at=now)
        )
        modules.append(
            {
                "id": module_id,
                "version_id": version_id,
                "positions": positions,
                "lessons": lesson_ids,
                "recert": i % 3 == 0,
                "exam": exam,
                "covered": covered,
                "retake": i % 7 == 0,
            }
        )
    return modules


def _assignments(
    session: Session, modules: list[dict[str, Any]], hr_id: int, now: datetime
) -> None:
    for m in modules:
        m["assignments"] = {}
        for position in m["positions"]:
            m["assignments"][position] = session.execute(
                insert(Assignment)
                .values(
                    module_id=m["id"],
                    target_kind=TargetKind.position.value,
                    target_position=position,
                    due_days=30,
                    reason="年度培训计划",
                    created_at=now - timedelta(days=365),
                    created_by_id=hr_id,
                    updated_at=now,
                )
                .returning(Assignment.id)
            ).scalar_one()


def _duty(
    rng: random.Random, m: dict[str, Any], person_id: int, now: datetime
) -> tuple[dict[str, Any], str]:
    """One enrollment row and what happened to it (done, late, open, late_open, expired)."""
    enrolled = now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
    due = (enrolled + timedelta(days=30)).date()
    if m["exam"]:
        due = (now + timedelta(days=30)).date()
    fate = rng.choices(["done", "late", "open"], weights=[72, 12, 16])[0]
    row: dict[str, Any] = {
        "person_id": person_id,
        "module_id": m["id"],
        "enrolled_at": enrolled,
        "due_on": due,
        "updated_at": now,
        "started_at": None,
        "version_id": None,
        "completed_at": None,
        "completed_on": None,
        "completed_version_id": None,
        "expires_on": None,
        "quiz_score": None,
        "quiz_passed": None,
    }
    if fate == "open":
        if rng.random() < 0.5:
            row["started_at"] = enrolled + timedelta(days=1)
            row["version_id"] = m["version_id"]
        return row, "open"
    took = timedelta(days=rng.randint(1, 28) if fate == "done" else rng.randint(31, 60))
    completed = min(enrolled + took, now - timedelta(minutes=1))
    row.update(
        started_at=enrolled + timedelta(hours=2),
        version_id=m["version_id"],
        completed_at=completed,
        completed_on=completed.date(),
        completed_version_id=m["version_id"],
        quiz_score=float(rng.randint(60, 100)),
        quiz_passed=True,
    )
    if m["recert"]:
        row["expires_on"] = completed.date() + timedelta(days=365 - rng.randint(0, 40))
    return row, fate


def generate(session: Session, rng: random.Random) -> dict[str, int]:
    now = datetime.now(UTC)
    # Rules are HR's; the generated region has none yet, so its first supervisor signs them.
    hr_id = (
        session.execute(
            select(Person.id).where(Person.role.in_([Role.hr, Role.supervisor])).order_by(Person.id)  # type: ignore[attr-defined]
        )
        .scalars()
        .first()
    )
    assert hr_id is not None, "benchmarks.generate makes the people first"
    modules = _modules(session, rng, now)
    _assignments(session, modules, hr_id, now)
    people = session.execute(select(Person.id, Person.position).where(Person.active)).all()
    rows, fates = [], []
    for person_id, position in people:
        value = getattr(position, "value", position)
        for m in modules:
            if value in m["positions"]:
                row, fate = _duty(rng, m, person_id, now)
                row["assignment_id"] = m["assignments"][value]
                rows.append(row)
                fates.append((m, fate))
    for start in range(0, len(rows), 5000):
        session.execute(insert(Enrollment.__table__), rows[start : start + 5000])
    enrollments = session.execute(
        select(
            Enrollment.id,
            Enrollment.person_id,
            Enrollment.module_id,
            Enrollment.completed_at,
            Enrollment.started_at,
            Enrollment.expires_on,
        )
    ).all()
    by_module = {m["id"]: m for m in modules}
    counts = _progress_and_certificates(session, rng, enrollments, by_module, now)
    counts |= _refreshers(session, rng, enrollments, by_module, hr_id, now)
    return {"training_modules": MODULES, "training_enrollments": len(rows), **counts}


def _progress_and_certificates(
    session: Session,
    rng: random.Random,
    enrollments: list[Any],
    by_module: dict[int, dict[str, Any]],
    now: datetime,
) -> dict[str, int]:
    progress, certificates = [], []
    for enrollment_id, person_id, module_id, completed_at, started_at, expires_on in enrollments:
        m = by_module[module_id]
        if completed_at is not None:
            read = m["lessons"]
            certificates.append(
                {
                    "number": f"BM{enrollment_id:08d}{rng.randint(0, 99):02d}",
                    "enrollment_id": enrollment_id,
                    "person_id": person_id,
                    "module_id": module_id,
                    "version_id": m["version_id"],
                    "issued_at": completed_at,
                    "expires_on": expires_on,
                }
            )
        elif started_at is not None:
            read = m["lessons"][: rng.randint(1, max(1, len(m["lessons"]) - 1))]
        else:
            continue
        progress += [
            {
                "enrollment_id": enrollment_id,
                "lesson_id": lesson_id,
                "person_id": person_id,
                "read_at": started_at or now,
            }
            for lesson_id in read
        ]
    for start in range(0, len(progress), 10000):
        session.execute(insert(LessonProgress.__table__), progress[start : start + 10000])
    for start in range(0, len(certificates), 10000):
        session.execute(insert(Certificate.__table__), certificates[start : start + 10000])
    return {"training_lesson_reads": len(progress), "training_certificates": len(certificates)}


def _refreshers(
    session: Session,
    rng: random.Random,
    enrollments: list[Any],
    by_module: dict[int, dict[str, Any]],
    hr_id: int,
    now: datetime,
) -> dict[str, int]:
    """One covered standard changed a month ago for a third of the modules: completers
    before it are flagged (half of the confirm kind have confirmed)."""
    current = dict(
        session.execute(
            select(Standard.code, StandardVersion.id).join(
                StandardVersion, StandardVersion.id == Standard.current_version_id
            )  # type: ignore[arg-type]
        ).all()
    )
    standard_ids = dict(session.execute(select(Standard.code, Standard.id)).all())
    changed_at = now - timedelta(days=30)
    flags, reminders = [], []
    for module_id, m in by_module.items():
        if module_id % 3:
            continue
        code = m["covered"][0]
        session.execute(
            insert(StandardChange).values(
                module_id=module_id,
                standard_version_id=current[code],
                retake=m["retake"],
                created_at=changed_at,
            )
        )
        for enrollment_id, person_id, mid, completed_at, _started, _expires in enrollments:
            if mid == module_id and completed_at is not None and completed_at < changed_at:
                confirmed = None if m["retake"] or rng.random() < 0.5 else now
                flags.append(
                    {
                        "person_id": person_id,
                        "module_id": module_id,
                        "enrollment_id": enrollment_id,
                        "standard_id": standard_ids[code],
                        "standard_version_id": current[code],
                        "standard_code": code,
                        "flagged_at": changed_at,
                        "retake": m["retake"],
                        "confirmed_at": confirmed,
                    }
                )
    for _id, person_id, module_id, completed_at, _s, _e in enrollments:
        if completed_at is None and rng.random() < 0.3:
            reminders.append(
                {
                    "person_id": person_id,
                    "module_id": module_id,
                    "reminded_by_id": hr_id,
                    "reminded_at": now - timedelta(days=rng.randint(0, 20)),
                }
            )
    for start in range(0, len(flags), 10000):
        session.execute(insert(RefresherFlag.__table__), flags[start : start + 10000])
    if reminders:
        session.execute(insert(Reminder.__table__), reminders)
    return {"training_refresher_flags": len(flags), "training_reminders": len(reminders)}
