"""Impossible ids, control characters and huge numbers get a clear 404/400, never a 500.

The route walk finds every route with an integer path parameter (today's and any added
later), so a new route cannot reintroduce the 500.
"""

import logging
import os
import re
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute

from frontline.request_checks import is_id, out_of_range_integer
from staff.models import Role
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person

ON_POSTGRESQL = bool(os.environ.get("FRONTLINE_TEST_DATABASE_URL"))
IMPOSSIBLE_IDS = ["0", "-1", str(2**31), str(2**63), str(2**64), "9" * 5000, "abc"]
CONTROL_CHARACTERS = ["\x00", "\x1b", "\x7f", "\x85"]


def _routes(routes):
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from _routes(original.routes)


def _path_params(dependant):
    yield from dependant.path_params
    for sub in dependant.dependencies:
        yield from _path_params(sub)


def _integer_path_routes(app):
    """(method, path template, int parameter names) for every route taking an id in its path."""
    found = []
    for route in _routes(app.router.routes):
        params = _path_params(route.dependant)
        names = {p.alias for p in params if p.field_info.annotation in (int, int | None)}
        if names:
            found.extend((method, route.path, names) for method in sorted(route.methods))
    return found


def _fill(path: str, **values: str) -> str:
    """The path with the given parameters, and a plausible value for any other one."""
    values = {"code": "SVC-01", **values}
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), "1"), path)


@pytest.fixture
def admin_client(app, db):
    admin = make_person(db, role=Role.admin)
    with FrontlineClient(app, raise_server_exceptions=False) as c:
        c.login(admin.employee_no, PASSWORD)
        c.token = c.csrf_token("/")  # type: ignore[attr-defined]
        yield c


def _request(c: FrontlineClient, method: str, url: str, data: dict | None = None):
    if method == "GET":
        return c.get(url)
    return c.request(method, url, data={"csrf_token": c.token, **(data or {})})


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logged = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert logged == [], [r.getMessage() for r in logged]


def test_every_route_answers_404_for_an_impossible_id(app, admin_client, caplog):
    routes = _integer_path_routes(app)
    assert len(routes) >= 10, routes  # the walk found the id routes
    answers = {}
    for method, path, names in routes:
        for name in names:
            for value in IMPOSSIBLE_IDS:
                url = _fill(path, **{name: value})
                answers[(method, url[:80])] = _request(admin_client, method, url).status_code
    assert {key: status for key, status in answers.items() if status != 404} == {}
    _no_tracebacks(caplog)


def test_control_characters_in_an_address_are_not_found(admin_client, caplog):
    for char in CONTROL_CHARACTERS:
        assert admin_client.get("/standards/SVC-01" + quote(char)).status_code == 404
    _no_tracebacks(caplog)


@pytest.mark.parametrize("char", CONTROL_CHARACTERS)
def test_control_characters_in_queries_and_forms_are_refused(admin_client, caplog, char):
    sent = quote(char)
    for url in (f"/people?q=a{sent}b", f"/standards?q={sent}", f"/audit-trail?x{sent}=1"):
        response = admin_client.get(url)
        assert response.status_code == 400, url
        assert "control characters" in response.text
    for url, data in [
        ("/people/new", {"employee_no": "N1", "name": f"王{char}芳"}),
        ("/org/branches/new", {"code": f"B{char}1", "name": "支行"}),
        ("/account/password", {"current_password": PASSWORD, "new_password": f"P{char}w-12345"}),
    ]:
        response = _request(admin_client, "POST", url, data)
        assert response.status_code == 400, url
        assert "control characters" in response.text
    assert admin_client.get("/people?q=%00", headers={"HX-Request": "true"}).status_code == 400
    _no_tracebacks(caplog)


def test_tabs_and_newlines_are_ordinary_text(admin_client):
    assert admin_client.get("/people?q=a%09b").status_code == 200
    assert admin_client.get("/standards?q=%0D%0A").status_code == 200


def test_huge_numbers_in_queries_and_forms_are_refused(admin_client, caplog):
    huge = "9" * 5000
    for url in (f"/people?team={huge}", f"/people?page={2**64}", f"/audit-trail?page={huge}"):
        response = admin_client.get(url)
        assert response.status_code == 400, url
        assert "far too large" in response.text
    for url, data in [
        ("/org/teams/new", {"branch_id": huge, "name": "x"}),
        ("/org/teams/new", {"branch_id": "1", "name": "x", "supervisor_ids": huge}),
        ("/people/new", {"employee_no": "N1", "name": "x", "team_id": str(2**63)}),
    ]:
        response = _request(admin_client, "POST", url, data)
        assert response.status_code == 400, (url, response.status_code)
        assert "far too large" in response.text
    _no_tracebacks(caplog)


def test_ids_beyond_a_postgresql_integer_in_forms_and_filters(admin_client, caplog):
    """2**40 fits SQLite but not PostgreSQL's `integer` ids: never a 500 on either."""
    big = str(2**40)
    filtered = admin_client.get(f"/people?team={big}")
    created = _request(admin_client, "POST", "/org/teams/new", {"branch_id": big, "name": "x"})
    if ON_POSTGRESQL:
        assert filtered.status_code == 400 and "far too large" in filtered.text
    else:
        assert filtered.status_code == 200
    assert created.status_code == 400
    _no_tracebacks(caplog)


def test_what_counts_as_an_id_and_as_a_huge_number():
    assert is_id("1") and is_id(str(2**31 - 1)) and is_id(7)
    assert not any(is_id(v) for v in ("0", "-1", str(2**31), "1.5", "abc", "", 0, "9" * 5000))
    assert out_of_range_integer(str(2**63)) and out_of_range_integer("-" + "9" * 5000)
    assert out_of_range_integer("99_999_999_999_999_999_999") and out_of_range_integer(
        "1" * 20 + ".0"
    )
    assert not out_of_range_integer(str(2**63 - 1)) and not out_of_range_integer("6222 0212 3456")
    assert not out_of_range_integer("王芳") and not out_of_range_integer("")
