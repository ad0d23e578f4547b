"""Correction actions (限期整改): a failed item of a submitted audit gets a deadline and a
status, and the training module covering the item's standard is proposed and assigned in
one tap (training.service, contracts.md)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from audits import taking
from audits.models import ActionStatus, Audit, AuditStatus, CorrectionAction, Outcome
from audits.saves import stored_results
from audits.taking import ChecklistItem, checklist_of
from frontline import audit_trail
from frontline.db import lock_fresh
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.paging import Page, page_of
from staff import service as staff_service
from staff.models import Person, Role
from training import service as training_service
from training.assignments import AssignmentRefused


class ActionRefused(Exception):
    """A msgid saying why the action cannot be created or changed so."""


def may_manage(session: Session, *, audit: Audit, person: Person) -> bool:
    """The auditor, supervisors who see the audit, HR and admin open and close actions."""
    if person.role not in (Role.supervisor, Role.hr, Role.admin):
        return False
    return taking.may_view(session, audit=audit, viewer=person)


def create_action(
    session: Session,
    *,
    audit: Audit,
    item_id: int,
    description: str,
    deadline: date,
    actor: Person,
    ip: str = "",
) -> CorrectionAction:
    if audit.status != AuditStatus.submitted:
        raise ActionRefused(N_("Actions follow a submitted audit."))
    if not may_manage(session, audit=audit, person=actor):
        raise ActionRefused(N_("You may not open actions on this audit."))
    result = stored_results(session, audit_id=id_of(audit)).get(item_id)
    if result is None or result.outcome != Outcome.failed:
        raise ActionRefused(N_("Only a failed item gets a correction action."))
    action = CorrectionAction(
        audit_id=id_of(audit),
        item_id=item_id,
        person_id=audit.subject_person_id,
        team_id=audit.team_id,
        branch_id=audit.branch_id,
        description=description,
        deadline_date=deadline,
        created_by_id=id_of(actor),
    )
    session.add(action)
    session.flush()
    audit_trail.record(
        session,
        action="audit.action_open",
        actor_id=actor.id,
        target_type="audit",
        target_id=audit.id,
        detail={
            "action_id": action.id,
            "deadline": deadline.isoformat(),
            "description": description,
        },
        ip=ip,
    )
    return action


def get_action(session: Session, *, action_id: int) -> CorrectionAction | None:
    return session.get(CorrectionAction, action_id)


def may_close(session: Session, *, action: CorrectionAction, audit: Audit, person: Person) -> bool:
    """The person who must correct may report it done; managers may too, and may cancel."""
    return action.person_id == person.id or may_manage(session, audit=audit, person=person)


def close_action(
    session: Session,
    *,
    action: CorrectionAction,
    audit: Audit,
    status: ActionStatus,
    note: str,
    actor: Person,
    ip: str = "",
) -> None:
    lock_fresh(session, action)  # closed by someone else (or a double tap) meanwhile?
    if action.status != ActionStatus.open:
        raise ActionRefused(N_("This action is closed already."))
    if status == ActionStatus.open:
        raise ActionRefused(N_("Choose one of the options."))
    manager = may_manage(session, audit=audit, person=actor)
    if status == ActionStatus.cancelled and not manager:
        raise ActionRefused(N_("Only a supervisor or HR may cancel an action."))
    if not (manager or action.person_id == actor.id):
        raise ActionRefused(N_("You may not change this action."))
    action.status = status
    action.closing_note = note
    action.closed_at = utcnow()
    action.closed_by_id = id_of(actor)
    session.add(action)
    session.flush()
    audit_trail.record(
        session,
        action="audit.action_close",
        actor_id=actor.id,
        target_type="audit",
        target_id=audit.id,
        detail={"action_id": action.id, "status": status.value, "note": note},
        ip=ip,
    )


# ---- the training link -------------------------------------------------------------------------


def proposals(session: Session, *, items: list[ChecklistItem]) -> dict[int, list[Any]]:
    """The published training modules covering each item's standard (id, code, title_zh/en),
    read in one statement."""
    codes = {item.standard_code for item in items if item.standard_code}
    covering = training_service.modules_covering_each(session, standard_codes=codes)
    return {item.id: covering.get(item.standard_code or "", []) for item in items}


def assign_module(
    session: Session,
    *,
    action: CorrectionAction,
    audit: Audit,
    item: ChecklistItem,
    module_id: int,
    actor: Person,
    ip: str = "",
) -> None:
    """Assign a proposed module to the person who must correct, due by the action's deadline."""
    if action.person_id is None:
        raise ActionRefused(N_("Training can be assigned to an employee only."))
    if action.status != ActionStatus.open:
        raise ActionRefused(N_("This action is closed already."))
    if not may_manage(session, audit=audit, person=actor):
        raise ActionRefused(N_("You may not change this action."))
    offered = {m.id for m in proposals(session, items=[item])[item.id]}
    if module_id not in offered:
        raise ActionRefused(N_("This module does not cover the item's standard."))
    try:
        training_service.assign_module_to_person(
            session,
            module_id=module_id,
            person_id=action.person_id,
            due_on=action.deadline_date,
            actor=actor,
            reason=f"整改 audit #{audit.id} {item.code}",
        )
    except AssignmentRefused as refused:
        raise ActionRefused(refused.message) from None
    action.module_id = module_id
    action.module_assigned_at = utcnow()
    session.add(action)
    session.flush()
    audit_trail.record(
        session,
        action="audit.action_training",
        actor_id=actor.id,
        target_type="audit",
        target_id=audit.id,
        detail={"action_id": action.id, "module_id": module_id},
        ip=ip,
    )


