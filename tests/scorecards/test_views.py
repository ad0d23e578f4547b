"""Scorecard pages and rollups through HTTP: who may open what, and what they show."""

import re

import pytest

from staff.models import Role
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person
from tests.scorecards import dataset


@pytest.fixture
def bank(db):
    return dataset.build(db)


@pytest.fixture
def login(app):
    clients = []

    def make(person):
        c = FrontlineClient(app)
        c.__enter__()
        clients.append(c)
        c.login(person.employee_no, PASSWORD)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def test_an_employee_sees_their_own_scorecard_and_where_they_stand(bank, login):
    page = login(bank.jia).get("/scorecards/me", params=dataset.PERIOD)
    assert page.status_code == 200
    assert "Scorecard of 甲" in page.text
    assert "Rank 1 of 3 in the team" in page.text  # 甲 100, 移 50, 乙 0 in T1
    assert "team average" in page.text and "50.0" in page.text
    assert "<svg" in page.text and '<title id="trend-title">' in page.text
    assert "2026-11" in page.text  # the trend's table names the month
    # Nobody else's figures on an employee's page: the team's people are not listed.
    assert "乙" not in page.text


def test_an_employee_cannot_open_anyone_elses_scorecard_or_a_rollup(bank, login):
    c = login(bank.yi)
    assert c.get(f"/scorecards/people/{bank.jia.id}").status_code == 404
    assert c.get(f"/scorecards/people/{bank.yi.id}").status_code == 200
    assert c.get(f"/scorecards/people/{bank.jia.id}/print").status_code == 404
    assert c.get(f"/scorecards/teams/{bank.t1.id}").status_code == 403
    assert c.get(f"/scorecards/branches/{bank.branch1_id}").status_code == 403
    assert c.get("/scorecards/regions/华北").status_code == 403
    overview = c.get("/scorecards", params=dataset.PERIOD)
    assert overview.status_code == 303
    assert overview.headers["location"].startswith("/scorecards/me?period=2026-11")
    assert c.get("/hr/scorecards.csv").status_code == 403
    assert c.get("/hr/scorecards.xlsx").status_code == 403
    assert c.get("/scorecards/weights").status_code == 403
    assert c.get("/admin/api-tokens").status_code == 403


def test_a_supervisor_sees_their_teams_only(bank, login):
    c = login(bank.supervisor)
    assert c.get(f"/scorecards/people/{bank.jia.id}").status_code == 200
    assert c.get(f"/scorecards/people/{bank.mover.id}").status_code == 200  # moved in
    assert c.get(f"/scorecards/people/{bank.bing.id}").status_code == 404  # T2
    assert c.get(f"/scorecards/people/{bank.ding.id}").status_code == 404  # T3
    assert c.get(f"/scorecards/teams/{bank.t2.id}").status_code == 404
    assert c.get(f"/scorecards/branches/{bank.branch2_id}").status_code == 404
    assert c.get("/scorecards/regions/华东").status_code == 404
    # Their branch and region show only their own team's people.
    branch = c.get(f"/scorecards/branches/{bank.branch1_id}", params=dataset.PERIOD)
    assert branch.status_code == 200
    assert "甲" in branch.text and "丙" not in branch.text
    overview = c.get("/scorecards", params=dataset.PERIOD)
    assert "Your teams" in overview.text and "丁" not in overview.text
    assert c.get("/hr/scorecards.csv").status_code == 403
    assert c.get("/scorecards/weights").status_code == 403


def test_hr_rollups_rank_people_and_units(bank, login):
    c = login(bank.hr)
    overview = c.get("/scorecards", params=dataset.PERIOD)
    assert overview.status_code == 200
    assert "Whole bank" in overview.text
    assert "华北" in overview.text and "华东" in overview.text
    branch = c.get(f"/scorecards/branches/{bank.branch1_id}", params=dataset.PERIOD)
    assert branch.status_code == 200
    text = branch.text
    # Teams ranked by average composite: 大堂组 (丙 100) before 柜面一组 (甲 100, 移 50, 乙 0).
    assert text.index("一支行 · 大堂组") < text.index("一支行 · 柜面一组")
    # People: 甲 and 丙 share rank 1 (100), 移 is 3rd, 乙 4th; the supervisor is N/A.
    ranks = re.findall(
        r'<td class="num">(\d+|—)</td>'
        r'<td><a href="/scorecards/people/\d+\?period=2026-11">([^<]+)</a>',
        text,
    )
    assert ranks == [("1", "甲"), ("1", "丙"), ("3", "移"), ("4", "乙"), ("—", "主管")]
    region = c.get("/scorecards/regions/华北", params=dataset.PERIOD)
    assert region.status_code == 200 and "一支行" in region.text
    team = c.get(f"/scorecards/teams/{bank.t3.id}", params=dataset.PERIOD)
    assert "丁" in team.text and "移" not in team.text
    assert c.get("/scorecards/regions/nowhere").status_code == 404
    assert c.get("/scorecards/branches/999999").status_code == 404
    filtered = c.get("/scorecards", params={**dataset.PERIOD, "position": "lobby_manager"})
    assert "丙" in filtered.text and "甲" not in filtered.text


@pytest.mark.parametrize(
    "params",
    [
        {"period": "2026-13"},
        {"period": "last week"},
        {"start": "2026-11-30", "end": "2026-11-01"},
        {"start": "2026-11-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"start": "yesterday", "end": "2026-01-01"},
        {"branch": "abc"},
        {"position": "astronaut"},
    ],
)
def test_bad_periods_and_filters_are_a_clear_400(bank, login, params):
    c = login(bank.hr)
    assert c.get("/scorecards/me", params=params).status_code == 400
    assert c.get("/scorecards", params=params).status_code == 400
    assert c.get("/hr/scorecards.csv", params=params).status_code == 400


def test_periods_quarter_year_and_custom(bank, login):
    c = login(bank.jia)
    for params in (
        {"period": "2026-Q4"},
        {"period": "2026"},
        {"start": "2026-11-15", "end": "2026-11-30"},
    ):
        page = c.get("/scorecards/me", params=params)
        assert page.status_code == 200, params
    custom = c.get("/scorecards/me", params={"start": "2026-11-15", "end": "2026-11-30"})
    assert "2026-11-15 – 2026-11-30" in custom.text


def test_the_printable_view_stands_alone(bank, login):
    c = login(bank.supervisor)
    page = c.get(f"/scorecards/people/{bank.jia.id}/print", params=dataset.PERIOD)
    assert page.status_code == 200
    assert "app-header" not in page.text and "Scorecard of 甲" in page.text
    assert "print.css" in page.text


def test_someone_without_a_team_gets_a_plain_explanation(bank, login):
    page = login(bank.hr).get("/scorecards/me")
    assert page.status_code == 200
    assert "scorecards are kept for active people in a team" in page.text


def test_chinese_session_reads_chinese(bank, app):
    person = make_person(app.state.database, role=Role.employee, locale="zh_CN", team=bank.t1)
    with FrontlineClient(app) as c:
        c.login(person.employee_no, PASSWORD)
        page = c.get("/scorecards/me")
    assert page.status_code == 200
    assert "综合" in page.text
