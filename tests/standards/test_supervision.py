"""Supervisors through HTTP: one person's page, coverage as people worst first, and reminders
(scope, once a day per standard and person, remind everyone, the employee's home panel)."""

from datetime import timedelta

from sqlmodel import select

from frontline.audit_trail import AuditTrailEvent
from frontline.models import utcnow
from staff.models import Position, Role
from standards import acknowledgments
from standards.models import AcknowledgmentReminder
from tests.factories import PASSWORD, make_person, make_standard, make_team, supervise


def _acknowledged(db, person, version):
    with db.session() as session:
        acknowledgments.acknowledge(
            session, person=person, version=version, opened_at=utcnow(), reached_at=None
        )


def _supervised_team(db, client, name="柜面一组"):
    supervisor = make_person(db, role=Role.supervisor, name="王主管")
    team = make_team(db, name=name)
    supervise(db, supervisor=supervisor, team=team)
    client.login(supervisor.employee_no, PASSWORD)
    return supervisor, team


def _remind(client, version, person, back="report"):
    url = f"/acknowledgments/report/{version.id}/remind/{person.id}"
    return client.submit(url, {"back": back}, token_page="/")


def _reminders(db):
    with db.session() as session:
        return session.exec(select(AcknowledgmentReminder)).all()


def _remind_events(db):
    with db.session() as session:
        query = select(AuditTrailEvent).where(AuditTrailEvent.action == "standard.remind")
        return session.exec(query).all()


def test_person_page_lists_what_they_have_not_acknowledged(db, client):
    _, read = make_standard(db, code="PPV-01", positions=["teller"], title_en="Greeting")
    make_standard(db, code="PPV-02", positions=["teller"], title_en="Farewell")
    make_standard(db, code="PPV-03", positions=["call_agent"])
    _, team = _supervised_team(db, client)
    teller = make_person(db, position=Position.teller, team=team, name="李柜员")
    _acknowledged(db, teller, read)

    page = client.get(f"/people/{teller.id}/overview")
    assert page.status_code == 200
    assert "李柜员" in page.text and "柜面一组" in page.text
    assert "1 of 2 acknowledged" in page.text
    assert "PPV-02" in page.text
    assert "PPV-01" not in page.text and "PPV-03" not in page.text
    assert "no email" in page.text  # says how the reminder arrives
    detail = client.get(f"/acknowledgments/report/{read.id}").text
    assert f'href="/people/{teller.id}/overview"' in detail
    assert f'href="/people/{teller.id}/overview"' in client.get(f"/people/{teller.id}").text


def test_supervisor_sees_and_reminds_only_people_in_their_teams(db, client, make_client):
    _, version = make_standard(db, code="SCP-01", positions=["teller"])
    _supervised_team(db, client)
    elsewhere = make_person(db, position=Position.teller, team=make_team(db), name="别组柜员")

    assert client.get(f"/people/{elsewhere.id}/overview").status_code == 404
    assert _remind(client, version, elsewhere).status_code == 404
    assert _reminders(db) == [] and _remind_events(db) == []
    assert client.get("/people/999999/overview").status_code == 404

    hr = make_person(db, role=Role.hr)
    hr_device = make_client()
    hr_device.login(hr.employee_no, PASSWORD)
    assert "别组柜员" in hr_device.get(f"/people/{elsewhere.id}/overview").text

    employee = make_person(db, position=Position.teller, team=make_team(db))
    employee_device = make_client()
    employee_device.login(employee.employee_no, PASSWORD)
    assert employee_device.get(f"/people/{employee.id}/overview").status_code == 403


def test_a_second_reminder_within_a_day_is_refused_with_a_message(db, client, make_client):
    _, version = make_standard(db, code="LIM-01", positions=["teller"])
    _, team = _supervised_team(db, client)
    teller = make_person(db, position=Position.teller, team=team, name="李柜员")

    first = _remind(client, version, teller)
    assert first.status_code == 303 and first.headers["location"].endswith("reminded=1")
    second = _remind(client, version, teller)
    assert second.status_code == 409
    assert "already reminded" in second.text and "once a day" in second.text
    # Another supervisor of the same team is held to the same limit.
    colleague = make_person(db, role=Role.supervisor)
    supervise(db, supervisor=colleague, team=team)
    other = make_client()
    other.login(colleague.employee_no, PASSWORD)
    assert _remind(other, version, teller).status_code == 409
    assert len(_reminders(db)) == 1 and len(_remind_events(db)) == 1
    assert "Reminded today" in client.get(f"/acknowledgments/report/{version.id}").text

    with db.session() as session:
        reminder = session.exec(select(AcknowledgmentReminder)).one()
        reminder.reminded_at = utcnow() - timedelta(hours=25)
        session.add(reminder)
    again = _remind(client, version, teller, back="person")
    assert again.status_code == 303
    assert again.headers["location"] == f"/people/{teller.id}/overview?reminded=1"
    assert len(_reminders(db)) == 2


