"""Admins manage branches, teams and people; every change lands in the audit trail."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from staff.models import Branch, Person, Role, Team, TeamSupervisor
from tests.factories import PASSWORD, make_branch, make_person, make_team


@pytest.fixture
def admin_client(db, client):
    admin = make_person(db, role=Role.admin, name="管理员")
    client.login(admin.employee_no, PASSWORD)
    client.admin = admin
    return client


def test_create_person_and_see_them_listed(db, admin_client):
    team = make_team(db)
    response = admin_client.submit(
        "/people/new",
        {
            "employee_no": "E9001",
            "name": "新同事",
            "role": "employee",
            "position": "teller",
            "team_id": str(team.id),
            "active": "on",
            "email": "new@bank.cn",
        },
        token_page="/people/new",
    )
    assert response.status_code == 303
    assert "新同事" in admin_client.get("/people?q=E9001").text
    with db.session() as session:
        person = session.exec(select(Person).where(Person.employee_no == "E9001")).one()
        assert person.team_id == team.id and person.position.value == "teller" and person.active


def test_bad_person_form_keeps_values_and_explains_each_field(db, admin_client):
    make_person(db, employee_no="DUP1")
    response = admin_client.submit(
        "/people/new",
        {"employee_no": "DUP1", "name": "保留的名字", "email": "not-an-email", "role": "admin"},
        token_page="/people/new",
    )
    assert response.status_code == 400
    assert "保留的名字" in response.text
    assert "Enter an email address" in response.text
    response = admin_client.submit(
        "/people/new",
        {"employee_no": "bad no!", "name": "", "role": "wizard"},
        token_page="/people/new",
    )
    assert response.status_code == 400
    assert response.text.count('aria-invalid="true"') >= 3
    response = admin_client.submit(
        "/people/new",
        {"employee_no": "DUP1", "name": "x", "role": "employee"},
        token_page="/people/new",
    )
    assert "already taken" in response.text


def test_change_role_is_recorded_and_the_edit_form_never_deactivates(db, admin_client):
    person = make_person(db, name="换岗")
    response = admin_client.submit(
        f"/people/{person.id}", {"name": "换岗", "role": "supervisor"}, token_page="/"
    )  # no "active" box: deactivating has its own form, which asks for a reason
    assert response.status_code == 303
    with db.session() as session:
        stored = session.get(Person, person.id)
        assert stored.role == Role.supervisor and stored.active
        event = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action == "person.update")
        ).one()
        assert event.actor_id == admin_client.admin.id
        assert event.detail == {"role": ["employee", "supervisor"]}


def test_admin_cannot_lock_themselves_out(admin_client):
    admin = admin_client.admin
    response = admin_client.submit(
        f"/people/{admin.id}",
        {"name": "管理员", "role": "employee", "active": "on"},
        token_page="/",
    )
    assert response.status_code == 400
    assert "cannot remove your own administrator role" in response.text


def test_end_sessions_button(db, admin_client, make_client):
    person = make_person(db)
    device = make_client()
    device.login(person.employee_no, PASSWORD)
    response = admin_client.submit(f"/people/{person.id}/sessions/end", token_page="/")
    assert response.headers["location"].startswith(f"/people/{person.id}?done=")
    assert device.get("/").status_code == 303
    page = admin_client.get(response.headers["location"]).text
    assert f"Sessions of {person.name} ({person.employee_no}) ended: 1." in page


def test_reset_password_shows_a_temporary_one_that_works(db, admin_client, make_client):
    person = make_person(db)
    page = admin_client.submit(f"/people/{person.id}/password", token_page="/")
    import re

    shown = re.search(r'<code id="temp-password-value"[^>]*>(.*?)</code>', page.text).group(1)
    groups = re.findall(r"<span>(\w{4})</span>", shown)
    temporary = "".join(groups)
    assert len(groups) == 3 and len(temporary) == 12
    assert not set(temporary) & set("Il1O0o")  # nothing to misread when it is read out
    assert 'data-copy="temp-password-value"' in page.text
    assert page.headers["cache-control"] == "no-store"
    device = make_client()
    assert (
        device.submit(
            "/login", {"employee_no": person.employee_no, "password": PASSWORD}
        ).status_code
        == 401
    )
    device.login(person.employee_no, temporary)


def test_branches_and_teams(db, admin_client):
    supervisor = make_person(db, role=Role.supervisor, name="组长甲")
    response = admin_client.submit(
        "/org/branches/new",
        {"code": "GZ-TH01", "name": "广州天河支行", "region": "广州分行", "active": "on"},
        token_page="/org",
    )
    assert response.status_code == 303
    with db.session() as session:
        branch = session.exec(select(Branch).where(Branch.code == "GZ-TH01")).one()
    duplicate = admin_client.submit(
        "/org/branches/new", {"code": "GZ-TH01", "name": "重复", "active": "on"}, token_page="/org"
    )
    assert duplicate.status_code == 400 and "already taken" in duplicate.text
    response = admin_client.submit(
        "/org/teams/new",
        {
            "branch_id": str(branch.id),
            "name": "柜面二组",
            "active": "on",
            "supervisor_ids": [str(supervisor.id)],
        },
        token_page="/org",
    )
    assert response.status_code == 303
    org = admin_client.get("/org").text
    assert "柜面二组" in org and "组长甲" in org
    with db.session() as session:
        team = session.exec(select(Team).where(Team.name == "柜面二组")).one()
        assert session.exec(
            select(TeamSupervisor.person_id).where(TeamSupervisor.team_id == team.id)
        ).all() == [supervisor.id]
    clash = admin_client.submit(
        "/org/teams/new",
        {"branch_id": str(branch.id), "name": "柜面二组", "active": "on"},
        token_page="/org",
    )
    assert clash.status_code == 400 and "already has a team" in clash.text
    employee = make_person(db)
    not_a_supervisor = admin_client.submit(
        f"/org/teams/{team.id}",
        {"branch_id": str(branch.id), "name": "柜面二组", "supervisor_ids": [str(employee.id)]},
        token_page="/org",
    )
    assert (
        not_a_supervisor.status_code == 400 and "Only active supervisors" in not_a_supervisor.text
    )
    rename = admin_client.submit(
        f"/org/branches/{branch.id}",
        {"code": "GZ-TH01", "name": "广州天河支行(新)", "active": "on"},
        token_page="/org",
    )
    assert rename.status_code == 303
    assert "广州天河支行(新)" in admin_client.get("/org").text


def test_unknown_ids_are_404(admin_client):
    for path in ("/people/9999", "/org/branches/9999", "/org/teams/9999"):
        assert admin_client.get(path).status_code == 404


def test_audit_trail_page_lists_events_and_filters(db, admin_client):
    make_branch(db, code="ZZ-01")
    page = admin_client.get("/audit-trail").text
    assert "logged in" in page and "added the branch ZZ-01 测试支行" in page
    filtered = admin_client.get("/audit-trail?action=branch.create").text
    assert "logged in" not in filtered
    assert "测试支行" in filtered  # details show Chinese as Chinese, not \\u escapes


def test_audit_trail_is_append_only_in_the_database(db, admin_client):
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(text("UPDATE audit_trail SET action = 'tampered'"))
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(text("DELETE FROM audit_trail"))
    with db.session() as session:
        assert session.exec(select(AuditTrailEvent)).first() is not None
