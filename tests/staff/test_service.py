"""Staff rules live in the services, so the people pages, the roster import, the command line
and the test factories obey the same ones: each once through the service, once through HTTP."""

from functools import partial

import pytest
from sqlmodel import delete, select

from frontline.audit_trail import AuditTrailEvent
from staff import service, units
from staff.models import Branch, Person, Role, Team
from tests.concurrency import at_once
from tests.factories import PASSWORD, make_branch, make_person, make_team


@pytest.fixture
def admin_client(db, client):
    admin = make_person(db, role=Role.admin)
    client.login(admin.employee_no, PASSWORD)
    return client


# ---- creating a person ------------------------------------------------------------------------


def test_a_person_is_created_active_or_not_in_one_call(db):
    with db.session() as session:
        active = service.create_person(session, employee_no="S0001", name="在职", actor_id=None)
        resting = service.create_person(
            session, employee_no="S0002", name="休假", active=False, actor_id=None
        )
        assert active.active and not resting.active
    with db.session() as session:
        event = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.target_id == str(resting.id))
        ).one()
        assert event.action == "person.create" and event.detail["active"] is False


def test_the_service_refuses_a_taken_number_or_a_team_that_does_not_exist(db):
    make_person(db, employee_no="S0003")
    with db.session() as session:
        with pytest.raises(service.PersonRefused) as taken:
            service.create_person(session, employee_no="S0003", name="重复", actor_id=None)
        assert taken.value.field == "employee_no"
        with pytest.raises(service.PersonRefused) as no_team:
            service.create_person(session, employee_no="S0004", name="无组", team_id=987654)
        assert no_team.value.field == "team_id"
        person = service.get_by_employee_no(session, employee_no="S0003")
        assert person is not None
        with pytest.raises(service.PersonRefused):
            service.update_person(
                session, person=person, changes={"team_id": 987654}, actor_id=None
            )
    with db.session() as session:
        assert service.get_by_employee_no(session, employee_no="S0004") is None


def test_new_person_page_creates_them_inactive_when_the_box_is_not_ticked(db, admin_client):
    response = admin_client.submit(
        "/people/new",
        {"employee_no": "S0005", "name": "未启用", "role": "employee"},
        token_page="/",
    )
    assert response.status_code == 303
    with db.session() as session:
        person = service.get_by_employee_no(session, employee_no="S0005")
        assert person is not None and not person.active


def test_a_team_that_does_not_exist_is_a_field_error_not_a_500(db, admin_client):
    team = make_team(db)
    person = make_person(db, team=team, name="调组")
    created = admin_client.submit(
        "/people/new",
        {"employee_no": "S0006", "name": "新人", "role": "employee", "team_id": "987654"},
        token_page="/",
    )
    assert created.status_code == 400
    assert 'aria-invalid="true"' in created.text and "Choose one of the options." in created.text
    assert "新人" in created.text  # the form keeps what was typed
    moved = admin_client.submit(
        f"/people/{person.id}",
        {"name": "调组", "role": "employee", "team_id": "987654"},
        token_page="/",
    )
    assert moved.status_code == 400 and "Choose one of the options." in moved.text
    with db.session() as session:
        assert session.get(Person, person.id).team_id == team.id
        assert service.get_by_employee_no(session, employee_no="S0006") is None


@pytest.mark.parametrize("forged", ["²", "٣", "1e3", "", "abc"])
def test_a_supervisor_id_that_is_not_a_number_is_a_400(db, admin_client, forged):
    supervisor = make_person(db, role=Role.supervisor, name="组长乙")
    team = make_team(db)
    response = admin_client.submit(
        f"/org/teams/{team.id}",
        {
            "branch_id": str(team.branch_id),
            "name": team.name,
            "active": "on",
            "supervisor_ids": [str(supervisor.id), forged],
        },
        token_page="/",
    )
    assert response.status_code == 400
    assert "Enter a whole number." in response.text
    assert f'value="{supervisor.id}" checked' in response.text  # still ticked
    with db.session() as session:
        assert units.supervisor_ids(session, team_id=team.id) == []


def test_the_role_rule_is_enforced_by_the_writes_themselves(db):
    """Not only by the pages that ask first: any caller acting as HR is held to it."""
    admin = make_person(db, role=Role.admin)
    with db.session() as session:
        with pytest.raises(service.RoleChangeRefused):
            service.create_person(
                session, employee_no="R0001", name="新管理员", role=Role.admin, acting_as=Role.hr
            )
        target = service.get_person(session, person_id=admin.id)
        assert target is not None
        with pytest.raises(service.RoleChangeRefused):
            service.update_person(
                session, person=target, changes={"name": "改名"}, actor_id=None, acting_as=Role.hr
            )
        with pytest.raises(service.RoleChangeRefused):
            service.deactivate_person(
                session, person=target, reason="离职", actor_id=None, acting_as=Role.hr
            )
        assert target.active and target.name != "改名"
        # The system itself (demo, operator's shell) and an administrator may.
        service.update_person(
            session, person=target, changes={"name": "改名"}, actor_id=None, acting_as=Role.admin
        )
        gone = service.create_person(session, employee_no="R0002", name="已离职", active=False)
        with pytest.raises(service.PersonRefused):
            service.deactivate_person(session, person=gone, reason="再次", actor_id=None)


