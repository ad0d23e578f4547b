"""Every route declares who may use it, and each role gets exactly what it should."""

import pytest
from fastapi.routing import APIRoute

from frontline.access import rule_of
from staff.models import Role
from tests.factories import PASSWORD, make_person, make_team


def _routes(routes, inherited=()):
    for route in routes:
        if isinstance(route, APIRoute):
            yield route, inherited
        original = getattr(route, "original_router", None)
        if original is not None:
            deps = tuple(getattr(route.include_context, "dependencies", ()) or ())
            yield from _routes(original.routes, inherited + deps)


def _rules(dependant):
    found = []
    for dep in dependant.dependencies:
        if rule_of(dep.call):
            found.append(rule_of(dep.call))
        found.extend(_rules(dep))
    return found


def test_every_route_declares_who_may_use_it(app):
    routes = list(_routes(app.router.routes))
    assert len(routes) > 20
    undeclared = [
        f"{sorted(route.methods)} {route.path}"
        for route, _ in routes
        if not _rules(route.dependant)
    ]
    assert undeclared == []


def test_the_rule_check_can_fail():
    from fastapi import FastAPI

    bare = FastAPI()

    @bare.get("/open")
    def open_route() -> dict:
        return {}

    routes = list(_routes(bare.router.routes))
    assert [r.path for r, _ in routes if not _rules(r.dependant)] == ["/open"]


PAGES = {
    "/": {Role.employee, Role.supervisor, Role.author, Role.hr, Role.admin},
    "/account": {Role.employee, Role.supervisor, Role.author, Role.hr, Role.admin},
    "/people": {Role.supervisor, Role.hr, Role.admin},
    "/people-import": {Role.hr, Role.admin},
    "/people/new": {Role.admin},
    "/org": {Role.admin},
    "/org/branches/new": {Role.admin},
    "/org/teams/new": {Role.admin},
    "/audit-trail": {Role.admin},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_pages(db, client, role):
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)
    for path, allowed in PAGES.items():
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (role, path, status)


@pytest.mark.parametrize("role", [Role.employee, Role.supervisor, Role.author, Role.hr])
def test_only_admins_change_people_and_org(db, client, role):
    person = make_person(db, role=role)
    victim = make_person(db)
    client.login(person.employee_no, PASSWORD)
    posts = [
        (f"/people/{victim.id}", {"name": "x", "role": "admin", "active": "on"}),
        (f"/people/{victim.id}/password", {}),
        (f"/people/{victim.id}/sessions/end", {}),
        ("/people/new", {"employee_no": "NEW1", "name": "x"}),
        ("/org/branches/new", {"code": "X1", "name": "x"}),
        ("/org/teams/new", {"branch_id": "1", "name": "x"}),
    ]
    for url, data in posts:
        response = client.submit(url, data, token_page="/")
        assert response.status_code in (403, 404), (role, url, response.status_code)


def test_navigation_matches_the_role(db, client):
    employee = make_person(db, role=Role.employee)
    client.login(employee.employee_no, PASSWORD)
    home = client.get("/").text
    assert 'href="/people"' not in home and 'href="/org"' not in home
    assert "Log out" in home
    client.cookies.clear()
    admin = make_person(db, role=Role.admin)
    client.login(admin.employee_no, PASSWORD)
    home = client.get("/").text
    for link in ('href="/people"', 'href="/org"', 'href="/audit-trail"', 'href="/people-import"'):
        assert link in home


def test_supervisor_sees_only_their_teams(db, client):
    supervisor = make_person(db, role=Role.supervisor)
    mine = make_team(db, supervisors=[supervisor])
    other = make_team(db)
    colleague = make_person(db, team=mine, name="我的组员")
    stranger = make_person(db, team=other, name="别组员工")
    client.login(supervisor.employee_no, PASSWORD)
    listing = client.get("/people").text
    assert "我的组员" in listing and "别组员工" not in listing
    assert client.get(f"/people/{colleague.id}").status_code == 200
    assert client.get(f"/people/{stranger.id}").status_code == 404
    assert "我的组员" not in client.get(f"/people?team={other.id}").text


def test_hr_sees_everyone_but_cannot_edit(db, client):
    hr = make_person(db, role=Role.hr)
    someone = make_person(db, team=make_team(db), name="任何人")
    client.login(hr.employee_no, PASSWORD)
    assert "任何人" in client.get("/people").text
    page = client.get(f"/people/{someone.id}").text
    assert f'action="/people/{someone.id}"' not in page
