"""Managing the organisation: people, branches, teams, the roster import and the audit trail."""

import secrets
import string
from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import Field

from frontline import audit_trail, forms, status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of
from frontline.paging import paged
from frontline.web import redirect, render, render_page_or_fragment
from staff import service, sessions, units
from staff.audit_trail_views import router as audit_trail_router
from staff.dependencies import AdminUser, PersonInScope, PolicyDep, StaffViewer
from staff.forms import BranchForm, DeactivateForm, PersonForm, TeamForm
from staff.models import POSITION_LABELS, ROLE_LABELS, Branch, Person, Role, Team
from staff.roster_views import router as roster_router

router = APIRouter()
PAGE_SIZE = 50

DEACTIVATED = status.define(
    "person.deactivated", N_("%(name)s (%(no)s) is deactivated and can no longer log in.")
)
REACTIVATED = status.define(
    "person.reactivated", N_("%(name)s (%(no)s) is active again and can log in.")
)
SESSIONS_ENDED = status.define(
    "person.sessions_ended", N_("Sessions of %(name)s (%(no)s) ended: %(count)s.")
)


def _person_choices(session: SessionDep, viewer: Person | None = None) -> dict[str, object]:
    """Labels for the people pages; a supervisor is offered only the teams they may see."""
    team_ids = service.visible_team_ids(session, person=viewer) if viewer else None
    return {
        "roles": ROLE_LABELS,
        "positions": POSITION_LABELS,
        "teams": service.team_labels(session, team_ids=team_ids),
    }


# ---- people ---------------------------------------------------------------------------------


def _refusal_text(refused: service.RoleChangeRefused) -> str:
    """The service's role rule as a form error message."""
    return refused.message % refused.params if refused.params else refused.message


class PeopleQuery(forms.QueryFilters):
    q: str = Field(default="", max_length=100)
    team: int | None = None
    role: Role | None = None
    inactive: bool = False
    page: int = Field(default=1, ge=1)


@router.get("/people")
def list_people(
    request: Request,
    session: SessionDep,
    viewer: StaffViewer,
    query: Annotated[PeopleQuery, Query()],
) -> Response:
    q, team, role, inactive, page = query.q, query.team, query.role, query.inactive, query.page
    team_ids = service.visible_team_ids(session, person=viewer)
    listed = paged(
        page,
        PAGE_SIZE,
        lambda number: service.list_people(
            session,
            text=q.strip(),
            team_id=team,
            role=role,
            include_inactive=inactive,
            team_ids=team_ids,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        ),
    )
    context = {
        "people": listed.rows,
        "total": listed.total,
        "listed": listed,
        "filters": {"q": q, "team": team, "role": role.value if role else "", "inactive": inactive},
        **_person_choices(session, viewer),
    }
    return render_page_or_fragment(
        request, "staff/people.html", "staff/_people_table.html", context, target="people-table"
    )


@router.get("/people/new")
def new_person_page(request: Request, session: SessionDep, _admin: AdminUser) -> Response:
    context = {"person": None, "values": {"active": True}, "errors": {}, **_person_choices(session)}
    return render(request, "staff/person_form.html", context)


