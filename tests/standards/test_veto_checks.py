"""Veto checks (一票否决) on a standard version: edited, shown, diffed, carried by YAML and
frozen once published."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from staff.models import Role
from standards.library_file import export_library, parse_library
from standards.models import StandardVersion
from tests.factories import PASSWORD, make_person, make_standard

VETO = [
    {"zh": "未经客户同意代客操作", "en": "Operating on the customer's behalf without consent"},
    {"zh": "泄露客户信息", "en": "Leaking customer information"},
]

RULE_FORM = {
    "kind": "rule",
    "code": "PRV-09",
    "title_zh": "客户信息保护",
    "title_en": "Protecting customer information",
    "category": "privacy",
    "severity": "critical",
    "channels": ["counter"],
    "positions": ["teller"],
    "veto_checks": "未经客户同意代客操作 | Operating on the customer's behalf without consent\r\n"
    "\r\n泄露客户信息|Leaking customer information\r\n",
}


def _author(db, client):  # type: ignore[no-untyped-def]
    person = make_person(db, role=Role.author)
    client.login(person.employee_no, PASSWORD)
    return person


def test_author_writes_veto_checks_and_readers_see_them(db, client):
    _author(db, client)
    saved = client.submit("/standards/new", RULE_FORM, token_page="/standards/new")
    assert saved.status_code == 303, saved.text[:2000]
    with db.session(write=False) as session:
        version = session.exec(select(StandardVersion)).one()
        assert version.veto_checks == VETO
    page = client.get("/standards/PRV-09/v/1").text
    assert "Veto item" in page and "Veto checks" in page
    # In the reader's language like every other field; the other is one tap away.
    assert "Leaking customer information" in page and "泄露客户信息" not in page
    in_chinese = client.get("/standards/PRV-09/v/1?lang=zh").text
    assert "泄露客户信息" in in_chinese and "Leaking customer information" not in in_chinese
    form = client.get("/standards/PRV-09/v/1/edit").text
    assert "未经客户同意代客操作 | Operating on the customer&#39;s behalf without consent" in form


def test_a_veto_check_needs_its_chinese_text(db, client):
    _author(db, client)
    bad = {**RULE_FORM, "veto_checks": "泄露客户信息 | Leaking\n | English only"}
    response = client.submit("/standards/new", bad, token_page="/standards/new")
    assert response.status_code == 400
    assert "This field is required" in response.text
    assert " | English only" in response.text  # what was typed comes back


def test_a_standard_without_veto_checks_shows_no_veto_block(db, client):
    _author(db, client)
    make_standard(db, code="GRT-09")
    assert "Veto checks" not in client.get("/standards/GRT-09/v/1").text


def test_the_diff_shows_added_veto_checks(db, client):
    _author(db, client)
    make_standard(db, code="CPL-09", kind="rule", severity="major")
    client.submit("/standards/CPL-09/drafts", token_page="/standards")
    edit = {**RULE_FORM, "category": "compliance", "title_zh": "禁止捆绑搭售"}
    edit.pop("code"), edit.pop("kind")
    edit["veto_checks"] = "捆绑搭售 | Bundled sales"
    assert (
        client.submit("/standards/CPL-09/v/2/edit", edit, token_page="/standards").status_code
        == 303
    )
    diff = client.get("/standards/CPL-09/diff?a=1&b=2").text
    assert "Veto checks" in diff and "捆绑搭售 / Bundled sales" in diff


def test_veto_checks_round_trip_through_yaml(db):
    make_standard(db, code="DSP-09", kind="rule", severity="critical", veto_checks=VETO)
    with db.session(write=False) as session:
        exported = export_library(session)
    assert "        veto_checks:\n          - zh: 未经客户同意代客操作\n" in exported
    specs, errors = parse_library(exported)
    assert errors == []
    assert specs[0].versions[0].content["veto_checks"] == VETO


def test_yaml_veto_checks_are_optional_and_checked(db):
    head = (
        "format: frontline-standards/1\nstandards:\n  - code: GRT-08\n    kind: script\n"
        "    versions:\n      - version: 1\n        status: draft\n        effective_date: null\n"
        "        change_note: null\n        category: greeting\n        channels: [counter]\n"
        "        positions: [teller]\n        severity: major\n        title_zh: 迎客\n"
    )
    specs, errors = parse_library(head)
    assert errors == [] and specs[0].versions[0].content["veto_checks"] == []
    specs, errors = parse_library(head + "        veto_checks:\n          - en: no Chinese\n")
    assert specs == [] and len(errors) == 1
    assert errors[0].line == 16 and "veto_checks, item 1" in errors[0].message
    specs, errors = parse_library(
        head + "        veto_checks:\n          - zh: 泄露\n            x: 1\n"
    )
    assert "the fields here are: zh, en" in errors[0].message


def test_database_refuses_to_change_the_veto_checks_of_a_published_version(db):
    _, version = make_standard(db, code="PRV-08", kind="rule", veto_checks=VETO)
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(
            text("UPDATE standard_version SET veto_checks = '[]' WHERE id = :id"),
            {"id": version.id},
        )
    # adding the column kept the other trigger of migration 0002: no deleting either
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(text("DELETE FROM standard_version WHERE id = :id"), {"id": version.id})
    with db.session(write=False) as session:
        assert session.get(StandardVersion, version.id).veto_checks == VETO  # type: ignore[union-attr]


def test_a_draft_may_still_change_its_veto_checks(db):
    _, version = make_standard(db, code="PRV-07", kind="rule", publish=False)
    with db.session() as session:
        session.execute(
            text("UPDATE standard_version SET veto_checks = :v WHERE id = :id"),
            {"v": '[{"zh": "泄露客户信息", "en": ""}]', "id": version.id},
        )
    with db.session(write=False) as session:
        stored = session.get(StandardVersion, version.id)
        assert stored is not None and stored.veto_checks == [{"zh": "泄露客户信息", "en": ""}]