def test_no_reminder_for_what_is_acknowledged_or_does_not_apply(db, client):
    _, version = make_standard(db, code="NRM-01", positions=["teller"])
    _, team = _supervised_team(db, client)
    done = make_person(db, position=Position.teller, team=team, name="已确认")
    agent = make_person(db, position=Position.call_agent, team=team, name="坐席")
    _acknowledged(db, done, version)

    refused = _remind(client, version, done)
    assert refused.status_code == 409 and "already acknowledged" in refused.text
    assert _remind(client, version, agent).status_code == 409
    bad = client.submit(
        f"/acknowledgments/report/{version.id}/remind/{agent.id}", {"back": "x"}, token_page="/"
    )
    assert bad.status_code in (400, 422)
    assert _reminders(db) == []


def test_remind_everyone_skips_those_reminded_today_and_reports_counts(db, client):
    _, version = make_standard(db, code="ALL-01", positions=["teller"])
    _, team = _supervised_team(db, client)
    tellers = [make_person(db, position=Position.teller, team=team) for _ in range(3)]
    _acknowledged(db, make_person(db, position=Position.teller, team=team), version)
    make_person(db, position=Position.teller, team=make_team(db))  # not theirs: never reminded
    assert _remind(client, version, tellers[0]).status_code == 303

    everyone = client.submit(f"/acknowledgments/report/{version.id}/remind", token_page="/")
    assert everyone.status_code == 303
    assert everyone.headers["location"].endswith("?skipped=1&reminded=2")
    page = client.get(everyone.headers["location"]).text
    assert "Reminders sent to 2 people." in page
    assert "1 person was not reminded again" in page

    again = client.submit(f"/acknowledgments/report/{version.id}/remind", token_page="/")
    assert again.headers["location"].endswith("?skipped=3&reminded=0")
    assert len(_reminders(db)) == 3
    events = _remind_events(db)
    assert len(events) == 3  # one audit entry per reminder sent
    assert {e.target_id for e in events} == {str(version.id)}
    assert {e.detail["reminded"] for e in events} == {f"{t.employee_no} {t.name}" for t in tellers}


def test_the_reminded_employee_sees_it_on_their_home_page(db, client, make_client):
    _, version = make_standard(db, code="HOM-01", positions=["teller"], title_en="Greeting")
    _, team = _supervised_team(db, client)
    teller = make_person(db, position=Position.teller, team=team)
    device = make_client()
    device.login(teller.employee_no, PASSWORD)
    assert "Reminders" not in device.get("/").text

    _remind(client, version, teller)
    home = device.get("/").text
    assert "Your supervisor asked you to read and acknowledge" in home
    reminders_panel = home.split('class="reminders"')[1].split("</article>")[0]
    assert "HOM-01" in reminders_panel and "王主管" in reminders_panel
    assert utcnow().strftime("%Y-%m-%d") in reminders_panel

    _acknowledged(db, teller, version)
    assert 'class="reminders"' not in device.get("/").text


def test_coverage_reads_as_people_worst_first(db, client):
    _, greeting = make_standard(db, code="WF-01", positions=["teller"])
    _, farewell = make_standard(db, code="WF-02", positions=["teller"])
    # Named so that alphabetical order (乙 before 甲) is the opposite of worst first.
    supervisor, ahead = _supervised_team(db, client, name="乙组")
    behind = make_team(db, name="甲组")
    supervise(db, supervisor=supervisor, team=behind)
    for _ in range(2):
        person = make_person(db, position=Position.teller, team=ahead)
        _acknowledged(db, person, greeting)
        _acknowledged(db, person, farewell)
    halfway = make_person(db, position=Position.teller, team=behind)
    _acknowledged(db, halfway, greeting)  # one of two: not yet up to date
    make_person(db, position=Position.teller, team=behind)

    report = client.get("/acknowledgments/report").text
    by_team, by_standard = report.split("By standard")
    # People up to date, not acknowledgments: 甲组 has 1 of 4 acknowledgments but 0 of 2 people.
    assert "0 of 2 done" in by_team and "2 of 2 done" in by_team
    assert by_team.index("甲组") < by_team.index("乙组")
    # WF-02 has 2 of 4 people done, WF-01 3 of 4: the worse one first.
    assert "2 of 4 done" in by_standard and "3 of 4 done" in by_standard
    assert by_standard.index("WF-02") < by_standard.index("WF-01")

    detail = client.get(f"/acknowledgments/report/{farewell.id}").text
    teams = detail.split("People</h2>")[0]
    assert teams.index("甲组") < teams.index("乙组") and "0 of 2 done" in teams
