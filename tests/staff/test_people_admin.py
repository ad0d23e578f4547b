"""People pages for HR and admins: team members, deactivating with a reason, confirmations,
status messages after an action, and filters that keep to what the viewer may see."""

import re

import pytest
from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from staff.models import Person, Position, Role
from tests.factories import PASSWORD, make_person, make_team, supervise


@pytest.fixture
def admin_client(db, client):
    admin = make_person(db, role=Role.admin, name="管理员")
    client.login(admin.employee_no, PASSWORD)
    client.admin = admin
    return client


def test_team_page_lists_its_members_with_links(db, admin_client):
    team = make_team(db, name="柜面一组")
    teller = make_person(db, team=team, name="李柜员", position=Position.teller)
    gone = make_person(db, team=team, name="王离职", active=False)
    elsewhere = make_person(db, team=make_team(db), name="别组的人")
    page = admin_client.get(f"/org/teams/{team.id}").text
    members = page[page.index('id="members-heading"') :]
    assert f'<a href="/people/{teller.id}">李柜员</a>' in members
    assert teller.employee_no in members and "Teller" in members
    assert f'<a href="/people/{gone.id}">王离职</a>' in members and "Inactive" in members
    assert "2 people" in members
    assert elsewhere.name not in members


def test_deactivating_asks_for_a_reason_and_confirmation(db, admin_client, make_client):
    person = make_person(db, name="将离职")
    device = make_client()
    device.login(person.employee_no, PASSWORD)
    page = admin_client.get(f"/people/{person.id}").text
    form = re.search(r'<form[^>]*action="/people/\d+/deactivate"[^>]*>', page).group(0)
    assert 'data-confirm="Deactivate 将离职' in form
    assert re.search(r'<textarea id="reason" name="reason"[^>]*required', page)

    missing = admin_client.submit(
        f"/people/{person.id}/deactivate", {"reason": "  "}, token_page="/"
    )
    assert missing.status_code == 400
    assert 'id="reason-error"' in missing.text and "This field is required." in missing.text
    assert device.get("/").status_code == 200  # still signed in: nothing happened

    done = admin_client.submit(
        f"/people/{person.id}/deactivate", {"reason": "调往总行"}, token_page="/"
    )
    assert done.status_code == 303
    assert device.get("/").status_code == 303  # signed out at once
    after = admin_client.get(done.headers["location"]).text
    assert f"将离职 ({person.employee_no}) is deactivated and can no longer log in." in after
    assert f'action="/people/{person.id}/reactivate"' in after
    with db.session() as session:
        assert not session.get(Person, person.id).active
        event = session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action == "person.deactivate")
        ).one()
        assert event.detail["reason"] == "调往总行"
        assert event.actor_id == admin_client.admin.id


def test_reactivating_lets_them_log_in_again(db, admin_client, make_client):
    person = make_person(db, active=False)
    done = admin_client.submit(f"/people/{person.id}/reactivate", token_page="/")
    assert done.status_code == 303
    assert "is active again" in admin_client.get(done.headers["location"]).text
    make_client().login(person.employee_no, PASSWORD)
    with db.session() as session:
        assert session.exec(
            select(AuditTrailEvent).where(AuditTrailEvent.action == "person.reactivate")
        ).one()


def test_admin_cannot_deactivate_themselves(db, admin_client):
    admin = admin_client.admin
    response = admin_client.submit(
        f"/people/{admin.id}/deactivate", {"reason": "test"}, token_page="/"
    )
    assert response.status_code == 400
    assert "deactivate yourself" in response.text
    with db.session() as session:
        assert session.get(Person, admin.id).active


def test_only_admins_deactivate(db, client):
    hr = make_person(db, role=Role.hr)
    person = make_person(db)
    client.login(hr.employee_no, PASSWORD)
    response = client.submit(f"/people/{person.id}/deactivate", {"reason": "x"}, token_page="/")
    assert response.status_code == 403
    with db.session() as session:
        assert session.get(Person, person.id).active


def test_irreversible_buttons_ask_first(db, admin_client):
    person = make_person(db, name="确认")
    page = admin_client.get(f"/people/{person.id}").text
    for action in ("sessions/end", "password", "deactivate"):
        form = re.search(rf'<form[^>]*action="/people/{person.id}/{action}"[^>]*>', page).group(0)
        assert "data-confirm=" in form, action


def test_status_messages_cannot_be_forged(db, admin_client):
    person = make_person(db, name="真名")
    done = admin_client.submit(f"/people/{person.id}/sessions/end", token_page="/")
    location = done.headers["location"]
    assert "Sessions of 真名" in admin_client.get(location).text
    payload, signature = location.split("done=")[1].split(".")
    forged = f"/people/{person.id}?done={payload[:-4]}AAAA.{signature}"
    assert "Sessions of" not in admin_client.get(forged).text
    made_up = f"/people/{person.id}?done=W10.0000"
    assert admin_client.get(made_up).status_code == 200


def test_people_pager_keeps_the_inactive_filter(db, admin_client):
    team = make_team(db)
    for number in range(55):
        make_person(db, team=team, employee_no=f"X{number:03d}", password=None, active=False)
    first = admin_client.get(f"/people?team={team.id}&inactive=true").text
    assert "55 people" in first
    next_link = re.search(r'<a href="(/people\?[^"]*page=2)"[^>]*>Next</a>', first).group(1)
    assert "inactive=true" in next_link
    second = admin_client.get(next_link.replace("&amp;", "&")).text
    assert "X054" in second and "Nobody matches" not in second


def test_supervisor_filter_offers_only_their_teams(db, client):
    mine = make_team(db, name="我的团队")
    other = make_team(db, name="别人的团队")
    supervisor = make_person(db, role=Role.supervisor)
    supervise(db, supervisor=supervisor, team=mine)
    client.login(supervisor.employee_no, PASSWORD)
    page = client.get("/people").text
    options = re.search(r'<select id="team".*?</select>', page, re.S).group(0)
    assert f'value="{mine.id}"' in options and "我的团队" in options
    assert f'value="{other.id}"' not in options and "别人的团队" not in page
    person = make_person(db, team=mine)
    assert "别人的团队" not in client.get(f"/people/{person.id}").text


def test_hr_filter_still_offers_every_team(db, client):
    make_team(db, name="甲队")
    make_team(db, name="乙队")
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    page = client.get("/people").text
    assert "甲队" in page and "乙队" in page