@router.post("/people/new")
async def create_person(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    values = dict(await request.form())
    form, errors = forms.parse(PersonForm, values)
    if form and not errors:
        try:
            person = service.create_person(
                session,
                employee_no=form.employee_no,
                name=form.name,
                role=form.role,
                position=form.position,
                team_id=form.team_id,
                email=form.email,
                active=form.active,
                actor_id=admin.id,
                acting_as=admin.role,
                ip=client_ip(request),
            )
        except service.PersonRefused as refused_person:
            errors[refused_person.field] = refused_person.message
        except service.RoleChangeRefused as refused:
            errors["role"] = _refusal_text(refused)
        else:
            return redirect(request, f"/people/{person.id}?created=1")
    context = {"person": None, "values": values, "errors": errors, **_person_choices(session)}
    return render(request, "staff/person_form.html", context, status_code=400)


def _person_context(
    session: SessionDep,
    person: Person,
    policy: PolicyDep,
    viewer: Person,
    **extra: object,
) -> dict[str, object]:
    return {
        "person": person,
        "values": person.model_dump(),
        "errors": {},
        "deactivate_errors": {},
        "deactivate_values": {},
        "live_sessions": sessions.live_count(session, person_id=id_of(person), policy=policy),
        **_person_choices(session, viewer),
        **extra,
    }


@router.get("/people/{person_id}")
def person_page(
    request: Request,
    session: SessionDep,
    person: PersonInScope,
    policy: PolicyDep,
    viewer: StaffViewer,
) -> Response:
    return render(request, "staff/person.html", _person_context(session, person, policy, viewer))


@router.post("/people/{person_id}")
async def update_person(
    request: Request,
    session: SessionDep,
    person: PersonInScope,
    admin: AdminUser,
    policy: PolicyDep,
) -> Response:
    values = dict(await request.form())
    values["employee_no"] = person.employee_no
    # Deactivating asks for a reason, so it has its own form; this one keeps the state.
    values["active"] = "on" if person.active else ""
    form, errors = forms.parse(PersonForm, values)
    if form and not errors:
        changes = form.model_dump(exclude={"employee_no"})
        try:
            service.update_person(
                session,
                person=person,
                changes=changes,
                actor_id=admin.id,
                acting_as=admin.role,
                ip=client_ip(request),
            )
        except service.PersonRefused as refused_person:
            errors[refused_person.field] = refused_person.message
        except service.RoleChangeRefused as refused:
            errors["role"] = _refusal_text(refused)
        else:
            return redirect(request, f"/people/{person.id}?saved=1")
    context = _person_context(session, person, policy, admin, values=values, errors=errors)
    return render(request, "staff/person.html", context, status_code=400)


@router.post("/people/{person_id}/deactivate")
async def deactivate_person(
    request: Request,
    session: SessionDep,
    person: PersonInScope,
    admin: AdminUser,
    policy: PolicyDep,
) -> Response:
    values = dict(await request.form())
    form, errors = forms.parse(DeactivateForm, values)
    if form is not None:
        try:
            service.deactivate_person(
                session,
                person=person,
                reason=form.reason,
                actor_id=admin.id,
                acting_as=admin.role,
                ip=client_ip(request),
            )
        except service.PersonRefused as refused_person:
            errors["reason"] = refused_person.message
        except service.RoleChangeRefused as refused:
            errors["reason"] = _refusal_text(refused)
    if form is None or errors:
        context = _person_context(
            session, person, policy, admin, deactivate_errors=errors, deactivate_values=values
        )
        return render(request, "staff/person.html", context, status_code=400)
    done = {"name": person.name, "no": person.employee_no}
    return redirect(request, status.url_with(request, f"/people/{person.id}", DEACTIVATED, **done))


@router.post("/people/{person_id}/reactivate")
def reactivate_person(
    request: Request, session: SessionDep, person: PersonInScope, admin: AdminUser
) -> Response:
    if not person.active:
        service.reactivate_person(
            session, person=person, actor_id=admin.id, acting_as=admin.role, ip=client_ip(request)
        )
    done = {"name": person.name, "no": person.employee_no}
    return redirect(request, status.url_with(request, f"/people/{person.id}", REACTIVATED, **done))


# Letters and digits that cannot be mistaken for one another when read out or written down.
TEMP_PASSWORD_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "Il1O0o"
)
TEMP_PASSWORD_GROUP = 4


