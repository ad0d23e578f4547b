"""Loading standards and versions for a route, and who may see or change them."""

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from frontline.deps import SessionDep, reads
from frontline.i18n import N_
from frontline.web import translate
from staff.dependencies import CurrentUser, require_role
from staff.models import Person, Role
from standards import service
from standards.models import STATUS_LABELS, Standard, StandardVersion, VersionStatus

AuthorUser = Annotated[Person, require_role(Role.author)]
ReportViewer = Annotated[Person, require_role(Role.supervisor, Role.hr)]
CODE_PATH = r"^[A-Z]{2,6}-\d{2,4}$"


def can_author(person: Person) -> bool:
    return person.role in (Role.author, Role.admin)


def standard_from_path(
    code: Annotated[str, Path(pattern=CODE_PATH)], session: SessionDep, user: CurrentUser
) -> Standard:
    """The standard at this URL; one that exists only as a first draft is for authors only."""
    standard = service.get_by_code(session, code=code)
    if standard is None or (standard.current_version_id is None and not can_author(user)):
        raise HTTPException(status_code=404)
    return standard


StandardDep = Annotated[Standard, Depends(reads(standard_from_path))]


def version_from_path(
    number: Annotated[int, Path(ge=1)],
    standard: StandardDep,
    session: SessionDep,
    user: CurrentUser,
) -> StandardVersion:
    """The version at this URL; drafts are visible to authors only."""
    version = service.get_version(session, standard=standard, number=number)
    if version is None or (version.status == VersionStatus.draft and not can_author(user)):
        raise HTTPException(status_code=404)
    return version


VersionDep = Annotated[StandardVersion, Depends(reads(version_from_path))]


async def draft_from_path(request: Request, version: VersionDep) -> StandardVersion:
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


DraftDep = Annotated[StandardVersion, Depends(draft_from_path)]
