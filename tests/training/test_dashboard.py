"""Completion dashboards: counts on a prepared data set, drill-down, scope, reminders, CSV."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from staff import service as staff_service
from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_team, supervise
from tests.training.duties import complete, make_module
from training import assignments
from training.assignments import Due, Target
from training.enrollment import bank_today
from training.models import Enrollment, TargetKind

NOW = datetime.now(UTC)


@pytest.fixture
def bank(db):  # type: ignore[no-untyped-def]
    """Team A: 5 tellers on one module (2 on time, 1 late, 1 overdue, 1 in progress) and a
    recertified one expired for the first teller; team B: 2 lobby managers, nothing done."""
    team_a, team_b = make_team(db, name="柜面一组"), make_team(db, name="大堂")
    hr = make_person(db, role=Role.hr, employee_no="H9001")
    boss = make_person(db, role=Role.supervisor, team=team_a, employee_no="S9001")
    supervise(db, supervisor=boss, team=team_a)
    tellers = [make_person(db, position=Position.teller, team=team_a) for _ in range(5)]
    lobby = [make_person(db, position=Position.lobby_manager, team=team_b) for _ in range(2)]
    module = make_module(db, code="CTR-101")
    recert = make_module(db, code="AML-201", recert_months=12)
    with db.session() as session:
        actor = staff_service.get_person(session, person_id=hr.id)
        for m in (module, recert):
            target = Target(TargetKind.position, position=Position.teller)
            assignments.create_assignment(
                session, module_id=m.id, target=target, due=Due(days=10), reason="r", actor=actor
            )
        assignments.create_assignment(
            session, module_id=module.id, target=Target(TargetKind.team, team_b.id),
            due=Due(days=10), reason="r", actor=actor,
        )  # fmt: skip
    t = [p.id for p in tellers]
    complete(db, person_id=t[0], module_id=module.id, at=NOW, score=90.0)
    complete(db, person_id=t[1], module_id=module.id, at=NOW, score=70.0)
    complete(db, person_id=t[2], module_id=module.id, at=NOW + timedelta(days=12))  # late
    complete(db, person_id=t[0], module_id=recert.id, at=NOW, expires_on=bank_today())  # expired
    with db.session() as session:
        from sqlmodel import select

        rows = session.exec(select(Enrollment).where(Enrollment.module_id == module.id)).all()
        for row in rows:
            if row.person_id == t[3]:
                row.due_on = bank_today() - timedelta(days=1)  # overdue
            if row.person_id == t[4]:
                row.started_at = NOW  # in progress
            if row.person_id == t[2]:
                row.completed_on = row.due_on + timedelta(days=2)
            row.updated_at = datetime.now(UTC)
            session.add(row)
    return {"hr": hr, "boss": boss, "tellers": tellers, "lobby": lobby, "module": module,
            "recert": recert, "team_a": team_a, "team_b": team_b}  # fmt: skip


def _row(html: str, label: str) -> str:
    start = html.index(label)
    return html[start : html.index("</tr>", start)]


def test_hr_sees_the_figures_per_module(client, bank):
    client.login("H9001", PASSWORD)
    html = client.get("/training/dashboard").text
    row = _row(html, '<th scope="row">CTR-101')
    assert "status=overdue" in row and "status=completed_late" in row
    from training.dashboard import Filters, Group, report

    with client.app.state.database.session() as session:
        figures = report(
            session, group=Group.module, filters=Filters(), team_ids=None, today=bank_today()
        )
    by_label = {r.label.split()[0]: r.figures for r in figures.rows}
    ctr = by_label["CTR-101"]
    assert ctr.assigned == 7
    assert (ctr["completed_on_time"], ctr["completed_late"], ctr["overdue"]) == (2, 1, 1)
    assert (ctr["in_progress"], ctr["not_started"]) == (1, 2)
    assert ctr.average_score == 80.0
    aml = by_label["AML-201"]
    assert (aml.assigned, aml["expired"], aml["not_started"]) == (5, 1, 4)


def test_grouped_by_team_and_position(client, bank, db):
    from training.dashboard import Filters, Group, report

    with db.session() as session:
        by_team = report(
            session, group=Group.team, filters=Filters(), team_ids=None, today=bank_today()
        )
        by_position = report(
            session, group=Group.position, filters=Filters(), team_ids=None, today=bank_today()
        )
    assert sorted(r.figures.assigned for r in by_team.rows) == [2, 10]
    assert {r.key: r.figures.assigned for r in by_position.rows} == {
        "teller": 10,
        "lobby_manager": 2,
    }
    client.login("H9001", PASSWORD)
    for group in ("team", "branch", "position"):
        assert client.get(f"/training/dashboard?group={group}").status_code == 200


def test_a_supervisor_sees_only_their_teams_and_employees_nothing(client, bank, make_client):
    client.login("S9001", PASSWORD)
    people = client.get("/training/dashboard/people").text
    assert bank["lobby"][0].employee_no not in people
    assert bank["tellers"][0].employee_no in people
    other = client.get(f"/training/dashboard/people?team={bank['team_b'].id}").text
    assert bank["lobby"][0].employee_no not in other
    employee = make_client()
    employee.login(bank["tellers"][0].employee_no, PASSWORD)
    for url in ("/training/dashboard", "/training/dashboard/people", "/training/dashboard.csv"):
        assert employee.get(url).status_code == 403


def test_drill_down_filters_by_status(client, bank):
    client.login("H9001", PASSWORD)
    html = client.get(f"/training/dashboard/people?module={bank['module'].id}&status=overdue").text
    assert bank["tellers"][3].employee_no in html
    assert bank["tellers"][0].employee_no not in html
    assert client.get("/training/dashboard/people?status=nonsense").status_code == 400
    assert client.get("/training/dashboard?module=99999999999").status_code == 400


def test_reminders_go_to_the_outstanding_once_a_day(client, bank, db):
    client.login("H9001", PASSWORD)
    url = f"/training/dashboard/remind?module={bank['module'].id}"
    response = client.submit(url, token_page="/training/dashboard")
    assert response.status_code == 303
    from sqlmodel import func, select

    from training.models import Reminder

    with db.session() as session:
        sent = session.exec(select(func.count()).select_from(Reminder)).one()
    assert sent == 4  # overdue, in progress and the two lobby managers not started
    client.submit(url, token_page="/training/dashboard")
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(Reminder)).one() == 4


def test_csv_export_lists_every_duty_safely(client, bank, db):
    with db.session() as session:
        person = staff_service.get_person(session, person_id=bank["lobby"][0].id)
        staff_service.update_person(
            session, person=person, changes={"name": "=HYPERLINK(1)"}, actor_id=None
        )
    client.login("H9001", PASSWORD)
    response = client.get("/training/dashboard.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 1 + 12
    assert any(r[1] == "'=HYPERLINK(1)" for r in rows)


def test_reporting_figures_per_person_for_scorecards(bank, db):
    from sqlmodel import col, select

    from staff.models import Person
    from training import reporting

    people = select(Person.id).where(col(Person.team_id) == bank["team_a"].id).subquery()
    with db.session() as session:
        figures = reporting.figures(
            session, people=people, start=bank_today() - timedelta(days=30), end=bank_today()
        )
    t = bank["tellers"]
    assert figures[t[0].id].assigned == 2
    assert figures[t[0].id].completed_on_time == 2 and figures[t[0].id].expired == 1
    assert figures[t[3].id].overdue == 1
    assert figures[t[4].id].in_progress == 1
    assert figures[t[2].id].completed_late == 0  # completed after the period's end
    assert bank["lobby"][0].id not in figures


def test_reporting_figures_by_month_agree_with_one_period_at_a_time(bank, db):
    """The trend's one query gives, for each period, what `figures` gives for it alone."""
    from sqlmodel import col, select

    from staff.models import Person
    from training import reporting

    people = select(Person.id).where(col(Person.team_id) == bank["team_a"].id).subquery()
    today = bank_today()
    periods = [
        (today - timedelta(days=90), today - timedelta(days=61)),
        (today - timedelta(days=60), today - timedelta(days=31)),
        (today - timedelta(days=30), today),
        (today - timedelta(days=10), today - timedelta(days=10)),
    ]
    with db.session() as session:
        together = reporting.figures_by_month(session, people=people, months=periods)
        alone = [
            reporting.figures(session, people=people, start=start, end=end)
            for start, end in periods
        ]
    expected = {
        (person_id, index): found
        for index, by_person in enumerate(alone)
        for person_id, found in by_person.items()
    }
    assert together == expected
    assert any(f.completed_on_time for f in together.values())  # the data exercises it


