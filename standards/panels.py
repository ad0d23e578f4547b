"""What standards adds to the home page and to a supervisor's page about one person."""

from typing import Any

from sqlmodel import Session

from frontline.home import Panel
from frontline.models import id_of
from staff import service as staff_service
from staff.models import Person, Role
from standards import acknowledgments, coverage, reminders, service

SHOWN = 5  # versions to acknowledge named on the home page


def reminders_panel(session: Session, user: Any) -> Panel | None:
    person = staff_service.get_person(session, person_id=user.id)
    if person is None or person.position is None:
        return None
    notices = reminders.reminders_for(session, person=person)
    if not notices:
        return None
    return Panel("standards/_home_reminders.html", {"notices": notices}, order=5)


def acknowledgment_panel(session: Session, user: Any) -> Panel | None:
    person = staff_service.get_person(session, person_id=user.id)
    if person is None or person.position is None:
        return None
    total, first = acknowledgments.first_outstanding(
        session, person_id=id_of(person), position=person.position.value, shown=SHOWN
    )
    context = {"total": total, "outstanding": first}
    return Panel("standards/_home_acknowledge.html", context, order=10)


def author_panel(session: Session, user: Any) -> Panel | None:
    if user.role not in (Role.author, Role.admin):
        return None
    return Panel(
        "standards/_home_author.html", {"counts": service.count_by_status(session)}, order=20
    )


def coverage_panel(session: Session, user: Any) -> Panel | None:
    if user.role not in (Role.supervisor, Role.hr, Role.admin):
        return None
    return Panel("standards/_home_coverage.html", {}, order=30)


def person_acknowledgments_panel(session: Session, person: Person, viewer: Any) -> Panel | None:
    if person.position is None:
        return None
    outstanding = acknowledgments.outstanding_for(session, person=person)
    applicable = coverage.applicable_count(session, person=person)
    reminded_today = reminders.standards_reminded_today(session, person_id=id_of(person))
    context = {
        "outstanding": outstanding,
        "progress": coverage.Coverage(applicable, applicable - len(outstanding)),
        "reminded_today": reminded_today,
    }
    return Panel("standards/_person_acknowledgments.html", context, order=10)
