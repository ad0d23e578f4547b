"""Loading modules, versions, lessons and a learner's enrollment for a route, and who may see
or change them."""

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from frontline.deps import SessionDep
from frontline.i18n import N_
from frontline.web import translate
from staff.dependencies import CurrentUser, require_role
from staff.models import Person, Role
from training import service
from training.enrollment import enrollment_of
from training.models import STATUS_LABELS, Enrollment, Lesson, Module, ModuleVersion, VersionStatus

AuthorUser = Annotated[Person, require_role(Role.author)]
CODE_PATH = r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,10}){0,3}$"


def can_author(person: Person) -> bool:
    return person.role in (Role.author, Role.admin)


def module_from_path(
    code: Annotated[str, Path(pattern=CODE_PATH)], session: SessionDep, user: CurrentUser
) -> Module:
    """The module at this URL; one never published is for authors only."""
    module = service.get_by_code(session, code=code)
    if module is None or (module.current_version_id is None and not can_author(user)):
        raise HTTPException(status_code=404)
    return module


ModuleDep = Annotated[Module, Depends(module_from_path)]


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


VersionDep = Annotated[ModuleVersion, Depends(version_from_path)]


def draft_from_path(request: Request, version: VersionDep) -> ModuleVersion:
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


LessonDep = Annotated[Lesson, Depends(lesson_from_path)]


def my_enrollment(module: ModuleDep, session: SessionDep, user: CurrentUser) -> Enrollment:
    """The signed-in person's own enrollment in this module: nobody reads another's progress.
    A withdrawn duty stays visible only when it was completed."""
    enrollment = enrollment_of(session, person_id=user.id or 0, module_id=module.id or 0)
    if enrollment is None or (
        enrollment.withdrawn_at is not None and enrollment.completed_at is None
    ):
        raise HTTPException(status_code=404)
    return enrollment


EnrollmentDep = Annotated[Enrollment, Depends(my_enrollment)]