def test_home_panels_due_soon_and_overdue_in_my_teams(client, bank, make_client):
    overdue_teller = bank["tellers"][3]
    employee = make_client()
    employee.login(overdue_teller.employee_no, PASSWORD)
    home = employee.get("/").text
    assert "CTR-101" in home and "Overdue" in home
    client.login("S9001", PASSWORD)
    home = client.get("/").text
    assert "Overdue training" in home and "CTR-101 CTR-101 course</a>: 1" in home


def test_person_overview_shows_their_training_and_reminds_one_module(client, bank, db):
    teller = bank["tellers"][4]
    client.login("S9001", PASSWORD)
    page = f"/people/{teller.id}/overview"
    html = client.get(page).text
    assert "CTR-101" in html and "In progress" in html
    url = f"/training/dashboard/remind?person={teller.id}&module={bank['module'].id}"
    assert client.submit(url, token_page=page).status_code == 303
    from sqlmodel import select

    from training.models import Reminder

    with db.session() as session:
        sent = session.exec(select(Reminder)).all()
    assert [(r.person_id, r.module_id) for r in sent] == [(teller.id, bank["module"].id)]
    lobby = bank["lobby"][0]
    assert client.get(f"/people/{lobby.id}/overview").status_code == 404
    # The filters are scoped: naming someone outside the supervisor's teams reminds nobody.
    client.submit(f"/training/dashboard/remind?person={lobby.id}", token_page=page)
    with db.session() as session:
        assert len(session.exec(select(Reminder)).all()) == 1