def temporary_password() -> str:
    """Twelve characters with letters and digits, so it meets the password policy."""
    while True:
        value = "".join(secrets.choice(TEMP_PASSWORD_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


@router.post("/people/{person_id}/password")
def reset_password(
    request: Request, session: SessionDep, person: PersonInScope, admin: AdminUser
) -> Response:
    password = temporary_password()
    service.set_password(
        session, person=person, password=password, actor_id=admin.id, ip=client_ip(request)
    )
    person.must_change_password = True
    groups = [
        password[i : i + TEMP_PASSWORD_GROUP] for i in range(0, len(password), TEMP_PASSWORD_GROUP)
    ]
    return render(
        request,
        "staff/temporary_password.html",
        {"person": person, "password": password, "groups": groups},
        headers={"Cache-Control": "no-store"},
    )


@router.post("/people/{person_id}/sessions/end")
def end_sessions(
    request: Request, session: SessionDep, person: PersonInScope, admin: AdminUser
) -> Response:
    ended = sessions.end_all_for(session, person_id=id_of(person))
    audit_trail.record(
        session,
        action="person.sessions_ended",
        actor_id=admin.id,
        target_type="person",
        target_id=person.id,
        detail={"ended": ended},
        ip=client_ip(request),
    )
    done = status.url_with(
        request,
        f"/people/{person.id}",
        SESSIONS_ENDED,
        name=person.name,
        no=person.employee_no,
        count=ended,
    )
    return redirect(request, done)


# ---- roster import (staff/roster_views.py) --------------------------------------------------

router.include_router(roster_router)


# ---- branches and teams ---------------------------------------------------------------------


@router.get("/org")
def org_page(request: Request, session: SessionDep, _admin: AdminUser) -> Response:
    context = {
        "branches": units.list_branches(session),
        "teams": units.list_teams(session),
        "supervisors": units.supervisors_by_team(session),
    }
    return render(request, "staff/org.html", context)


def _branch_or_404(session: SessionDep, branch_id: int) -> Branch:
    branch = units.get_branch(session, branch_id=branch_id)
    if branch is None:
        raise HTTPException(status_code=404)
    return branch


@router.get("/org/branches/new")
def new_branch_page(request: Request, _admin: AdminUser) -> Response:
    return render(
        request,
        "staff/branch_form.html",
        {"branch": None, "values": {"active": True}, "errors": {}},
    )


@router.get("/org/branches/{branch_id}")
def branch_page(
    request: Request, session: SessionDep, _admin: AdminUser, branch_id: int
) -> Response:
    branch = _branch_or_404(session, branch_id)
    return render(
        request,
        "staff/branch_form.html",
        {"branch": branch, "values": branch.model_dump(), "errors": {}},
    )


# Decorators apply bottom-up: /new must be registered before /{id}.
@router.post("/org/branches/{branch_id}")
@router.post("/org/branches/new")
async def save_branch(
    request: Request, session: SessionDep, admin: AdminUser, branch_id: int | None = None
) -> Response:
    branch = _branch_or_404(session, branch_id) if branch_id else None
    values = dict(await request.form())
    form, errors = forms.parse(BranchForm, values)
    if form and not errors:
        save = partial(
            units.save_branch,
            session,
            branch=branch,
            code=form.code,
            name=form.name,
            region=form.region,
            active=form.active,
            actor_id=admin.id,
            ip=client_ip(request),
        )
        if _saved(save, errors):
            return redirect(request, "/org?saved=1")
    context = {"branch": branch, "values": values, "errors": errors}
    return render(request, "staff/branch_form.html", context, status_code=400)


def _saved(save: Callable[[], object], errors: dict[str, str]) -> bool:
    """Save a branch or team; a rule of staff/units.py it breaks becomes its field's error."""
    try:
        save()
    except units.UnitRefused as refused:
        errors[refused.field] = refused.message
        return False
    return True


def _team_context(
    session: SessionDep, team: Team | None, values: dict, errors: dict
) -> dict[str, object]:
    return {
        "team": team,
        "values": values,
        "errors": errors,
        "branches": units.list_branches(session),
        "candidates": units.possible_supervisors(session),
        "members": units.team_members(session, team_id=team.id) if team and team.id else [],
        "positions": POSITION_LABELS,
    }


def _whole_numbers(texts: list[str]) -> list[int]:
    return [int(text) for text in texts if text.isascii() and text.isdigit()]


@router.get("/org/teams/new")
def new_team_page(request: Request, session: SessionDep, _admin: AdminUser) -> Response:
    values = {"active": True, "supervisor_ids": []}
    return render(request, "staff/team_form.html", _team_context(session, None, values, {}))


@router.get("/org/teams/{team_id}")
def team_page(request: Request, session: SessionDep, _admin: AdminUser, team_id: int) -> Response:
    team = units.get_team(session, team_id=team_id)
    if team is None:
        raise HTTPException(status_code=404)
    values = {
        **team.model_dump(),
        "supervisor_ids": units.supervisor_ids(session, team_id=team_id),
    }
    return render(request, "staff/team_form.html", _team_context(session, team, values, {}))


# Decorators apply bottom-up: /new must be registered before /{id}.
@router.post("/org/teams/{team_id}")
@router.post("/org/teams/new")
async def save_team(
    request: Request, session: SessionDep, admin: AdminUser, team_id: int | None = None
) -> Response:
    team = units.get_team(session, team_id=team_id) if team_id else None
    if team_id and team is None:
        raise HTTPException(status_code=404)
    form_data = await request.form()
    values: dict[str, object] = dict(form_data)
    ticked = [v for v in form_data.getlist("supervisor_ids") if isinstance(v, str)]
    form, errors = forms.parse(TeamForm, {**values, "supervisor_ids": ticked})
    # Shown again on an error: the boxes stay ticked (a forged, non-numeric id is dropped).
    values["supervisor_ids"] = form.supervisor_ids if form else _whole_numbers(ticked)
    if form and not errors:
        save = partial(
            units.save_team,
            session,
            team=team,
            branch_id=form.branch_id,
            name=form.name,
            active=form.active,
            supervisor_ids=form.supervisor_ids,
            actor_id=admin.id,
            ip=client_ip(request),
        )
        if _saved(save, errors):
            return redirect(request, "/org?saved=1")
    context = _team_context(session, team, values, errors)
    return render(request, "staff/team_form.html", context, status_code=400)


# ---- audit trail: its own module, staff/audit_trail_views.py ------------------------------

router.include_router(audit_trail_router)
