"""The whole-region coverage report is cached per worker, and never shows stale figures:
acknowledging, a person changing position or leaving, and publishing each change it."""

from datetime import UTC, datetime, timedelta

from staff import service as staff_service
from staff.models import Position
from standards import acknowledgments, coverage
from standards import service as standards_service
from tests.factories import make_person, make_standard, make_team


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

    with db.session() as session:
        draft = standards_service.new_draft(session, standard=standard, actor_id=None)
        standards_service.publish(
            session,
            standard=standard,
            version=draft,
            effective_date=datetime.now(UTC).date(),
            change_note="第二版",
            actor_id=None,
        )
    assert _figures(db)["CCH-01"] == (0, 2)  # a new version: nobody has read it yet