def test_an_employee_number_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """Two administrators (or an import and an administrator) adding one number at once both
    find it free; on PostgreSQL the second's insert waits for the first, then is refused as a
    taken number, not a 500."""

    def hold(session):  # another administrator's new person, not yet committed
        session.add(Person(employee_no="S0900", name="先到"))
        session.flush()

    def create(session):
        return service.create_person(session, employee_no="S0900", name="后到", actor_id=None)

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, service.PersonRefused)
    assert second.message == "This employee number is already taken."


# ---- branches and teams (staff/units.py) ------------------------------------------------------


def test_a_taken_branch_code_or_team_name_is_refused_by_the_save_itself(db):
    """Not only by the organisation pages: the roster import and the demo save through it."""
    branch = make_branch(db, code="GZ-TAKEN")
    make_team(db, branch=branch, name="柜面一组")
    with db.session() as session:
        with pytest.raises(units.UnitRefused) as code:
            units.save_branch(
                session, branch=None, code="GZ-TAKEN", name="重复", region="", active=True,
                actor_id=None,
            )  # fmt: skip
        assert code.value.field == "code"
        with pytest.raises(units.UnitRefused) as name:
            units.save_team(
                session, team=None, branch_id=branch.id, name="柜面一组", active=True,
                supervisor_ids=[], actor_id=None,
            )  # fmt: skip
        assert name.value.field == "name"
        assert len(units.list_branches(session)) == len(units.list_teams(session)) == 1


def test_a_team_needs_a_branch_that_exists_and_active_supervisors_whoever_saves_it(db):
    """The organisation page, the roster import and the demo all save through the rule."""
    branch = make_branch(db)
    employee = make_person(db)
    resting = make_person(db, role=Role.supervisor, active=False)
    leader = make_person(db, role=Role.supervisor)
    with db.session() as session:
        save = partial(
            units.save_team, session, team=None, name="柜面十组", active=True, actor_id=None
        )
        with pytest.raises(units.UnitRefused) as no_branch:
            save(branch_id=987654, supervisor_ids=[])
        assert no_branch.value.field == "branch_id"
        for wrong in (employee, resting):
            with pytest.raises(units.UnitRefused) as not_leading:
                save(branch_id=branch.id, supervisor_ids=[leader.id, wrong.id])
            assert not_leading.value.field == "supervisor_ids"
        team = save(branch_id=branch.id, supervisor_ids=[leader.id, leader.id])
        assert units.supervisor_ids(session, team_id=team.id) == [leader.id]


def test_a_branch_code_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """Two administrators adding one branch code at once both find it free; on PostgreSQL the
    second's insert waits for the first, then is refused as a taken code, not a 500."""

    def hold(session):  # another administrator's new branch, not yet committed
        session.add(Branch(code="GZ-RACE", name="先到"))
        session.flush()

    def create(session):
        return units.save_branch(
            session, branch=None, code="GZ-RACE", name="后到", region="", active=True,
            actor_id=None,
        )  # fmt: skip

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, units.UnitRefused), second
    assert second.message == "This branch code is already taken."


def test_a_team_name_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """Two administrators (or a roster import and an administrator) adding one team to a
    branch at once: on PostgreSQL the second is refused as a taken name, not a 500."""
    branch = make_branch(db)

    def hold(session):  # another administrator's new team, not yet committed
        session.add(Team(branch_id=branch.id, name="柜面九组"))
        session.flush()

    def create(session):
        return units.save_team(
            session, team=None, branch_id=branch.id, name="柜面九组", active=True,
            supervisor_ids=[], actor_id=None,
        )  # fmt: skip

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, units.UnitRefused), second
    assert second.message == "This branch already has a team with this name."


def test_a_rename_to_a_code_or_name_taken_at_the_same_moment_is_refused_as_taken(db, database_url):
    """An administrator renames a branch (or a team) to a code (a name) another is adding at
    the same moment: on PostgreSQL the rename is refused as taken, not a 500, and the branch
    and the team keep what they had."""
    branch = make_branch(db, code="GZ-OLD")
    team = make_team(db, branch=branch, name="旧名")

    def hold(session):  # another administrator's new branch and team, not yet committed
        session.add(Branch(code="GZ-NEW", name="先到"))
        session.add(Team(branch_id=branch.id, name="新名"))
        session.flush()

    def rename_branch(session):
        return units.save_branch(
            session, branch=session.get(Branch, branch.id), code="GZ-NEW", name="改名",
            region="", active=True, actor_id=None,
        )  # fmt: skip

    def rename_team(session):
        return units.save_team(
            session, team=session.get(Team, team.id), branch_id=branch.id, name="新名",
            active=True, supervisor_ids=[], actor_id=None,
        )  # fmt: skip

    for rename, message in (
        (rename_branch, "This branch code is already taken."),
        (rename_team, "This branch already has a team with this name."),
    ):
        with db.session() as session:  # the other administrator's rows from the last round
            session.exec(delete(Team).where(Team.name == "新名"))
            session.exec(delete(Branch).where(Branch.code == "GZ-NEW"))
        _, _, second = at_once(db, database_url, hold=hold, second=rename)
        assert isinstance(second, units.UnitRefused), second
        assert second.message == message
    with db.session() as session:
        assert session.get(Branch, branch.id).code == "GZ-OLD"
        assert session.get(Team, team.id).name == "旧名"
