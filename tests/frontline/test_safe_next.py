"""?next= and the language switch send people only to paths of this site."""

import pytest

from frontline.web import safe_next
from tests.factories import PASSWORD, make_person

ELSEWHERE = [
    "//evil.example/x",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_anything_but_a_plain_local_path_goes_home(target):
    assert safe_next(target) == "/"


def test_local_paths_are_kept():
    for target in ("/account", "/standards?q=%E6%9C%8D%E5%8A%A1&page=2", "/people/3#x"):
        assert safe_next(target) == target


@pytest.mark.parametrize("target", ["/\\evil.example", "/%5Cevil.example", "/\t/evil.example"])
def test_login_and_language_switch_refuse_backslashes_and_control_characters(db, client, target):
    person = make_person(db)
    client.login(person.employee_no, PASSWORD)
    assert client.get("/login", params={"next": target}).headers["location"] == "/"
    switched = client.submit("/language", {"locale": "en", "next": target}, token_page="/")
    assert switched.headers["location"] == "/"
