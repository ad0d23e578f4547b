"""Assignment pages: HR and supervisors assign, change the due date and withdraw through the
forms; bad input is answered at the field; nobody reaches what is not theirs."""

from datetime import UTC, datetime, timedelta

import pytest

from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_team, supervise
from tests.training.duties import complete, duties, make_module
from training import assignments
from training.enrollment import bank_today


@pytest.fixture
def bank(db):  # type: ignore[no-untyped-def]
    mine, other = make_team(db, name="柜面一组"), make_team(db, name="远程客服")
    make_person(db, role=Role.hr, employee_no="H6001")
    boss = make_person(db, role=Role.supervisor, employee_no="S6001", team=mine)
    supervise(db, supervisor=boss, team=mine)
    teller = make_person(db, position=Position.teller, team=mine, employee_no="E6001")
    agent = make_person(db, position=Position.call_agent, team=other, employee_no="E6002")
    module = make_module(db, code="CTR-201")
    return {"mine": mine, "other": other, "teller": teller, "agent": agent, "module": module}


def _form(module, **values):  # type: ignore[no-untyped-def]
    return {"module_id": module.id, "reason": "季度培训", "due_days": "14", **values}


def _hr_assigns_call_agents(client, bank):  # type: ignore[no-untyped-def]
    """HR assigns the bank's module to the call agents' position through the form."""
    client.login("H6001", PASSWORD)
    page = "/training/assignments/new"
    response = client.submit(
        page, _form(bank["module"], target_kind="position", position="call_agent"), token_page=page
    )
    assert response.status_code == 303
    return response


def test_hr_assigns_a_position_and_withdraws_it(client, db, bank):
    response = _hr_assigns_call_agents(client, bank)
    detail = response.headers["location"].split("?")[0]
    assert "1 people newly enrolled" in client.get(response.headers["location"]).text
    assert bank["module"].id in duties(db, person_id=bank["agent"].id)
    new_due = (bank_today() + timedelta(days=40)).isoformat()
    response = client.submit(
        detail + "/due", {"due_date": new_due, "reason": "延期"}, token_page=detail
    )
    assert response.status_code == 303
    assert str(duties(db, person_id=bank["agent"].id)[bank["module"].id].due_on) == new_due
    response = client.submit(detail + "/withdraw", {"withdraw_reason": "重复"}, token_page=detail)
    assert response.status_code == 303
    assert duties(db, person_id=bank["agent"].id)[bank["module"].id].withdrawn_at is not None
    assert "No assignment yet" in client.get("/training/assignments").text  # withdrawn: gone


def test_the_list_counts_duties_done_as_they_are_completed(client, db, bank):
    _hr_assigns_call_agents(client, bank)
    assert "0 of 1 done" in client.get("/training/assignments").text
    complete(db, person_id=bank["agent"].id, module_id=bank["module"].id, at=datetime.now(UTC))
    # Kept per worker until an enrollment changes: the completion shows at once.
    assert "1 of 1 done" in client.get("/training/assignments").text


def test_bad_input_is_answered_at_the_field(client, bank):
    client.login("H6001", PASSWORD)
    page = "/training/assignments/new"
    cases = [
        (_form(bank["module"], target_kind="person", employee_no="NOBODY"), "employee number"),
        (_form(bank["module"], target_kind="team", due_days="0"), "between 1 and 366"),
        (_form(bank["module"], target_kind="team", team_id=str(bank["mine"].id), due_days="",
               due_date=(bank_today() - timedelta(days=1)).isoformat()), "due date has passed"),
        (_form(bank["module"], target_kind="team", team_id=str(bank["mine"].id), reason=""),
         "required"),
        ({**_form(bank["module"], target_kind="spaceship")}, "options"),
        ({**_form(bank["module"], target_kind="team"), "module_id": "99999999999"}, ""),
    ]  # fmt: skip
    for data, message in cases:
        response = client.submit(page, data, token_page=page)
        assert response.status_code == 400, data
        assert message in response.text, data


def test_a_supervisor_assigns_in_their_teams_only(client, db, bank, make_client):
    client.login("S6001", PASSWORD)
    page = "/training/assignments/new"
    ok = client.submit(
        page, _form(bank["module"], target_kind="team", team_id=str(bank["mine"].id)),
        token_page=page,
    )  # fmt: skip
    assert ok.status_code == 303
    refused = client.submit(
        page, _form(bank["module"], target_kind="team", team_id=str(bank["other"].id)),
        token_page=page,
    )  # fmt: skip
    assert refused.status_code == 400 and "teams you supervise" in refused.text
    branch = client.submit(
        page, _form(bank["module"], target_kind="position", position="teller"), token_page=page
    )
    assert branch.status_code == 400 and "Only HR" in branch.text
    assert bank["module"].id not in duties(db, person_id=bank["agent"].id)
    # HR's rule on the call centre is not the supervisor's to see or change.
    hr = make_client()
    hr.login("H6001", PASSWORD)
    made = hr.submit(
        page, _form(bank["module"], target_kind="team", team_id=str(bank["other"].id)),
        token_page=page,
    )  # fmt: skip
    theirs = made.headers["location"].split("?")[0]
    assert client.get(theirs).status_code == 404
    assert (
        client.submit(theirs + "/withdraw", {"withdraw_reason": "x"}, token_page=page).status_code
        == 404
    )
    employee = make_client()
    employee.login("E6001", PASSWORD)
    assert employee.get("/training/assignments").status_code == 403
    assert (
        employee.submit(page, _form(bank["module"], target_kind="team"), token_page="/").status_code
        == 403
    )
    assert client.get("/training/assignments/99999999999").status_code == 404


def test_the_assignments_list_pages_through_every_rule(client, bank, monkeypatch):
    """Newest first, a page at a time: a busy region's hundreds of rules all stay in reach."""
    monkeypatch.setattr(assignments, "ASSIGNMENTS_PAGE", 2)
    client.login("H6001", PASSWORD)
    page = "/training/assignments/new"
    for position in ("teller", "call_agent", "lobby_manager"):
        form = _form(bank["module"], target_kind="position", position=position)
        assert client.submit(page, form, token_page=page).status_code == 303
    first = client.get("/training/assignments").text
    second = client.get("/training/assignments?page=2").text
    assert first.count('href="/training/assignments/') == 2 + 1  # two rules and "new"
    assert "1–2 of 3" in first and 'href="/training/assignments?page=2" rel="next"' in first
    assert "3–3 of 3" in second and "Teller" in second  # the oldest rule on the last page
