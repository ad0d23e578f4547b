"""Reporting statements for listed people are built once and bound with each call's values."""

from datetime import date, datetime

from sqlmodel import col, select

from frontline.models import id_of, utcnow
from frontline.reporting import LISTED_PEOPLE, built_once, listed
from frontline.settings import get_settings
from staff.models import Person, Position, Role
from standards import reporting
from standards.models import Acknowledgment, StandardVersion
from tests.factories import make_person, make_standard


def test_a_statement_for_listed_people_is_built_once_and_takes_each_calls_ids():
    built = []

    def build(people: object) -> object:
        built.append(people)
        return select(col(Person.id)).where(col(Person.id).in_(people))

    first, first_values = built_once(("test", "people"), listed([1, 2]), build)
    again, again_values = built_once(("test", "people"), listed([3]), build)
    assert again is first and built == [LISTED_PEOPLE]
    assert first_values == {"listed_people": [1, 2]} and again_values == {"listed_people": [3]}
    # A SELECT of people is part of the statement: built each time, nothing to bind.
    selected, values = built_once(("test", "people"), select(col(Person.id)), build)
    assert selected is not first and values == {} and len(built) == 2


def test_figures_read_through_one_statement_follow_each_calls_people_and_dates(db):
    make_standard(db, code="BLT-01", effective="2026-01-05")
    make_standard(db, code="BLT-02", effective="2026-01-05")
    reader = make_person(db, role=Role.employee, position=Position.teller)
    other = make_person(db, role=Role.employee, position=Position.teller)
    with db.session() as session:
        version_id = session.exec(select(col(StandardVersion.id))).first()
        session.add(
            Acknowledgment(person_id=id_of(reader), version_id=version_id, acknowledged_at=utcnow())
        )
    # The bank's today: its days end at midnight in its time zone, not UTC's.
    today = datetime.now(get_settings().zone()).date()
    with db.session(write=False) as session:

        def figures(person: Person, end: date) -> tuple[int, int] | None:
            found = reporting.acknowledgments(
                session, people=listed([id_of(person)]), start=end, end=end
            ).get(id_of(person))
            return None if found is None else (found.due, found.acknowledged)

        assert figures(reader, today) == (2, 1)
        assert figures(other, today) == (2, 0)
        assert figures(reader, date(2020, 1, 1)) is None  # published since: nothing was due