def test_every_status_filter_agrees_with_the_figures(bank, db):
    from training.dashboard import Filters, Group, people, report
    from training.enrollment import Status

    with db.session() as session:
        total = report(
            session, group=Group.module, filters=Filters(), team_ids=None, today=bank_today()
        )
        for status in Status:
            _, n = people(
                session, filters=Filters(status=status), team_ids=None, today=bank_today()
            )
            assert n == total.total[status], status
        _, due = people(
            session, filters=Filters(refresher_due=True), team_ids=None, today=bank_today()
        )
        assert due == total.total.refresher_due


def test_a_cached_report_still_names_its_rows_and_sees_changes(bank, db):
    from training.dashboard import Filters, Group, report

    def figures():  # type: ignore[no-untyped-def]
        with db.session() as session:
            return report(
                session, group=Group.module, filters=Filters(), team_ids=None, today=bank_today()
            )

    first, again = figures(), figures()
    assert [r.label for r in first.rows] == [r.label for r in again.rows]
    assert all(r.label.startswith(("CTR-101", "AML-201")) for r in again.rows)
    assert again.rows[0].figures is first.rows[0].figures  # served from the cache
    complete(db, person_id=bank["tellers"][4].id, module_id=bank["module"].id, at=NOW)
    assert figures().total["completed_on_time"] == first.total["completed_on_time"] + 1


# The dashboards' bodies are kept rendered per worker (training/dashboard_views.py).
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_kept_dashboard_follows_a_completion(client, bank, db):
    client.login("H9001", PASSWORD)
    first = client.get("/training/dashboard").text
    assert client.get("/training/dashboard").text == first  # kept
    complete(db, person_id=bank["tellers"][4].id, module_id=bank["module"].id, at=NOW)
    assert client.get("/training/dashboard").text != first


def test_the_kept_people_list_follows_reminders_and_shows_each_viewer_their_own_form(
    client, make_client, bank, db
):
    url = f"/training/dashboard/people?module={bank['module'].id}"
    client.login("H9001", PASSWORD)
    assert "Last: " not in client.get(url).text
    done = client.submit(f"/training/dashboard/remind?module={bank['module'].id}", token_page=url)
    assert client.get(done.headers["location"]).text.count("reminders sent") == 1  # once
    after = client.get(url).text
    assert "Last: " in after  # the reminders just sent, not the kept page

    other = make_client()
    other.login(make_person(db, role=Role.hr).employee_no, PASSWORD)
    theirs = other.get(url).text
    assert TOKEN.findall(theirs) and TOKEN.findall(after)
    assert set(TOKEN.findall(theirs)).isdisjoint(TOKEN.findall(after))

    other.submit("/language", {"locale": "zh_CN", "next": "/"})
    assert "人员培训情况" in other.get(url).text and "Last: " not in other.get(url).text
