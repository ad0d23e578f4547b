"""Helpers for the assignment, dashboard and refresher tests: modules in force and completions
written straight to the tables (the authoring and learner flows have tests of their own)."""

from datetime import UTC, date, datetime

from frontline.db import Database
from frontline.models import id_of
from staff import service as staff_service
from training import assignments
from training.assignments import Due, Target
from training.models import (
    Enrollment,
    Module,
    ModuleVersion,
    RefresherPolicy,
    TargetKind,
    VersionStandard,
    VersionStatus,
)


def make_module(
    db: Database,
    *,
    code: str,
    standards: tuple[str, ...] = (),
    recert_months: int | None = None,
    policy: RefresherPolicy = RefresherPolicy.confirm,
    exam: tuple[date, date] | None = None,
    status: VersionStatus = VersionStatus.published,
) -> Module:
    with db.session() as session:
        module = Module(code=code)
        session.add(module)
        session.flush()
        version = ModuleVersion(
            module_id=id_of(module),
            number=1,
            status=status,
            title_zh=f"{code} 课程",
            title_en=f"{code} course",
            standard_codes=list(standards),
            recert_months=recert_months,
            refresher_policy=policy,
            exam_opens_on=exam[0] if exam else None,
            exam_closes_on=exam[1] if exam else None,
            published_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        session.add(version)
        session.flush()
        for standard in standards:
            session.add(VersionStandard(version_id=id_of(version), standard_code=standard))
        module.current_version_id = version.id
        session.add(module)
        session.flush()
        session.expunge(module)
        return module


def complete(
    db: Database,
    *,
    person_id: int,
    module_id: int,
    at: datetime,
    expires_on: date | None = None,
    score: float | None = None,
) -> None:
    """Record a completion as the learner flow does."""
    from sqlmodel import select

    with db.session() as session:
        enrollment = session.exec(
            select(Enrollment).where(
                Enrollment.person_id == person_id, Enrollment.module_id == module_id
            )
        ).one()
        enrollment.started_at = enrollment.started_at or at
        enrollment.completed_at = at
        enrollment.completed_on = at.date()
        enrollment.expires_on = expires_on
        enrollment.quiz_score = score
        enrollment.quiz_passed = score is not None
        enrollment.updated_at = datetime.now(UTC)  # as every write does (dashboard's cache)
        session.add(enrollment)


def duties(db: Database, *, person_id: int) -> dict[int, Enrollment]:
    from sqlmodel import select

    with db.session() as session:
        rows = session.exec(select(Enrollment).where(Enrollment.person_id == person_id)).all()
        for row in rows:
            session.expunge(row)
        return {row.module_id: row for row in rows}


def refresher_modules(
    db: Database, *, standard_code: str, prefix: str, team_id: int, actor_id: int
) -> tuple[Module, Module]:
    """Two modules over one standard, both assigned to a team: one whose refresher is a
    confirmation (`<prefix>-COURSE`) and one that must be retaken (`<prefix>-RETAKE`)."""
    confirm = make_module(db, code=f"{prefix}-COURSE", standards=(standard_code,))
    retake = make_module(
        db, code=f"{prefix}-RETAKE", standards=(standard_code,), policy=RefresherPolicy.retake
    )
    with db.session() as session:
        actor = staff_service.get_person(session, person_id=actor_id)
        for module in (confirm, retake):
            assignments.create_assignment(
                session, module_id=id_of(module), target=Target(TargetKind.team, team_id),
                due=Due(days=10), reason="r", actor=actor,
            )  # fmt: skip
    return confirm, retake
