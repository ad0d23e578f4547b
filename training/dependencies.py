"""Loading modules, versions, lessons and a learner's enrollment for a route, and who may see
or change them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.responses import Response
from sqlalchemy import and_, bindparam, func
from sqlmodel import Session, col, select

from frontline.deps import SessionDep, reads
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import translate
from staff.dependencies import CurrentUser, as_signed_in_writer, require_role
from staff.models import Person, Role
from staff.sessions import SessionPolicy
from training import service
from training.models import STATUS_LABELS, Enrollment, Lesson, Module, ModuleVersion, VersionStatus

AuthorUser = Annotated[Person, require_role(Role.author)]
CODE_PATH = r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,10}){0,3}$"
CodePath = Annotated[str, Path(pattern=CODE_PATH)]


def can_author(person: Person) -> bool:
    return person.role in (Role.author, Role.admin)


def module_from_path(code: CodePath, session: SessionDep, user: CurrentUser) -> Module:
    """The module at this URL; one never published is for authors only."""
    module = service.get_by_code(session, code=code)
    if module is None or (module.current_version_id is None and not can_author(user)):
        raise HTTPException(status_code=404)
    return module


ModuleDep = Annotated[Module, Depends(reads(module_from_path))]


def version_from_path(
    number: Annotated[int, Path(ge=1, le=100000)],
    module: ModuleDep,
    session: SessionDep,
    user: CurrentUser,
) -> ModuleVersion:
    """The version at this URL; drafts are for authors only."""
    version = service.get_version(session, module=module, number=number)
    if version is None or (version.status == VersionStatus.draft and not can_author(user)):
        raise HTTPException(status_code=404)
    return version


VersionDep = Annotated[ModuleVersion, Depends(reads(version_from_path))]


async def draft_from_path(request: Request, version: VersionDep) -> ModuleVersion:
    """The version at this URL, for routes that change it: only a draft may change."""
    if version.status != VersionStatus.draft:
        message = N_(
            "Version %(number)s is %(status)s and can no longer be changed. "
            "Start a new draft to make changes."
        )
        status = translate(request, STATUS_LABELS[version.status]).lower()
        detail = translate(request, message, number=version.number, status=status)
        raise HTTPException(status_code=409, detail=detail)
    return version


DraftDep = Annotated[ModuleVersion, Depends(draft_from_path)]


def lesson_from_path(
    position: Annotated[int, Path(ge=1, le=1000)], version: VersionDep, session: SessionDep
) -> Lesson:
    for lesson in service.lessons_of(session, version_id=version.id or 0):
        if lesson.position == position:
            return lesson
    raise HTTPException(status_code=404)


LessonDep = Annotated[Lesson, Depends(reads(lesson_from_path))]


@dataclass(frozen=True)
class Learning:
    """What a learner's page needs: the module, their own enrollment, and the version they
    take (before they start, the one in force)."""

    module: Module
    enrollment: Enrollment
    version: ModuleVersion


# Built once with parameters: every lesson page and module page asks it.
_MY_LEARNING = (
    select(Module, Enrollment, ModuleVersion)
    .join(
        Enrollment,
        and_(
            col(Enrollment.module_id) == Module.id,
            col(Enrollment.person_id) == bindparam("person_id"),
        ),
    )
    .join(
        ModuleVersion,
        col(ModuleVersion.id) == func.coalesce(Enrollment.version_id, Module.current_version_id),
    )
    .where(col(Module.code) == bindparam("code"))
)


def learning_of(session: Session, *, person_id: int, code: str) -> Learning:
    """One query for the module, this person's enrollment and the version: nobody reads
    another's progress, and a withdrawn duty stays visible only when completed."""
    row = session.execute(_MY_LEARNING, {"person_id": person_id, "code": code}).first()
    if row is None:
        raise HTTPException(status_code=404)
    module, enrollment, version = row
    if enrollment.withdrawn_at is not None and enrollment.completed_at is None:
        raise HTTPException(status_code=404)
    return Learning(module=module, enrollment=enrollment, version=version)


def my_learning(code: CodePath, session: SessionDep, user: CurrentUser) -> Learning:
    return learning_of(session, person_id=id_of(user), code=code)


LearningDep = Annotated[Learning, Depends(reads(my_learning))]

LearnerAct = Callable[[Request, Session, Learning, Person], Response]


async def as_learner(
    request: Request, policy: SessionPolicy, code: str, act: LearnerAct
) -> Response:
    """A learner's write (start, a lesson read, the quiz, completing) on their own module, in
    one short transaction with the sign-in checked inside it (`as_signed_in_writer`): a branch
    starting an exam at its opening time would otherwise queue on SQLite's write lock, held
    from the sign-in check across every hop of the request. Routes using it carry
    `signed_in_checked_in_write`."""

    def learn(session: Session, person: Person) -> Response:
        learning_ = learning_of(session, person_id=id_of(person), code=code)
        return act(request, session, learning_, person)

    return await as_signed_in_writer(request, policy, learn)
