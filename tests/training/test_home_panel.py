"""An employee's training panel on the home page: what is due within two weeks (not later),
overdue and expired duties, open refreshers with their standard's version, and who reminded
them this week. Its queries are built once with parameters: these tests pin what it shows."""

from datetime import UTC, datetime, timedelta

import pytest

from staff import service as staff_service
from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_standard, make_team, publish_new_version
from tests.training.duties import complete, make_module, refresher_modules
from training import assignments, dashboard, dashboard_reminders
from training.assignments import Due, Target
from training.enrollment import Status, bank_today, enrollment_of
from training.models import Reminder, TargetKind


def _panel(html: str) -> str:
    start = html.index("<h2>My training</h2>")
    return html[start : html.index("</article>", start)]


@pytest.fixture
def teller(db):  # type: ignore[no-untyped-def]
    """A teller with a module due in 13 days, one in 15, one overdue and one done."""
    team = make_team(db)
    hr = make_person(db, role=Role.hr, employee_no="H7001")
    boss = make_person(db, role=Role.supervisor, team=team, name="李主管")
    person = make_person(db, position=Position.teller, team=team, employee_no="E7001")
    modules = {
        code: make_module(db, code=code) for code in ("SOON-13", "LATER-15", "LATE-01", "DONE-01")
    }
    today = bank_today()
    due = {"SOON-13": 13, "LATER-15": 15, "LATE-01": 1, "DONE-01": 5}
    with db.session() as session:
        actor = staff_service.get_person(session, person_id=hr.id)
        for code, module in modules.items():
            assignments.create_assignment(
                session, module_id=module.id, target=Target(TargetKind.team, team.id),
                due=Due(on=today + timedelta(days=due[code])), reason="r", actor=actor,
            )  # fmt: skip
    complete(db, person_id=person.id, module_id=modules["DONE-01"].id, at=datetime.now(UTC))
    with db.session() as session:  # overdue since yesterday (an assignment cannot be)
        late = enrollment_of(session, person_id=person.id, module_id=modules["LATE-01"].id)
        assert late is not None
        late.due_on = today - timedelta(days=1)
        late.updated_at = datetime.now(UTC)
        session.add(late)
    return {"person": person, "boss": boss, "modules": modules, "team": team}


def test_a_duty_due_in_13_days_shows_and_one_due_in_15_does_not(db, client, teller):
    client.login("E7001", PASSWORD)
    panel = _panel(client.get("/").text)
    assert "SOON-13" in panel and "LATE-01" in panel and "Overdue" in panel
    assert "LATER-15" not in panel and "DONE-01" not in panel
    due = (bank_today() + timedelta(days=13)).isoformat()
    assert f"Due {due}" in panel


def test_person_duties_are_the_persons_own_with_todays_status(db, teller):
    other = make_person(db, position=Position.teller, team=teller["team"])
    with db.session() as session:
        mine = dashboard.person_duties(session, person_id=teller["person"].id, today=bank_today())
        theirs = dashboard.person_duties(session, person_id=other.id, today=bank_today())
        # The same statement with another day: nothing is overdue a month ago.
        earlier = dashboard.person_duties(
            session, person_id=teller["person"].id, today=bank_today() - timedelta(days=30)
        )
    statuses = {row.module_code: row.status for row in mine}
    assert statuses == {
        "SOON-13": Status.not_started,
        "LATER-15": Status.not_started,
        "LATE-01": Status.overdue,
        "DONE-01": Status.completed_on_time,
    }
    assert [row.due_on for row in mine] == sorted(row.due_on for row in mine)
    assert {row.person_id for row in mine} == {teller["person"].id}
    assert {row.person_id for row in theirs} == {other.id} and len(theirs) == 4
    assert Status.overdue not in {row.status for row in earlier}


def test_a_reminder_this_week_shows_an_older_one_does_not(db, client, teller):
    person, boss, modules = teller["person"], teller["boss"], teller["modules"]
    now = datetime.now(UTC)
    with db.session() as session:
        session.add(
            Reminder(person_id=person.id, module_id=modules["SOON-13"].id,
                     reminded_by_id=boss.id, reminded_at=now - timedelta(hours=1))
        )  # fmt: skip
        session.add(
            Reminder(person_id=person.id, module_id=modules["LATE-01"].id,
                     reminded_by_id=boss.id, reminded_at=now - timedelta(days=8))
        )  # fmt: skip
    with db.session() as session:
        found = dashboard_reminders.reminders_for(session, person_id=person.id)
    assert set(found) == {modules["SOON-13"].id} and found[modules["SOON-13"].id].reminded_by == (
        "李主管"
    )
    client.login("E7001", PASSWORD)
    panel = _panel(client.get("/").text)
    assert panel.count("李主管 reminded you") == 1


def test_an_open_refresher_shows_with_its_version_until_resolved(db, client):
    standard, _ = make_standard(db, code="REF-01")
    team = make_team(db)
    hr = make_person(db, role=Role.hr)
    person = make_person(db, position=Position.teller, team=team, employee_no="E7101")
    confirm, retake = refresher_modules(
        db, standard_code="REF-01", prefix="REF", team_id=team.id, actor_id=hr.id
    )
    for module in (confirm, retake):
        complete(db, person_id=person.id, module_id=module.id, at=datetime.now(UTC) - timedelta(3))
    publish_new_version(db, standard.code, change_note="改")
    client.login("E7101", PASSWORD)
    panel = _panel(client.get("/").text)
    assert panel.count("Refresher: REF-01 Version 2") == 2
    assert "REF-COURSE" in panel and "REF-RETAKE" in panel
    # Completing the retaken module again resolves its refresher; the confirmation stays open.
    complete(db, person_id=person.id, module_id=retake.id, at=datetime.now(UTC))
    panel = _panel(client.get("/").text)
    assert panel.count("Refresher: REF-01 Version 2") == 1 and "REF-RETAKE" not in panel
