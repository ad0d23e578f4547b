"""Rollup pages are kept rendered per worker (scorecards/rollup_views.py), yet never stale: after
each kind of change to what they show, the page served equals one computed afresh, and differs
from the page before the change."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import col, select

from audits import recorded, submission
from audits.models import ActionStatus, Audit, AuditStatus, CorrectionAction, Outcome, TemplateItem
from audits.recorded_files import entries_from_yaml
from audits.saves import ItemState
from frontline.db import Database
from frontline.models import id_of, utcnow
from quizzes.models import Quiz
from scorecards import rollup_views
from scorecards import service as scorecards_service
from scorecards.figures import Weights
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Role, Team
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person
from tests.scorecards import activity, dataset
from training.models import Enrollment, RefresherFlag

Change = Callable[[Database, dataset.Bank], None]


def _renamed_team(db: Database, bank: dataset.Bank) -> None:
    with db.session() as session:
        team = session.get(Team, bank.t1.id)
        staff_units.save_team(
            session,
            team=team,
            branch_id=bank.branch1_id,
            name="柜面甲组",
            active=True,
            supervisor_ids=[bank.supervisor.id],
            actor_id=None,
        )


def _acknowledged(db: Database, bank: dataset.Bank) -> None:
    dataset.more_acknowledgments(db, bank)


def _audited(db: Database, bank: dataset.Bank) -> None:
    fails = {**activity.ALL_PASS, "CTR-01-11": "fail"}
    entries, problems = entries_from_yaml(
        "audits:\n" + activity._entry("employee: E0003", "2026-11-20T10:00:00+08:00", fails)
    )
    with db.session() as session:
        checked = recorded.check_entries(session, entries)
        assert not problems and not checked.problems
        recorded.store(session, checked=checked, actor_id=None)


def _amended(db: Database, bank: dataset.Bank) -> None:
    """甲's audit of 2 November failed CTR-01-12; an amendment passes it."""
    with db.session() as session:
        query = select(Audit).where(
            Audit.subject_person_id == bank.jia.id, Audit.status == AuditStatus.submitted
        )
        audit = session.exec(query.order_by(col(Audit.observed_at).desc())).first()
        assert audit is not None
        item = session.exec(
            select(TemplateItem).where(
                TemplateItem.version_id == audit.template_version_id,
                TemplateItem.code == "CTR-01-12",
            )
        ).one()
        amended = submission.amend_audit(
            session,
            audit=audit,
            changes={id_of(item): ItemState(Outcome.passed)},
            reason="复核录像后更正",
            actor=session.merge(bank.supervisor),
        )
        assert amended is not None


def _action_closed(db: Database, bank: dataset.Bank) -> None:
    with db.session() as session:
        query = select(CorrectionAction).where(CorrectionAction.status == ActionStatus.open)
        action = session.exec(query).first()
        assert action is not None
        action.status, action.closed_at = ActionStatus.done, utcnow()
        session.add(action)


def _attempted(db: Database, bank: dataset.Bank) -> None:
    with db.session() as session:
        quiz = session.exec(select(Quiz).where(Quiz.code == "SC-QZ")).one()
        activity._attempt(session, quiz.id, bank.bing.id, 1, 40, "2026-11-21 10:00")


def _enrollment_completed(db: Database, bank: dataset.Bank) -> None:
    with db.session() as session:
        enrollment = session.exec(
            select(Enrollment).where(Enrollment.person_id == bank.yi.id)
        ).one()
        for name, value in activity._done(date(2026, 11, 18)).items():
            setattr(enrollment, name, value)
        enrollment.updated_at = utcnow()  # as every write of training's services does
        session.add(enrollment)


def _refresher_confirmed(db: Database, bank: dataset.Bank) -> None:
    with db.session() as session:
        flag = session.exec(select(RefresherFlag)).one()
        flag.confirmed_at = utcnow()
        session.add(flag)


def _reweighted(db: Database, bank: dataset.Bank) -> None:
    with db.session() as session:
        weights = Weights(audits=10, training=10, quizzes=70, acknowledgments=10)
        scorecards_service.set_weights(session, weights=weights, note="", actor_id=bank.hr.id)


