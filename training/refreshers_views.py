"""Refresher pages: a person's catch-up on a changed standard, and who each change reached."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import Response

from frontline import status
from frontline.deps import SessionDep, client_ip, reads
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import redirect, render, translate
from staff import service as staff_service
from staff.dependencies import CurrentUser, require_role
from staff.models import Person, Role
from standards import service as standards_service
from training import dashboard, refreshers
from training.models import RefresherFlag, StandardChange

router = APIRouter()
ChangeViewer = Annotated[Person, require_role(Role.supervisor, Role.hr, Role.author)]
Author = Annotated[Person, require_role(Role.author)]

CONFIRMED = status.define("training.refresher_confirmed", N_("Thank you: the change is confirmed."))
MARKED = status.define("training.refresher_marked", N_("The change's refresher is saved."))


def _scope(session: SessionDep, viewer: Person) -> list[int] | None:
    return (
        None
        if viewer.role == Role.author
        else staff_service.visible_team_ids(session, person=viewer)
    )


@router.get("/training/refreshers")
def changes_page(request: Request, session: SessionDep, viewer: ChangeViewer) -> Response:
    rows = refreshers.changes(session, team_ids=_scope(session, viewer))
    return render(request, "training/refreshers.html", {"rows": rows})


def change_from_path(
    change_id: Annotated[int, Path()], session: SessionDep, viewer: ChangeViewer
) -> StandardChange:
    change = refreshers.get_change(session, change_id=change_id)
    if change is None:
        raise HTTPException(status_code=404)
    return change


ChangeDep = Annotated[StandardChange, Depends(reads(change_from_path))]


@router.get("/training/refreshers/changes/{change_id}")
def change_page(
    request: Request, session: SessionDep, viewer: ChangeViewer, change: ChangeDep
) -> Response:
    team_ids = _scope(session, viewer)
    row = next(
        (r for r in refreshers.changes(session, team_ids=team_ids) if r.change.id == change.id),
        None,
    )
    context = {
        "row": row,
        "change": change,
        "people": refreshers.affected_people(session, change=change, team_ids=team_ids),
        "team_labels": staff_service.team_labels(session, team_ids=team_ids),
        "may_mark": viewer.role in (Role.author, Role.admin),
    }
    return render(request, "training/refresher_change.html", context)


@router.post("/training/refreshers/changes/{change_id}/policy")
def mark_change(
    request: Request,
    session: SessionDep,
    author: Author,
    change: ChangeDep,
    retake: Annotated[bool, Form()] = False,
) -> Response:
    """The author's judgement: read and confirm, or take the module again."""
    refreshers.mark_change(
        session, change=change, retake=retake, actor=author, ip=client_ip(request)
    )
    url = f"/training/refreshers/changes/{change.id}"
    return redirect(request, status.url_with(request, url, MARKED))


def own_flag(
    flag_id: Annotated[int, Path()], session: SessionDep, user: CurrentUser
) -> RefresherFlag:
    """A refresher flag of the signed-in person; anyone else's is not found."""
    flag = refreshers.get_flag(session, flag_id=flag_id)
    if flag is None or flag.person_id != user.id:
        raise HTTPException(status_code=404)
    return flag


FlagDep = Annotated[RefresherFlag, Depends(reads(own_flag))]


@router.get("/training/refreshers/{flag_id}")
def refresher_page(
    request: Request, session: SessionDep, user: CurrentUser, flag: FlagDep
) -> Response:
    version = standards_service.get_version_by_id(session, version_id=flag.standard_version_id)
    module = dashboard.module_choices(session, ids={flag.module_id})
    context = {
        "flag": flag,
        "number": version.number if version else 0,
        "module": module[0] if module else None,
    }
    return render(request, "training/refresher.html", context)


@router.post("/training/refreshers/{flag_id}/confirm")
def confirm(request: Request, session: SessionDep, user: CurrentUser, flag: FlagDep) -> Response:
    try:
        refreshers.confirm(session, flag=flag, person=user, ip=client_ip(request))
    except refreshers.RefresherRefused as refused:
        raise HTTPException(status_code=409, detail=translate(request, refused.message)) from None
    url = f"/training/refreshers/{id_of(flag)}"
    return redirect(request, status.url_with(request, url, CONFIRMED))
