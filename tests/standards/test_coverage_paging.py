"""A standard's coverage detail pages its people (a region has thousands), outstanding
first, while the per-team figures above the list count everyone."""

from datetime import timedelta

from sqlmodel import select

from frontline.models import utcnow
from staff.models import Person, Position, Role
from standards import acknowledgments
from standards.models import StandardVersion
from tests.factories import PASSWORD, make_branch, make_person, make_standard, make_team


def test_people_are_paged_and_figures_count_everyone(db, client):
    team = make_team(db)
    hr = make_person(db, role=Role.hr)
    for _ in range(103):
        make_person(db, position=Position.teller, team=team, password=None)
    _, version = make_standard(db, code="PGD-01", positions=["teller"])
    client.login(hr.employee_no, PASSWORD)

    first = client.get(f"/acknowledgments/report/{version.id}")
    assert first.status_code == 200
    assert first.text.count("/overview") == 100
    assert "0 of 103 done" in first.text
    assert "page=2" in first.text

    second = client.get(f"/acknowledgments/report/{version.id}?page=2")
    assert second.text.count("/overview") == 3
    assert "page=1" in second.text and "page=3" not in second.text

    assert client.get(f"/acknowledgments/report/{version.id}?page=0").status_code == 400

    # Figures and pages are kept until an input changes: an acknowledgment shows at once.
    with db.session() as session:
        teller = session.exec(select(Person).where(Person.position == Position.teller)).first()
        acknowledgments.acknowledge(
            session,
            person=teller,
            version=session.get(StandardVersion, version.id),
            opened_at=utcnow() - timedelta(minutes=5),
            reached_at=utcnow(),
        )
    first = client.get(f"/acknowledgments/report/{version.id}").text
    assert "1 of 103 done" in first and f"/people/{teller.id}/overview" not in first
    last = client.get(f"/acknowledgments/report/{version.id}?page=2").text
    assert f"/people/{teller.id}/overview" in last  # done: after everyone outstanding


def test_teams_of_the_same_name_are_told_apart_by_their_branch(db, client):
    hr = make_person(db, role=Role.hr)
    for branch_name in ("朝阳支行", "海淀支行"):
        team = make_team(db, branch=make_branch(db, name=branch_name), name="柜面一组")
        make_person(db, position=Position.teller, team=team, password=None)
    _, version = make_standard(db, code="PGD-02", positions=["teller"])
    client.login(hr.employee_no, PASSWORD)
    for page in ("/acknowledgments/report", f"/acknowledgments/report/{version.id}"):
        text = client.get(page).text
        assert "朝阳支行 · 柜面一组" in text and "海淀支行 · 柜面一组" in text, page


def test_the_reading_language_survives_the_standards_redirect(db, client):
    make_standard(db, code="PGD-03")
    client.login(make_person(db, role=Role.hr).employee_no, PASSWORD)
    response = client.get("/standards/PGD-03?lang=zh")
    assert response.headers["location"] == "/standards/PGD-03/v/1?lang=zh"


def test_figures_count_people_without_a_team_and_leave_out_inactive_ones(db, client):
    team = make_team(db, name="柜面二组")
    hr = make_person(db, role=Role.hr)
    make_person(db, position=Position.teller, team=team, password=None)
    make_person(db, position=Position.teller, team=None, name="无组柜员", password=None)
    make_person(db, position=Position.teller, team=team, active=False, name="离职柜员")
    make_person(db, position=Position.call_agent, team=team, password=None)
    _, version = make_standard(db, code="PGD-04", positions=["teller"])
    client.login(hr.employee_no, PASSWORD)

    text = client.get(f"/acknowledgments/report/{version.id}").text
    assert "No team" in text and "柜面二组" in text
    assert text.count("0 of 1 done") == 2  # one teller in the team, one without a team
    assert "无组柜员" in text and "离职柜员" not in text
    assert text.count("/overview") == 2