CHANGES: list[Change] = [
    _renamed_team,
    _acknowledged,
    _audited,
    _amended,
    _action_closed,
    _attempted,
    _enrollment_completed,
    _refresher_confirmed,
    _reweighted,
]


def _main(client: FrontlineClient, url: str) -> str:
    response = client.get(url, params=dataset.PERIOD)
    assert response.status_code == 200
    text = response.text
    return text[text.index("<main") : text.index("</main>")]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_rollup_shows_each_change_at_once(db, app, change):
    bank = dataset.build(db)
    activity.build(db, bank)
    url = f"/scorecards/branches/{bank.branch1_id}"
    with FrontlineClient(app) as client:
        client.login(bank.hr.employee_no, PASSWORD)
        before = _main(client, url)
        assert _main(client, url) == before  # kept, and the same
        change(db, bank)
        after = _main(client, url)
        rollup_views._bodies.clear()
        assert after == _main(client, url)  # the page kept is the page computed afresh
    assert after != before


def test_each_viewer_gets_the_body_of_their_own_scope_and_language(db, app):
    bank = dataset.build(db)
    hr_in_chinese = make_person(db, role=Role.hr, locale="zh_CN", employee_no="H0002")
    url = f"/scorecards/branches/{bank.branch1_id}"
    pages = {}
    for person in (bank.hr, bank.supervisor, hr_in_chinese):
        with FrontlineClient(app) as client:
            client.login(person.employee_no, PASSWORD)
            pages[person.employee_no] = _main(client, url)
    as_hr, as_supervisor, in_chinese = pages.values()
    # The supervisor sees their own team only, and no export links.
    assert "丙" in as_hr and "丙" not in as_supervisor
    assert "scorecards.csv" in as_hr and "scorecards.csv" not in as_supervisor
    assert "Ranking of people" in as_hr and "Ranking of people" not in in_chinese


def test_changes_about_other_people_keep_a_units_page(db, app, monkeypatch):
    """A busy bank changes something every few seconds; a unit's page is computed again only
    when something about its own people (or the bank-wide rules) changes."""
    bank = dataset.build(db)
    activity.build(db, bank)
    computed = []
    compute = scorecards_service.unit_rollup

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        computed.append(kwargs["label"])
        return compute(*args, **kwargs)

    monkeypatch.setattr(scorecards_service, "unit_rollup", counting)
    with FrontlineClient(app) as client:
        client.login(bank.hr.employee_no, PASSWORD)
        _main(client, f"/scorecards/branches/{bank.branch1_id}")
        with db.session() as session:  # 丁 works in the other branch
            quiz = session.exec(select(Quiz).where(Quiz.code == "SC-QZ")).one()
            activity._attempt(session, quiz.id, bank.ding.id, 1, 55, "2026-11-22 10:00")
        _main(client, f"/scorecards/branches/{bank.branch1_id}")
        assert len(computed) == 1
        _main(client, f"/scorecards/branches/{bank.branch2_id}")
        assert len(computed) == 2


def _moved(db: Database, bank: dataset.Bank, team: Team) -> None:
    with db.session() as session:
        ding = staff_service.get_person(session, person_id=bank.ding.id)
        assert ding is not None
        staff_service.update_person(
            session, person=ding, changes={"team_id": team.id}, actor_id=None
        )


def test_a_move_into_or_out_of_a_branch_shows_on_its_page(db, app):
    """A branch's page is kept under its people's ids (on PostgreSQL) or their count and latest
    change: a person moving into the branch, or out of it again, shows at once."""
    bank = dataset.build(db)
    activity.build(db, bank)
    url = f"/scorecards/branches/{bank.branch1_id}"
    with FrontlineClient(app) as client:
        client.login(bank.hr.employee_no, PASSWORD)
        before = _main(client, url)
        assert "丁" not in before
        _moved(db, bank, bank.t1)  # 丁 comes from the other branch
        joined = _main(client, url)
        rollup_views._bodies.clear()
        assert joined == _main(client, url)
        assert "丁" in joined
        _moved(db, bank, bank.t3)  # and goes back
        left = _main(client, url)
        rollup_views._bodies.clear()
        assert left == _main(client, url)
    assert "丁" not in left
