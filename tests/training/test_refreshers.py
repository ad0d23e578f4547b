"""Refreshers: a new version of a covered standard flags earlier completers; they confirm or
retake; HR and authors see who each change reached."""

from datetime import UTC, datetime, timedelta

import pytest

from staff import service as staff_service
from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_standard, make_team, publish_new_version
from tests.training.duties import complete, refresher_modules


def _revise(db, standard):  # type: ignore[no-untyped-def]
    publish_new_version(db, standard.code, change_note="新增二次征询")


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    standard, _ = make_standard(db, code="GRT-09")
    team = make_team(db)
    hr = make_person(db, role=Role.hr, employee_no="H8001")
    make_person(db, role=Role.author, employee_no="Q8001")
    done = make_person(db, position=Position.teller, team=team, employee_no="E8001")
    not_done = make_person(db, position=Position.teller, team=team, employee_no="E8002")
    confirm, retake = refresher_modules(
        db, standard_code="GRT-09", prefix="GRT", team_id=team.id, actor_id=hr.id
    )
    earlier = datetime.now(UTC) - timedelta(days=3)
    for module in (confirm, retake):
        complete(db, person_id=done.id, module_id=module.id, at=earlier)
    _revise(db, standard)
    return {"done": done, "not_done": not_done, "confirm": confirm, "retake": retake}


def test_completers_before_the_new_version_are_refresher_due(db, setup):
    from training import refreshers

    with db.session() as session:
        mine = refreshers.open_for(session, person_id=setup["done"].id)
        assert {r.module_code for r in mine} == {"GRT-COURSE", "GRT-RETAKE"}
        assert {r.flag.retake for r in mine} == {False, True}
        assert refreshers.open_for(session, person_id=setup["not_done"].id) == []
        rows = refreshers.changes(session, team_ids=None)
    assert sorted((r.module_code, r.affected, r.outstanding) for r in rows) == [
        ("GRT-COURSE", 1, 1),
        ("GRT-RETAKE", 1, 1),
    ]
    # The counts are kept per worker until a flag is confirmed (or anything they count moves).
    with db.session() as session:
        flag = next(
            r.flag
            for r in refreshers.open_for(session, person_id=setup["done"].id)
            if r.module_code == "GRT-COURSE"
        )
        person = staff_service.get_person(session, person_id=setup["done"].id)
        assert person is not None
        refreshers.confirm(session, flag=flag, person=person)
    with db.session() as session:
        rows = refreshers.changes(session, team_ids=None)
    assert sorted((r.module_code, r.affected, r.outstanding) for r in rows) == [
        ("GRT-COURSE", 1, 0),
        ("GRT-RETAKE", 1, 1),
    ]


def test_the_person_reads_the_diff_and_confirms(client, db, setup, make_client):
    from training import refreshers

    with db.session() as session:
        flag = next(
            r.flag for r in refreshers.open_for(session, person_id=setup["done"].id)
            if not r.flag.retake
        )  # fmt: skip
        retake_flag = next(
            r.flag for r in refreshers.open_for(session, person_id=setup["done"].id)
            if r.flag.retake
        )  # fmt: skip
    other = make_client()
    other.login("E8002", PASSWORD)
    assert other.get(f"/training/refreshers/{flag.id}").status_code == 404
    page = f"/training/refreshers/{flag.id}"
    assert other.submit(page + "/confirm", token_page="/").status_code == 404
    client.login("E8001", PASSWORD)
    html = client.get(page).text
    assert "/standards/GRT-09/diff?a=1&amp;b=2" in html
    assert client.submit(page + "/confirm", token_page=page).status_code == 303
    assert client.submit(page + "/confirm", token_page=page).status_code == 409
    retake_page = f"/training/refreshers/{retake_flag.id}"
    assert client.submit(retake_page + "/confirm", token_page=page).status_code == 409
    with db.session() as session:
        left = refreshers.open_for(session, person_id=setup["done"].id)
    assert [r.module_code for r in left] == ["GRT-RETAKE"]


def test_a_retake_is_resolved_by_completing_again(db, setup):
    from training import refreshers
    from training.dashboard import Filters, Group, report
    from training.enrollment import bank_today

    def due_count() -> int:
        with db.session() as session:
            r = report(
                session, group=Group.module, filters=Filters(module_id=setup["retake"].id),
                team_ids=None, today=bank_today(),
            )  # fmt: skip
        return r.total.refresher_due

    assert due_count() == 1
    later = datetime.now(UTC) + timedelta(minutes=1)
    complete(db, person_id=setup["done"].id, module_id=setup["retake"].id, at=later)
    assert due_count() == 0
    with db.session() as session:
        mine = refreshers.open_for(session, person_id=setup["done"].id)
    assert [r.module_code for r in mine] == ["GRT-COURSE"]


def test_hr_sees_who_each_change_reached_and_an_author_marks_it(client, db, setup, make_client):
    client.login("H8001", PASSWORD)
    html = client.get("/training/refreshers").text
    assert "GRT-COURSE" in html and "GRT-RETAKE" in html
    from training import refreshers

    with db.session() as session:
        change = next(
            r.change for r in refreshers.changes(session, team_ids=None)
            if r.module_code == "GRT-COURSE"
        )  # fmt: skip
    detail = client.get(f"/training/refreshers/changes/{change.id}").text
    assert "E8001" in detail and "E8002" not in detail
    url = f"/training/refreshers/changes/{change.id}/policy"
    assert client.submit(url, {"retake": "true"}, token_page="/").status_code == 403
    author = make_client()
    author.login("Q8001", PASSWORD)
    assert author.submit(url, {"retake": "true"}, token_page="/").status_code == 303
    with db.session() as session:
        open_ = refreshers.open_for(session, person_id=setup["done"].id)
    assert all(r.flag.retake for r in open_)
    employee = make_client()
    employee.login("E8002", PASSWORD)
    assert employee.get("/training/refreshers").status_code == 403
