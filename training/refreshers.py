"""Refreshers: when a standard a module covers gets a new version, its completers catch up.

Everyone who completed the module before the version was published is flagged. They read
what changed (the standards diff) and confirm, or retake the module if its author judged the
change to need it (the module's refresher policy by default, changeable per change). A retake
flag is resolved by a completion after the publication; "refresher due" is derived from that.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, insert, literal, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.figure_cache import FigureCache
from frontline.i18n import N_
from frontline.models import UTCDateTime, id_of, utcnow
from staff.models import Person
from standards import service as standards_service
from standards.events import StandardVersionPublished
from training import dashboard
from training.models import (
    Enrollment,
    Module,
    ModuleVersion,
    RefresherFlag,
    RefresherPolicy,
    StandardChange,
    VersionStandard,
    VersionStatus,
)

RETAKE_DAYS = 30


class RefresherRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def retake_due_on(today: date) -> date:
    """When a module retaken for a standard change is due."""
    return today + timedelta(days=RETAKE_DAYS)


def is_open(flag: RefresherFlag, enrollment: Enrollment | None) -> bool:
    """Still to do: not confirmed, and for a retake no completion since the publication."""
    if flag.confirmed_at is not None:
        return False
    if not flag.retake:
        return True
    return (
        enrollment is None
        or enrollment.completed_at is None
        or (enrollment.completed_at < flag.flagged_at)
    )


def on_standard_version_published(session: Session, event: StandardVersionPublished) -> None:
    """Flag everyone who completed a module covering this standard before this version."""
    if event.number <= 1:
        return  # a first version changes nothing anyone completed
    version = standards_service.get_version_by_id(session, version_id=event.version_id)
    published_at = (version.published_at if version else None) or utcnow()
    modules = session.exec(
        select(Module.id, ModuleVersion.refresher_policy)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .join(VersionStandard, col(VersionStandard.version_id) == ModuleVersion.id)
        .where(
            VersionStandard.standard_code == event.code,
            ModuleVersion.status == VersionStatus.published,
            # An exam tests what was known in its window; a later change asks nothing of it.
            col(ModuleVersion.exam_opens_on).is_(None),
        )
    ).all()
    for module_id, policy in modules:
        if module_id is None:
            continue
        retake = policy == RefresherPolicy.retake
        session.add(
            StandardChange(module_id=module_id, standard_version_id=event.version_id, retake=retake)
        )
        completers = sa_select(
            col(Enrollment.person_id),
            col(Enrollment.module_id),
            col(Enrollment.id),
            literal(event.standard_id),
            literal(event.version_id),
            literal(event.code),
            literal(published_at, type_=UTCDateTime()),
            literal(retake),
        ).where(
            col(Enrollment.module_id) == module_id,
            col(Enrollment.withdrawn_at).is_(None),
            col(Enrollment.completed_at) < published_at,
        )
        columns = [
            "person_id",
            "module_id",
            "enrollment_id",
            "standard_id",
            "standard_version_id",
            "standard_code",
            "flagged_at",
            "retake",
        ]
        session.execute(insert(RefresherFlag).from_select(columns, completers))
    session.flush()


def mark_change(
    session: Session, *, change: StandardChange, retake: bool, actor: Person, ip: str = ""
) -> None:
    """The author's judgement of a change: confirm the reading, or retake the module."""
    change.retake, change.marked_by_id, change.marked_at = retake, id_of(actor), utcnow()
    session.add(change)
    session.execute(
        update(RefresherFlag)
        .where(
            col(RefresherFlag.module_id) == change.module_id,
            col(RefresherFlag.standard_version_id) == change.standard_version_id,
            col(RefresherFlag.confirmed_at).is_(None),
        )
        .values(retake=retake)
    )
    session.flush()
    audit_trail.record(
        session,
        action="training.refresher_policy",
        actor_id=id_of(actor),
        target_type="training_standard_change",
        target_id=change.id,
        detail={"retake": retake},
        ip=ip,
    )


def confirm(session: Session, *, flag: RefresherFlag, person: Person, ip: str = "") -> None:
    """The person read what changed and confirms it."""
    if flag.confirmed_at is not None:
        raise RefresherRefused(N_("You have already confirmed this change."))
    if flag.retake:
        raise RefresherRefused(N_("This change asks you to take the module again."))
    flag.confirmed_at = utcnow()
    session.add(flag)
    session.flush()
    audit_trail.record(
        session,
        action="training.refresher_confirm",
        actor_id=id_of(person),
        target_type="training_refresher",
        target_id=flag.id,
        detail={"standard": flag.standard_code, "module_id": flag.module_id},
        ip=ip,
    )


def get_flag(session: Session, *, flag_id: int) -> RefresherFlag | None:
    return session.get(RefresherFlag, flag_id)


def get_change(session: Session, *, change_id: int) -> StandardChange | None:
    return session.get(StandardChange, change_id)


@dataclass
class OpenRefresher:
    flag: RefresherFlag
    module_code: str
    title_zh: str
    title_en: str
    version_number: int


