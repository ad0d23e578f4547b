"""Domains announce facts through frontline.events: publishing a standard version, and a person
changing position or team (admin page and roster import alike), inside the same transaction."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, select

from frontline import audit_trail, events
from frontline.audit_trail import AuditTrailEvent
from staff import service as staff_service
from staff.events import PersonMoved
from staff.models import Position, Role
from standards.events import StandardVersionPublished
from tests.factories import PASSWORD, make_branch, make_person, make_standard, make_team
from tests.staff.test_roster import _upload

HEADER = "employee_no,name,role,position,branch_code,team,email,active\n"


@pytest.fixture
def heard() -> Iterator[list[Any]]:
    """Every PersonMoved and StandardVersionPublished announced during the test."""
    received: list[Any] = []

    def record(session: Session, event: Any) -> None:
        received.append(event)

    events.subscribe(PersonMoved, record)
    events.subscribe(StandardVersionPublished, record)
    yield received
    events.unsubscribe(PersonMoved, record)
    events.unsubscribe(StandardVersionPublished, record)


def _login(db, client, role: Role) -> Any:  # type: ignore[no-untyped-def]
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)
    return person


def test_an_admin_moving_a_person_announces_it(db, client, heard):
    _login(db, client, Role.admin)
    old_team, new_team = make_team(db), make_team(db)
    person = make_person(db, position=Position.teller, team=old_team, name="调岗")
    response = client.submit(
        f"/people/{person.id}",
        {
            "employee_no": person.employee_no,
            "name": "调岗",
            "role": "employee",
            "position": "lobby_manager",
            "team_id": str(new_team.id),
        },
        token_page="/",
    )
    assert response.status_code == 303, response.text[:1000]
    assert heard == [
        PersonMoved(
            person_id=person.id,
            old_position=Position.teller,
            new_position=Position.lobby_manager,
            old_team_id=old_team.id,
            new_team_id=new_team.id,
        )
    ]


def test_a_change_that_moves_nobody_announces_nothing(db, client, heard):
    _login(db, client, Role.admin)
    team = make_team(db)
    person = make_person(db, position=Position.teller, team=team, name="原名")
    response = client.submit(
        f"/people/{person.id}",
        {
            "employee_no": person.employee_no,
            "name": "新名",
            "role": "employee",
            "position": "teller",
            "team_id": str(team.id),
        },
        token_page="/",
    )
    assert response.status_code == 303, response.text[:1000]
    assert heard == []


def test_the_roster_import_announces_a_move_through_the_same_service(db, client, heard):
    _login(db, client, Role.hr)
    branch = make_branch(db, code="MV-01")
    old_team = make_team(db, branch=branch, name="柜面一组")
    new_team = make_team(db, branch=branch, name="柜面二组")
    person = make_person(db, employee_no="M001", position=Position.teller, team=old_team)
    roster = HEADER + "M001,搬家,employee,teller,MV-01,柜面二组,,yes\n"
    response = _upload(client, roster.encode())
    assert response.status_code in (200, 303), response.text[:1000]
    assert heard == [
        PersonMoved(
            person_id=person.id,
            old_position=Position.teller,
            new_position=Position.teller,
            old_team_id=old_team.id,
            new_team_id=new_team.id,
        )
    ]


def test_publishing_announces_the_version(db, client, heard):
    _login(db, client, Role.author)
    standard, draft = make_standard(db, code="EVT-01", publish=False)
    response = client.submit(
        "/standards/EVT-01/v/1/publish",
        {"effective_date": "2026-12-01", "change_note": "首次发布"},
        token_page="/standards/EVT-01/v/1",
    )
    assert response.status_code == 303, response.text[:1000]
    assert heard == [
        StandardVersionPublished(
            standard_id=standard.id, version_id=draft.id, code="EVT-01", number=1
        )
    ]


def test_handlers_run_in_order_inside_the_announcing_transaction(db):
    calls: list[str] = []

    def first(session: Session, event: PersonMoved) -> None:
        calls.append("first")
        audit_trail.record(session, action="test.heard", actor_id=None, ip="")

    def second(session: Session, event: PersonMoved) -> None:
        calls.append("second")
        raise RuntimeError("the subscriber refuses")

    person = make_person(db, position=Position.teller)
    events.subscribe(PersonMoved, first)
    events.subscribe(PersonMoved, second)
    try:
        with pytest.raises(RuntimeError), db.session() as session:
            stored = staff_service.get_person(session, person_id=person.id)
            assert stored is not None
            staff_service.update_person(
                session, person=stored, changes={"position": Position.call_agent}, actor_id=None
            )
    finally:
        events.unsubscribe(PersonMoved, first)
        events.unsubscribe(PersonMoved, second)
    assert calls == ["first", "second"]
    with db.session() as session:
        # The subscriber's refusal undid the move and what the first handler wrote.
        assert staff_service.get_person(session, person_id=person.id).position == Position.teller  # type: ignore[union-attr]
        heard = session.exec(select(AuditTrailEvent).where(AuditTrailEvent.action == "test.heard"))
        assert heard.all() == []
