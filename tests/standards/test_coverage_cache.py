"""The whole-region coverage report is cached per worker, and never shows stale figures:
acknowledging, a person changing position or leaving, and publishing each change it."""

from datetime import UTC, datetime, timedelta

from staff import service as staff_service
from staff import units as staff_units
from staff.models import Position, Role
from standards import acknowledgments, coverage
from tests.factories import PASSWORD, make_person, make_standard, make_team, publish_new_version


def _figures(db) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    with db.session(write=False) as session:
        report = coverage.coverage(session, team_ids=None)
    return {s.code: (c.acknowledged, c.applicable) for s, _, c in report.by_version}


def test_report_follows_every_change_it_depends_on(db):
    team = make_team(db)
    teller = make_person(db, position=Position.teller, team=team)
    make_person(db, position=Position.teller, team=team)
    standard, version = make_standard(db, code="CCH-01", positions=["teller"])
    assert _figures(db)["CCH-01"] == (0, 2)
    assert _figures(db)["CCH-01"] == (0, 2)  # served from the cache, same answer

    opened = datetime.now(UTC) - timedelta(minutes=2)
    with db.session() as session:
        acknowledgments.acknowledge(
            session, person=teller, version=version, opened_at=opened, reached_at=None
        )
    assert _figures(db)["CCH-01"] == (1, 2)

    with db.session() as session:
        person = staff_service.get_person(session, person_id=teller.id)
        staff_service.update_person(
            session, person=person, changes={"position": Position.lobby_manager}, actor_id=None
        )
    assert _figures(db)["CCH-01"] == (0, 1)

    with db.session() as session:
        staff_service.update_person(
            session, person=person, changes={"position": Position.teller}, actor_id=None
        )
    assert _figures(db)["CCH-01"] == (1, 2)

    publish_new_version(
        db, standard.code, effective=datetime.now(UTC).date().isoformat(), change_note="第二版"
    )
    assert _figures(db)["CCH-01"] == (0, 2)  # a new version: nobody has read it yet


def test_the_kept_page_follows_acknowledgments_team_names_and_language(db, client):
    """The report's rendered body is kept per scope and language: what HR reads after an
    acknowledgment, a renamed team or a switch of language is never the kept old page."""
    team = make_team(db, name="柜面一组")
    teller = make_person(db, position=Position.teller, team=team)
    make_person(db, position=Position.teller, team=team)
    _, version = make_standard(db, code="CCH-02", positions=["teller"])
    client.login(make_person(db, role=Role.hr).employee_no, PASSWORD)
    first = client.get("/acknowledgments/report").text
    assert "0 of 2 done" in first and "柜面一组" in first
    assert client.get("/acknowledgments/report").text == first  # kept, the same page

    with db.session() as session:
        acknowledgments.acknowledge(
            session,
            person=teller,
            version=version,
            opened_at=datetime.now(UTC) - timedelta(minutes=2),
            reached_at=None,
        )
        staff_units.save_team(
            session,
            team=team,
            branch_id=team.branch_id,
            name="柜面三组",
            active=True,
            supervisor_ids=[],
            actor_id=None,
        )
    after = client.get("/acknowledgments/report").text
    assert "1 of 2 done" in after
    assert "柜面三组" in after and "柜面一组" not in after

    client.submit("/language", {"locale": "zh_CN", "next": "/"})
    assert "已完成 1/2" in client.get("/acknowledgments/report").text