# On every employee's home page: built once with a parameter. Open is `is_open` in SQL: not
# confirmed, and for a retake no completion since the flag.
_OPEN_FOR = (
    sa_select(
        RefresherFlag, col(Module.code), col(ModuleVersion.title_zh), col(ModuleVersion.title_en)
    )
    .join(Enrollment, col(Enrollment.id) == RefresherFlag.enrollment_id)
    .join(Module, col(Module.id) == RefresherFlag.module_id)
    .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
    .where(
        col(RefresherFlag.person_id) == bindparam("person_id"),
        col(RefresherFlag.confirmed_at).is_(None),
        or_(
            col(RefresherFlag.retake).is_(False),
            col(Enrollment.completed_at).is_(None),
            col(Enrollment.completed_at) < RefresherFlag.flagged_at,
        ),
    )
    .order_by(col(RefresherFlag.flagged_at).desc())
)


def open_for(session: Session, *, person_id: int) -> list[OpenRefresher]:
    """The person's refreshers still to do, newest first."""
    rows = session.execute(_OPEN_FOR, {"person_id": person_id}).all()
    numbers = standards_service.version_numbers(
        session, ids={flag.standard_version_id for flag, *_ in rows}
    )
    return [
        OpenRefresher(flag, code, zh, en, numbers.get(flag.standard_version_id, 0))
        for flag, code, zh, en in rows
    ]


@dataclass
class ChangeRow:
    change: StandardChange
    standard_code: str
    version_number: int
    published_at: datetime | None
    module_code: str
    title_zh: str
    title_en: str
    affected: int
    done: int

    @property
    def outstanding(self) -> int:
        return self.affected - self.done


# The grouped count reads every flag of the region with its enrollment and person (16,000 in
# the region profile: ~27 ms on SQLite); kept per worker until the dashboards' inputs change
# (a flag raised or confirmed, an enrollment's write, a person's move).
_change_counts: FigureCache[dict[tuple[int, int], tuple[int, int]]] = FigureCache(size=64)


def _progress(
    session: Session, *, team_ids: list[int] | None
) -> dict[tuple[int, int], tuple[int, int]]:
    """(module, standard version) → (people affected, done), in the viewer's teams."""
    resolved = case(
        (col(RefresherFlag.confirmed_at).is_not(None), 1),
        (
            and_(
                col(RefresherFlag.retake).is_(True),
                col(Enrollment.completed_at) >= RefresherFlag.flagged_at,
            ),
            1,
        ),
        else_=0,
    )
    query = (
        select(
            RefresherFlag.module_id,
            RefresherFlag.standard_version_id,
            func.count(),
            func.sum(resolved),
        )
        .join(Enrollment, col(Enrollment.id) == RefresherFlag.enrollment_id)
        .join(Person, col(Person.id) == RefresherFlag.person_id)
        .where(col(Person.active).is_(True))
        .group_by(col(RefresherFlag.module_id), col(RefresherFlag.standard_version_id))
    )
    if team_ids is not None:
        query = query.where(col(Person.team_id).in_(team_ids))
    scope = None if team_ids is None else tuple(sorted(team_ids))

    def count() -> dict[tuple[int, int], tuple[int, int]]:
        return {(m, v): (n, int(done or 0)) for m, v, n, done in session.exec(query).all()}

    return _change_counts.get(session, ("changes", scope, dashboard.inputs(session)), count)


def changes(session: Session, *, team_ids: list[int] | None) -> list[ChangeRow]:
    """Each standard change that reached a module, with who is affected and how many are done
    (in the viewer's teams): one grouped query over the flags."""
    counts = _progress(session, team_ids=team_ids)
    rows = session.exec(
        select(StandardChange, Module.code, ModuleVersion.title_zh, ModuleVersion.title_en)
        .join(Module, col(Module.id) == StandardChange.module_id)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .order_by(col(StandardChange.created_at).desc())
        .limit(200)
    ).all()
    result = []
    for change, code, zh, en in rows:
        version = standards_service.get_version_by_id(
            session, version_id=change.standard_version_id
        )
        standard = (
            standards_service.get_standard(session, standard_id=version.standard_id)
            if version
            else None
        )
        affected, done = counts.get((change.module_id, change.standard_version_id), (0, 0))
        result.append(
            ChangeRow(
                change,
                standard.code if standard else "",
                version.number if version else 0,
                version.published_at if version else None,
                code,
                zh,
                en,
                affected,
                done,
            )
        )
    return result


@dataclass
class AffectedPerson:
    person: Person
    flag: RefresherFlag
    done: bool


def affected_people(
    session: Session, *, change: StandardChange, team_ids: list[int] | None, limit: int = 500
) -> list[AffectedPerson]:
    """Who a change reached (in the viewer's teams), those still to do first."""
    query = (
        select(Person, RefresherFlag, Enrollment)
        .join(RefresherFlag, col(RefresherFlag.person_id) == Person.id)
        .join(Enrollment, col(Enrollment.id) == RefresherFlag.enrollment_id)
        .where(
            RefresherFlag.module_id == change.module_id,
            RefresherFlag.standard_version_id == change.standard_version_id,
            col(Person.active).is_(True),
        )
        .order_by(col(RefresherFlag.confirmed_at).is_not(None), col(Person.employee_no))
        .limit(limit)
    )
    if team_ids is not None:
        query = query.where(col(Person.team_id).in_(team_ids))
    return [
        AffectedPerson(person, flag, not is_open(flag, enrollment))
        for person, flag, enrollment in session.exec(query).all()
    ]
