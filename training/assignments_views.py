"""Assignment pages: the rules in force, a new one, changing its due date, withdrawing it."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from frontline import forms, status
from frontline.deps import SessionDep, client_ip, reads
from frontline.i18n import N_
from frontline.models import id_of
from frontline.paging import PageNumber
from frontline.web import redirect, render, translate
from staff import service as staff_service
from staff import units as staff_units
from staff.dependencies import require_role
from staff.models import POSITION_LABELS, Person, Position, Role
from training import assignments, dashboard
from training.assignments import AssignmentRefused, Due, Target
from training.models import TARGET_KIND_LABELS, Assignment, TargetKind, VersionStatus

router = APIRouter()
Assigner = Annotated[Person, require_role(Role.supervisor, Role.hr)]

ASSIGNED = status.define(
    "training.assigned", N_("Assignment saved: %(enrolled)s people newly enrolled.")
)
DUE_CHANGED = status.define(
    "training.due_changed", N_("Due date changed for %(moved)s unfinished duties.")
)
WITHDRAWN = status.define(
    "training.withdrawn", N_("Assignment withdrawn: %(ended)s duties ended; completions stay.")
)


class DueForm(BaseModel):
    due_date: date | None = None
    due_days: int | None = None
    reason: str = Field(min_length=1, max_length=2000)

    _blank = field_validator("due_date", "due_days", mode="before")(forms.blank_to_none)

    @field_validator("due_days")
    @classmethod
    def _days_in_range(cls, days: int | None) -> int | None:
        if days is not None and not 1 <= days <= assignments.MAX_DUE_DAYS:
            raise ValueError(N_("Give between 1 and 366 days."))
        return days

    def due(self) -> Due:
        return Due(on=self.due_date, days=self.due_days)


class AssignForm(DueForm):
    module_id: int = Field(ge=1, le=2**31 - 1)
    target_kind: TargetKind
    employee_no: str = Field(default="", max_length=32)
    team_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    branch_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    position: Position | None = None

    _blanks = field_validator("team_id", "branch_id", "position", mode="before")(
        forms.blank_to_none
    )


def _target(session: SessionDep, form: AssignForm) -> Target:
    if form.target_kind == TargetKind.person:
        person = staff_service.get_by_employee_no(session, employee_no=form.employee_no.strip())
        if person is None:
            message = N_("There is no person with this employee number.")
            raise AssignmentRefused(message, field="employee_no")
        return Target(TargetKind.person, id_of(person))
    if form.target_kind == TargetKind.team:
        return Target(TargetKind.team, form.team_id)
    if form.target_kind == TargetKind.branch:
        return Target(TargetKind.branch, form.branch_id)
    return Target(TargetKind.position, position=form.position)


def _form_context(session: SessionDep, viewer: Person) -> dict[str, Any]:
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    hr = team_ids is None
    kinds = {k: v for k, v in TARGET_KIND_LABELS.items() if hr or k in ("person", "team")}
    return {
        "modules": {
            m.id: f"{m.code} {m.title_zh}"
            for m in dashboard.module_choices(session)
            if m.status == VersionStatus.published
        },
        "kinds": kinds,
        "teams": staff_service.team_labels(session, team_ids=team_ids),
        "branches": {b.id: b.name for b in staff_units.list_branches(session)} if hr else {},
        "positions": POSITION_LABELS if hr else {},
    }


@router.get("/training/assignments")
def assignment_list(
    request: Request, session: SessionDep, viewer: Assigner, page: PageNumber = 1
) -> Response:
    listed = assignments.list_assignments(session, viewer=viewer, page=page)
    rows = listed.rows
    context = {
        "listed": listed,
        "rows": rows,
        "kind_labels": TARGET_KIND_LABELS,
        "labels": _target_labels(session, [r.assignment for r in rows]),
    }
    return render(request, "training/assignments.html", context)


def _target_labels(session: SessionDep, rules: list[Assignment]) -> dict[int, str]:
    teams = staff_service.team_labels(session)
    branches = {b.id: b.name for b in staff_units.list_branches(session)}
    person_ids = {a.target_id for a in rules if a.target_kind == TargetKind.person}
    people = staff_service.people_by_id(session, ids={i for i in person_ids if i})
    labels: dict[int, str] = {}
    for a in rules:
        if a.target_kind == TargetKind.person and a.target_id in people:
            labels[id_of(a)] = f"{people[a.target_id].employee_no} {people[a.target_id].name}"
        elif a.target_kind == TargetKind.team:
            labels[id_of(a)] = teams.get(a.target_id or 0, "")
        elif a.target_kind == TargetKind.branch:
            labels[id_of(a)] = branches.get(a.target_id or 0, "")
        else:
            labels[id_of(a)] = a.target_position or ""
    return labels


@router.get("/training/assignments/new")
def new_assignment_page(request: Request, session: SessionDep, viewer: Assigner) -> Response:
    values = {"module_id": request.query_params.get("module", ""), "target_kind": "team"}
    context = {"values": values, "errors": {}, **_form_context(session, viewer)}
    return render(request, "training/assignment_new.html", context)


@router.post("/training/assignments/new")
async def create_assignment(request: Request, session: SessionDep, viewer: Assigner) -> Response:
    data = dict(await request.form())
    form, errors = forms.parse(AssignForm, data)
    if form is not None:
        try:
            assignment, enrolled = assignments.create_assignment(
                session,
                module_id=form.module_id,
                target=_target(session, form),
                due=form.due(),
                reason=form.reason,
                actor=viewer,
                ip=client_ip(request),
            )
        except AssignmentRefused as refused:
            errors = {refused.field: translate(request, refused.message, **refused.params)}
        else:
            url = f"/training/assignments/{assignment.id}"
            return redirect(request, status.url_with(request, url, ASSIGNED, enrolled=enrolled))
    context = {"values": data, "errors": errors, **_form_context(session, viewer)}
    return render(request, "training/assignment_new.html", context, status_code=400)


def assignment_from_path(
    assignment_id: Annotated[int, Path()], session: SessionDep, viewer: Assigner
) -> Assignment:
    """The assignment at this URL, if the viewer may manage it (else 404)."""
    assignment = assignments.get_assignment(session, assignment_id=assignment_id)
    if assignment is None or not assignments.may_see(session, viewer=viewer, assignment=assignment):
        raise HTTPException(status_code=404)
    return assignment


AssignmentDep = Annotated[Assignment, Depends(reads(assignment_from_path))]


def _detail(
    request: Request,
    session: SessionDep,
    assignment: Assignment,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    module = dashboard.module_choices(session, ids={assignment.module_id})
    context = {
        "assignment": assignment,
        "module": module[0] if module else None,
        "target": _target_labels(session, [assignment])[id_of(assignment)],
        "kind_labels": TARGET_KIND_LABELS,
        "counts": assignments.duty_counts(session, ids=[id_of(assignment)]).get(
            id_of(assignment), (0, 0)
        ),
        "errors": errors or {},
        "values": {"due_date": assignment.due_date, "due_days": assignment.due_days},
    }
    return render(request, "training/assignment.html", context, status_code=status_code)


@router.get("/training/assignments/{assignment_id}")
def assignment_page(
    request: Request, session: SessionDep, viewer: Assigner, assignment: AssignmentDep
) -> Response:
    return _detail(request, session, assignment)


@router.post("/training/assignments/{assignment_id}/due")
async def change_due(
    request: Request, session: SessionDep, viewer: Assigner, assignment: AssignmentDep
) -> Response:
    form, errors = forms.parse(DueForm, dict(await request.form()))
    if form is not None:
        try:
            moved = assignments.update_due(
                session, assignment=assignment, due=form.due(), reason=form.reason,
                actor=viewer, ip=client_ip(request),
            )  # fmt: skip
        except AssignmentRefused as refused:
            errors = {refused.field: translate(request, refused.message, **refused.params)}
        else:
            url = f"/training/assignments/{assignment.id}"
            return redirect(request, status.url_with(request, url, DUE_CHANGED, moved=moved))
    return _detail(request, session, assignment, errors=errors, status_code=400)


class WithdrawForm(BaseModel):
    withdraw_reason: str = Field(min_length=1, max_length=2000)


@router.post("/training/assignments/{assignment_id}/withdraw")
async def withdraw(
    request: Request, session: SessionDep, viewer: Assigner, assignment: AssignmentDep
) -> Response:
    form, errors = forms.parse(WithdrawForm, dict(await request.form()))
    if form is not None:
        try:
            ended = assignments.withdraw_assignment(
                session, assignment=assignment, reason=form.withdraw_reason,
                actor=viewer, ip=client_ip(request),
            )  # fmt: skip
        except AssignmentRefused as refused:
            errors = {"withdraw_reason": translate(request, refused.message, **refused.params)}
        else:
            url = f"/training/assignments/{assignment.id}"
            return redirect(request, status.url_with(request, url, WITHDRAWN, ended=ended))
    return _detail(request, session, assignment, errors=errors, status_code=400)
