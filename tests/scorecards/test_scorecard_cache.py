"""A person's scorecard page is kept rendered per worker (scorecards/page_views.py), yet never
stale: after each kind of change the rollups are tested with, every scorecard served equals
one computed afresh, and a change about another team keeps a page."""

import pytest
from sqlmodel import select

from frontline.db import Database
from quizzes.models import Quiz
from scorecards import page_views
from staff import service as staff_service
from tests.client import FrontlineClient
from tests.factories import PASSWORD
from tests.scorecards import activity, dataset
from tests.scorecards.test_rollup_cache import CHANGES, Change


def _main(client: FrontlineClient, url: str) -> str:
    response = client.get(url, params=dataset.PERIOD)
    assert response.status_code == 200
    return response.text[response.text.index("<main") : response.text.index("</main>")]


def _pages(client: FrontlineClient, bank: dataset.Bank) -> dict[str, str]:
    people = (bank.jia, bank.yi, bank.bing, bank.mover)
    return {p.name: _main(client, f"/scorecards/people/{p.id}") for p in people}


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_scorecard_shows_each_change_at_once(db: Database, app, change: Change) -> None:
    bank = dataset.build(db)
    activity.build(db, bank)
    with FrontlineClient(app) as client:
        client.login(bank.hr.employee_no, PASSWORD)
        before = _pages(client, bank)
        assert _pages(client, bank) == before  # kept, and the same
        change(db, bank)
        after = _pages(client, bank)
        page_views._bodies.clear()
        assert _pages(client, bank) == after  # the pages kept are the pages computed afresh
    assert after != before


def test_a_move_to_another_team_shows_on_the_movers_page(db: Database, app) -> None:
    bank = dataset.build(db)
    with FrontlineClient(app) as client:
        client.login(bank.hr.employee_no, PASSWORD)
        url = f"/scorecards/people/{bank.ding.id}"
        before = _main(client, url)
        with db.session() as session:
            ding = staff_service.get_person(session, person_id=bank.ding.id)
            assert ding is not None
            staff_service.update_person(
                session, person=ding, changes={"team_id": bank.t2.id}, actor_id=None
            )
        after = _main(client, url)
    assert after != before
    assert bank.t2.name in after


def test_the_own_page_and_a_staff_viewers_page_are_kept_apart(db: Database, app) -> None:
    bank = dataset.build(db)
    with FrontlineClient(app) as hr, FrontlineClient(app) as own:
        hr.login(bank.hr.employee_no, PASSWORD)
        own.login(bank.jia.employee_no, PASSWORD)
        as_hr = _main(hr, f"/scorecards/people/{bank.jia.id}")
        as_self = _main(own, "/scorecards/me")
    assert f"/scorecards/teams/{bank.t1.id}" in as_hr  # staff may open the team's rollup
    assert f"/scorecards/teams/{bank.t1.id}" not in as_self


def test_a_change_in_another_team_keeps_the_page(db: Database, app, monkeypatch) -> None:
    bank = dataset.build(db)
    activity.build(db, bank)
    computed: list[int] = []
    context = page_views._scorecard_context

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        computed.append(kwargs["person_id"])
        return context(*args, **kwargs)

    monkeypatch.setattr(page_views, "_scorecard_context", counting)
    with FrontlineClient(app) as client:
        client.login(bank.hr.employee_no, PASSWORD)
        _main(client, f"/scorecards/people/{bank.jia.id}")
        with db.session() as session:  # 丁 works in team 3, 甲 in team 1
            quiz = session.exec(select(Quiz).where(Quiz.code == "SC-QZ")).one()
            activity._attempt(session, quiz.id, bank.ding.id, 1, 55, "2026-11-22 10:00")
        _main(client, f"/scorecards/people/{bank.jia.id}")
        assert computed == [bank.jia.id]
        with db.session() as session:  # 乙 works beside 甲: 甲's standing may change
            activity._attempt(session, quiz.id, bank.yi.id, 1, 95, "2026-11-23 10:00")
        _main(client, f"/scorecards/people/{bank.jia.id}")
        assert computed == [bank.jia.id, bank.jia.id]
