"""What audits adds to the home page and to a supervisor's page about one person."""

from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from audits import actions, home_figures
from audits.models import Audit, AuditStatus, Dispute, DisputeStatus
from frontline.home import Panel
from frontline.models import id_of
from frontline.settings import get_settings
from staff import service as staff_service
from staff.models import Person, Role

RECENT = home_figures.RECENT


def _today() -> Any:
    return get_settings().today()


def audits_panel(session: Session, user: Any) -> Panel | None:
    person = staff_service.get_person(session, person_id=user.id)
    if person is None:
        return None
    today = _today()
    if person.role == Role.employee:
        context = {
            "to_answer": home_figures.to_answer(session, person_id=id_of(person)),
            "actions": actions.actions_for_person(session, person_id=id_of(person), today=today),
            "disputes": home_figures.recent_outcomes(session, person_id=id_of(person)),
        }
        if not any(context.values()):
            return None
        return Panel("audits/_home_employee.html", context, order=15)
    if person.role not in (Role.supervisor, Role.hr, Role.admin):
        return None
    context = {
        "figures": home_figures.supervisor_figures(session, viewer=person, today=today),
        "may_audit": person.role in (Role.supervisor, Role.admin),
    }
    return Panel("audits/_home_supervisor.html", context, order=25)


def person_audits_panel(session: Session, person: Person, viewer: Any) -> Panel | None:
    """The person's latest audits (those the viewer may see) and open actions."""
    query = (
        sa_select(
            col(Audit.id),
            col(Audit.observed_at),
            col(Audit.score),
            col(Audit.veto_breached),
            col(Audit.template_id),
        )
        .where(
            col(Audit.subject_person_id) == person.id,
            col(Audit.status) == AuditStatus.submitted,
        )
        .order_by(col(Audit.observed_at).desc())
        .limit(RECENT)
    )
    latest = list(session.execute(query).all())
    open_disputes = session.exec(
        select(Dispute.audit_id)
        .join(Audit, col(Audit.id) == Dispute.audit_id)
        .where(Audit.subject_person_id == person.id, Dispute.status == DisputeStatus.open)
    ).all()
    context = {
        "latest": latest,
        "open_disputes": set(open_disputes),
        "actions": actions.actions_for_person(session, person_id=id_of(person), today=_today()),
        "person": person,
    }
    return Panel("audits/_person_audits.html", context, order=30)
