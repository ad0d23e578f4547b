"""One URL answers with the whole page or, when htmx targets its list, only that fragment; the
answer varies on HX-Target so a cache never hands the fragment to a full page load."""

import pytest

from staff.models import Role
from tests.factories import PASSWORD, make_person, make_standard

HTMX = {"HX-Request": "true"}


def _vary(response) -> set[str]:
    return {part.strip() for part in response.headers["Vary"].split(",")}


@pytest.mark.parametrize(
    ("role", "url", "target", "seen"),
    [
        (Role.admin, "/people?q=T", "people-table", "T0"),
        (Role.employee, "/standards?q=FRG", "results", "FRG-01"),
    ],
    ids=["staff people", "standards library"],
)
def test_page_and_fragment_from_one_url(db, client, role, url, target, seen):
    make_standard(db, code="FRG-01")
    person = make_person(db, role=role)
    client.login(person.employee_no, PASSWORD)

    page = client.get(url)
    fragment = client.get(url, headers={**HTMX, "HX-Target": target})
    other_target = client.get(url, headers={**HTMX, "HX-Target": "somewhere-else"})
    target_without_htmx = client.get(url, headers={"HX-Target": target})

    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.text and seen in page.text
    assert "<html" not in fragment.text and seen in fragment.text
    assert "<html" in other_target.text
    assert "<html" in target_without_htmx.text
    for response in (page, fragment):
        assert {"HX-Request", "HX-Target"} <= _vary(response)


def test_pages_without_a_fragment_do_not_vary_on_the_target(db, client):
    person = make_person(db, role=Role.employee)
    client.login(person.employee_no, PASSWORD)
    assert "HX-Target" not in _vary(client.get("/account"))
