"""Queries about modules that every part of training (and audits) needs.

Authoring lives in training/authoring.py, learning in training/learning.py, certificates in
training/certificates.py; assignments, dashboards and refreshers in their own modules.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline.models import utcnow
from staff.models import Person
from training.models import Lesson, Module, ModuleVersion, VersionStandard, VersionStatus


class TrainingError(Exception):
    """A rule of training was broken; the message is shown to the user (translatable)."""


def bank_date(moment: datetime, zone: tzinfo) -> date:
    """The bank's calendar date of a UTC moment."""
    return moment.astimezone(zone).date()


def bank_today(zone: tzinfo) -> date:
    return bank_date(utcnow(), zone)


def start_of_bank_day(day: date, zone: tzinfo) -> datetime:
    """The UTC moment a bank day begins."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class ModuleSummary:
    id: int
    code: str
    title_zh: str
    title_en: str


def get_module(session: Session, *, module_id: int) -> Module | None:
    return session.get(Module, module_id)


def get_by_code(session: Session, *, code: str) -> Module | None:
    return session.exec(select(Module).where(Module.code == code)).first()


def get_version_by_id(session: Session, *, version_id: int) -> ModuleVersion | None:
    return session.get(ModuleVersion, version_id)


def current_version(session: Session, *, module: Module) -> ModuleVersion | None:
    """The version in force (published, or archived once the module is archived)."""
    if module.current_version_id is None:
        return None
    return session.get(ModuleVersion, module.current_version_id)


def is_published(session: Session, *, module: Module) -> bool:
    version = current_version(session, module=module)
    return version is not None and version.status == VersionStatus.published


def versions(session: Session, *, module: Module) -> list[ModuleVersion]:
    return list(
        session.exec(
            select(ModuleVersion)
            .where(ModuleVersion.module_id == module.id)
            .order_by(col(ModuleVersion.number))
        )
    )


def get_version(session: Session, *, module: Module, number: int) -> ModuleVersion | None:
    return session.exec(
        select(ModuleVersion).where(
            ModuleVersion.module_id == module.id, ModuleVersion.number == number
        )
    ).first()


def draft_of(session: Session, *, module: Module) -> ModuleVersion | None:
    return session.exec(
        select(ModuleVersion).where(
            ModuleVersion.module_id == module.id, ModuleVersion.status == VersionStatus.draft
        )
    ).first()


_LESSONS = (
    select(Lesson)
    .where(col(Lesson.version_id) == bindparam("version_id"))
    .order_by(col(Lesson.position))
)


def lessons_of(session: Session, *, version_id: int) -> list[Lesson]:
    """A version's lessons in order (a statement built once: every lesson page asks it)."""
    return list(session.scalars(_LESSONS, {"version_id": version_id}))


def is_exam(session: Session, *, version: ModuleVersion) -> bool:
    """An exam is a version with a quiz, an opening window and no lessons."""
    if version.quiz_id is None or version.exam_opens_on is None:
        return False
    return not lessons_of(session, version_id=version.id or 0)


# Built once: an audit's page asks it for every failed item, a scorecard for its most-failed
# standards, in one statement each.
_COVERING = (
    sa_select(
        col(VersionStandard.standard_code),
        col(Module.id),
        col(Module.code),
        col(ModuleVersion.title_zh),
        col(ModuleVersion.title_en),
    )
    .select_from(Module)
    .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
    .join(VersionStandard, col(VersionStandard.version_id) == ModuleVersion.id)
    .where(
        col(VersionStandard.standard_code).in_(bindparam("codes", expanding=True)),
        col(ModuleVersion.status) == VersionStatus.published,
    )
    .order_by(col(Module.code))
)


def modules_covering_each(
    session: Session, *, standard_codes: Iterable[str]
) -> dict[str, list[ModuleSummary]]:
    """For each standard, the published modules whose version in force covers it, by code."""
    found: dict[str, list[ModuleSummary]] = {code: [] for code in standard_codes}
    if found:
        for code, module_id, module_code, title_zh, title_en in session.execute(
            _COVERING, {"codes": sorted(found)}
        ):
            found[code].append(ModuleSummary(module_id, module_code, title_zh, title_en))
    return found


def published_modules(session: Session) -> list[tuple[Module, ModuleVersion]]:
    """Every module in force with its version, by code (pickers, the catalogue)."""
    rows = session.exec(
        select(Module, ModuleVersion)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .where(ModuleVersion.status == VersionStatus.published)
        .order_by(col(Module.code))
    ).all()
    return [(m, v) for m, v in rows]


def assign_module_to_person(
    session: Session,
    *,
    module_id: int,
    person_id: int,
    due_on: date,
    actor: Person,
    reason: str,
) -> None:
    """One person, one module, by a date (audits' coaching actions); who may assign to whom
    applies as on the assignment pages (training.assignments.AssignmentRefused if not)."""
    from training import assignments  # assignments reads modules through this module

    assignments.assign_module_to_person(
        session, module_id=module_id, person_id=person_id, due_on=due_on, actor=actor, reason=reason
    )


def catalogue(session: Session, *, drafts: bool) -> list[tuple[Module, ModuleVersion]]:
    """Modules in force (published or archived), by code; or the modules with a draft."""
    if not drafts:
        rows = session.exec(
            select(Module, ModuleVersion)
            .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
            .order_by(col(Module.code))
        ).all()
    else:
        rows = session.exec(
            select(Module, ModuleVersion)
            .join(ModuleVersion, col(ModuleVersion.module_id) == Module.id)
            .where(ModuleVersion.status == VersionStatus.draft)
            .order_by(col(Module.code))
        ).all()
    return [(m, v) for m, v in rows]
