"""What training adds to the home page (due soon; overdue in my teams) and to a supervisor's
page about one person (their duties, with a reminder)."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from frontline.home import Panel
from frontline.models import utcnow
from staff import service as staff_service
from staff.models import Person, Role
from training import dashboard, dashboard_reminders, enrollment, refreshers
from training.dashboard import Filters
from training.enrollment import Status

DUE_SOON = timedelta(days=14)
SHOWN = 5


def due_soon_panel(session: Session, user: Any) -> Panel | None:
    """An employee's duties due within two weeks, overdue or expired, and refreshers."""
    today = enrollment.bank_today()
    duties = dashboard.person_duties(session, person_id=user.id, today=today)
    urgent = [
        d
        for d in duties
        if d.status in (Status.overdue, Status.expired)
        or (d.status in enrollment.OUTSTANDING and d.due_on <= today + DUE_SOON)
    ]
    to_refresh = refreshers.open_for(session, person_id=user.id)
    if not duties and not to_refresh:
        return None
    context = {
        "urgent": urgent[:SHOWN],
        "more": max(0, len(urgent) - SHOWN),
        "refreshers": to_refresh[:SHOWN],
        "reminders": dashboard_reminders.reminders_for(session, person_id=user.id),
        "status_labels": enrollment.STATUS_LABELS,
    }
    return Panel("training/_home_due.html", context, order=12)


def overdue_panel(session: Session, user: Any) -> Panel | None:
    """Supervisors and HR: overdue training in the teams they see."""
    if user.role not in (Role.supervisor, Role.hr, Role.admin):
        return None
    person = staff_service.get_person(session, person_id=user.id)
    if person is None:
        return None
    team_ids = staff_service.visible_team_ids(session, person=person)
    rows, total = dashboard.people(
        session,
        filters=Filters(status=Status.overdue),
        team_ids=team_ids,
        today=enrollment.bank_today(),
    )
    context = {"rows": rows[:SHOWN], "total": total, "scoped": team_ids is not None}
    return Panel("training/_home_overdue.html", context, order=32)


@dataclass
class PersonTraining:
    duties: list[dashboard.PersonRow]
    may_remind: set[int]


def person_training_panel(session: Session, person: Person, viewer: Any) -> Panel | None:
    today = enrollment.bank_today()
    duties = dashboard.person_duties(session, person_id=person.id or 0, today=today)
    if not duties:
        return None
    recent = dashboard_reminders.reminders_for(session, person_id=person.id or 0)
    cutoff = utcnow() - dashboard_reminders.REPEAT_AFTER
    may_remind = {
        d.module_id
        for d in duties
        if (d.status in enrollment.OUTSTANDING or d.refresher_due)
        and (d.module_id not in recent or recent[d.module_id].reminded_at <= cutoff)
    }
    context = {
        "training": PersonTraining(duties, may_remind),
        "status_labels": enrollment.STATUS_LABELS,
    }
    return Panel("training/_person_training.html", context, order=20)