# ---- lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    action: CorrectionAction
    item_code: str
    item_text_zh: str
    item_text_en: str
    person_name: str
    overdue: bool


def _rows(session: Session, actions: list[CorrectionAction], today: date) -> list[ActionRow]:
    names = staff_service.people_by_id(
        session, ids={a.person_id for a in actions if a.person_id is not None}
    )
    rows = []
    # One query for the audits' checklist versions; the checklists themselves are cached.
    audit_ids = {action.audit_id for action in actions}
    versions = (
        dict(
            session.exec(
                select(Audit.id, Audit.template_version_id).where(col(Audit.id).in_(audit_ids))
            ).all()
        )
        if audit_ids
        else {}
    )
    items: dict[int, ChecklistItem] = {}
    for version_id in set(versions.values()):
        items |= {i.id: i for i in checklist_of(session, version_id=version_id).items}
    for action in actions:
        item = items.get(action.item_id or 0)
        rows.append(
            ActionRow(
                action=action,
                item_code=item.code if item else "",
                item_text_zh=item.text_zh if item else "",
                item_text_en=item.text_en if item else "",
                person_name=names[action.person_id].name if action.person_id in names else "",
                overdue=action.status == ActionStatus.open and action.deadline_date < today,
            )
        )
    return rows


# Built once: every audit's page asks it.
_ACTIONS_OF_AUDIT = (
    select(CorrectionAction)
    .where(col(CorrectionAction.audit_id) == bindparam("audit_id"))
    .order_by(col(CorrectionAction.id))
)


def actions_of_audit(session: Session, *, audit_id: int, today: date) -> list[ActionRow]:
    found = list(session.scalars(_ACTIONS_OF_AUDIT, {"audit_id": audit_id}))
    return _rows(session, found, today)


# An employee's home page asks for their open actions each day: built once with a parameter.
_ACTIONS_OF_PERSON = (
    select(CorrectionAction)
    .where(CorrectionAction.person_id == bindparam("person_id"))
    .order_by(col(CorrectionAction.deadline_date))
    .limit(100)
)
_OPEN_ACTIONS_OF_PERSON = _ACTIONS_OF_PERSON.where(CorrectionAction.status == ActionStatus.open)


def actions_for_person(
    session: Session, *, person_id: int, today: date, open_only: bool = True
) -> list[ActionRow]:
    query = _OPEN_ACTIONS_OF_PERSON if open_only else _ACTIONS_OF_PERSON
    found = list(session.exec(query, params={"person_id": person_id}))
    return _rows(session, found, today) if found else []


ACTIONS_PAGE = 50


def actions_in_scope(
    session: Session,
    *,
    viewer: Person,
    today: date,
    status: ActionStatus | None = ActionStatus.open,
    page: int = 1,
) -> Page[ActionRow]:
    """Actions on the viewer's teams and branches (everyone's for HR and admin), a page at a
    time, the nearest deadline first."""
    query = select(CorrectionAction)
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    if team_ids is not None:
        branch_ids = taking.branch_ids_of_teams(session, team_ids=team_ids)
        query = query.where(
            col(CorrectionAction.team_id).in_(team_ids)
            | (
                col(CorrectionAction.person_id).is_(None)
                & col(CorrectionAction.branch_id).in_(branch_ids)
            )
        )
    if status is not None:
        query = query.where(CorrectionAction.status == status)
    query = query.order_by(col(CorrectionAction.deadline_date), col(CorrectionAction.id))
    found = page_of(session, query, number=page, size=ACTIONS_PAGE)
    return found.shown_as(_rows(session, found.rows, today) if found.rows else [])
