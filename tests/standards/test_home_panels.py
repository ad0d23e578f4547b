"""The standards panels on the home page read a count, a few links and the reminders from
prebuilt queries: they must say what outstanding_for and the reminders say."""

from datetime import timedelta

from frontline.models import utcnow
from staff.models import Position, Role
from standards import acknowledgments, reminders
from standards.models import Acknowledgment, AcknowledgmentReminder
from tests.factories import make_person, make_standard, publish_new_version


def _acknowledge(db, person, version) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        session.add(Acknowledgment(person_id=person.id, version_id=version.id))


def test_first_outstanding_is_the_head_of_outstanding_for(db):
    severities = ["minor", "critical", "major", "critical", "minor", "major", "critical"]
    versions = [
        make_standard(db, code=f"FO-{n:02d}", severity=s, effective=f"2026-0{1 + n % 5}-01")[1]
        for n, s in enumerate(severities)
    ]
    make_standard(db, code="FO-99", positions=["call_agent"])
    teller = make_person(db, position=Position.teller)
    agent = make_person(db, position=Position.call_agent)
    _acknowledge(db, teller, versions[1])
    with db.session() as session:
        for person in (teller, agent):
            full = acknowledgments.outstanding_for(
                session, person=session.merge(person), limit=None
            )
            total, first = acknowledgments.first_outstanding(
                session, person_id=person.id, position=person.position.value, shown=5
            )
            assert total == len(full)
            assert [(f.code, f.number, f.title_zh, f.title_en) for f in first] == [
                (o.standard.code, o.version.number, o.version.title_zh, o.version.title_en)
                for o in full[:5]
            ]
        assert acknowledgments.first_outstanding(
            session, person_id=teller.id, position=None, shown=5
        ) == (0, [])
    assert total == 1 and [f.code for f in first] == ["FO-99"]  # the agent's


def test_reminders_show_the_latest_per_version_in_force_not_yet_acknowledged(db):
    standard, old = make_standard(db, code="RM-01")
    _, other = make_standard(db, code="RM-02")
    _, done = make_standard(db, code="RM-03")
    first = make_person(db, role=Role.supervisor, name="甲主管")
    second = make_person(db, role=Role.supervisor, name="乙主管")
    teller = make_person(db, position=Position.teller)
    now = utcnow()
    with db.session() as session:
        for version, by, hours in ((old, first, 30), (other, first, 50), (other, second, 2)):
            session.add(
                AcknowledgmentReminder(
                    person_id=teller.id, version_id=version.id, reminded_by_id=by.id,
                    reminded_at=now - timedelta(hours=hours),
                )
            )  # fmt: skip
        session.add(
            AcknowledgmentReminder(person_id=teller.id, version_id=done.id, reminded_by_id=first.id)
        )
    _acknowledge(db, teller, done)
    with db.session() as session:
        notices = reminders.reminders_for(session, person=session.merge(teller))
    assert [(n.code, n.number, n.reminded_by) for n in notices] == [
        ("RM-02", 1, "乙主管"),
        ("RM-01", 1, "甲主管"),
    ]
    publish_new_version(db, standard.code, change_note="改")  # supersedes the one reminded about
    with db.session() as session:
        notices = reminders.reminders_for(session, person=session.merge(teller))
    assert [n.code for n in notices] == ["RM-02"]
