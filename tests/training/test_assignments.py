"""Assignments as rules: targets, due dates, late joiners, movers and leavers, withdrawal."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import delete, select

from staff import service as staff_service
from staff.models import Position, Role
from tests.concurrency import at_once
from tests.factories import make_branch, make_person, make_team, supervise
from tests.training.duties import complete, duties, make_module
from training import assignments, enrollment
from training.assignments import AssignmentRefused, Due, Target
from training.enrollment import bank_today
from training.models import Assignment, Enrollment, TargetKind, VersionStatus


def _assign(db, actor, module, target, due=None, reason="新员工培训"):  # type: ignore[no-untyped-def]
    with db.session() as session:
        actor = staff_service.get_person(session, person_id=actor.id)
        assignment, enrolled = assignments.create_assignment(
            session,
            module_id=module.id,
            target=target,
            due=due or Due(days=14),
            reason=reason,
            actor=actor,
        )
        session.expunge(assignment)
        return assignment, enrolled


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    branch = make_branch(db)
    team_a = make_team(db, branch=branch, name="柜面一组")
    team_b = make_team(db, branch=branch, name="大堂")
    other = make_team(db, name="远程客服")
    hr = make_person(db, role=Role.hr)
    boss = make_person(db, role=Role.supervisor, position=Position.branch_manager, team=team_a)
    supervise(db, supervisor=boss, team=team_a)
    tellers = [make_person(db, position=Position.teller, team=team_a) for _ in range(3)]
    lobby = make_person(db, position=Position.lobby_manager, team=team_b)
    agent = make_person(db, position=Position.call_agent, team=other)
    return {
        "branch": branch, "team_a": team_a, "team_b": team_b, "other": other, "hr": hr,
        "boss": boss, "tellers": tellers, "lobby": lobby, "agent": agent,
    }  # fmt: skip


def test_a_team_assignment_enrolls_its_members_with_their_due_date(db, org):
    module = make_module(db, code="CTR-101")
    _, enrolled = _assign(db, org["hr"], module, Target(TargetKind.team, org["team_a"].id))
    assert enrolled == 4  # three tellers and their branch manager
    duty = duties(db, person_id=org["tellers"][0].id)[module.id]
    assert duty.due_on == bank_today() + timedelta(days=14)
    assert duties(db, person_id=org["lobby"].id) == {}


def test_branch_and_position_targets(db, org):
    by_branch = make_module(db, code="BR-1")
    by_position = make_module(db, code="POS-1")
    _, n_branch = _assign(db, org["hr"], by_branch, Target(TargetKind.branch, org["branch"].id))
    _, n_position = _assign(
        db, org["hr"], by_position, Target(TargetKind.position, position=Position.call_agent)
    )
    assert n_branch == 5 and n_position == 1
    assert by_position.id in duties(db, person_id=org["agent"].id)


def test_a_fixed_date_and_a_late_joiner_gets_their_own_relative_date(db, org):
    fixed = make_module(db, code="FIX-1")
    relative = make_module(db, code="REL-1")
    due = bank_today() + timedelta(days=30)
    _assign(db, org["hr"], fixed, Target(TargetKind.team, org["team_a"].id), Due(on=due))
    _assign(db, org["hr"], relative, Target(TargetKind.position, position=Position.teller))
    newcomer = make_person(db, position=Position.teller, team=org["team_a"])
    mine = duties(db, person_id=newcomer.id)
    assert mine[fixed.id].due_on == due
    assert mine[relative.id].due_on == bank_today() + timedelta(days=14)


def test_a_mover_leaves_unfinished_duties_and_keeps_what_they_finished(db, org):
    done = make_module(db, code="DONE-1")
    open_ = make_module(db, code="OPEN-1")
    lobby_only = make_module(db, code="LOBBY-1")
    for module in (done, open_):
        _assign(db, org["hr"], module, Target(TargetKind.team, org["team_a"].id))
    _assign(db, org["hr"], lobby_only, Target(TargetKind.team, org["team_b"].id))
    mover = org["tellers"][0]
    complete(db, person_id=mover.id, module_id=done.id, at=datetime.now(UTC))
    with db.session() as session:
        person = staff_service.get_person(session, person_id=mover.id)
        staff_service.update_person(
            session, person=person, changes={"team_id": org["team_b"].id}, actor_id=None
        )
    mine = duties(db, person_id=mover.id)
    assert mine[done.id].completed_at is not None and mine[done.id].withdrawn_at is not None
    assert mine[open_.id].withdrawn_at is not None and mine[open_.id].completed_at is None
    assert mine[lobby_only.id].withdrawn_at is None  # the new team's rule enrolled them
    # Coming back takes up the old duty again, with what they had done.
    with db.session() as session:
        person = staff_service.get_person(session, person_id=mover.id)
        staff_service.update_person(
            session, person=person, changes={"team_id": org["team_a"].id}, actor_id=None
        )
    mine = duties(db, person_id=mover.id)
    assert mine[done.id].withdrawn_at is None and mine[done.id].completed_at is not None
    assert mine[lobby_only.id].withdrawn_at is not None


def test_a_supervisor_assigns_only_to_their_own_teams_and_people(db, org):
    module = make_module(db, code="SUP-1")
    _, n = _assign(db, org["boss"], module, Target(TargetKind.person, org["tellers"][1].id))
    assert n == 1
    for target in (
        Target(TargetKind.team, org["team_b"].id),
        Target(TargetKind.person, org["agent"].id),
        Target(TargetKind.position, position=Position.teller),
        Target(TargetKind.branch, org["branch"].id),
    ):
        with pytest.raises(AssignmentRefused):
            _assign(db, org["boss"], module, target)
    with pytest.raises(AssignmentRefused):
        _assign(db, org["tellers"][0], module, Target(TargetKind.person, org["tellers"][1].id))


def test_only_published_modules_and_sensible_due_dates(db, org):
    draft = make_module(db, code="DRAFT-1", status=VersionStatus.draft)
    module = make_module(db, code="DUE-1")
    target = Target(TargetKind.team, org["team_a"].id)
    for bad_module, due in (
        (draft, Due(days=7)),
        (module, Due(on=bank_today() - timedelta(days=1))),
        (module, Due(days=0)),
        (module, Due(on=bank_today(), days=3)),
        (module, Due()),
    ):
        with pytest.raises(AssignmentRefused):
            _assign(db, org["hr"], bad_module, target, due)


def test_an_exam_is_due_when_its_window_closes(db, org):
    closes = bank_today() + timedelta(days=20)
    exam = make_module(db, code="EXAM-Q1", exam=(bank_today(), closes))
    assignment, _ = _assign(
        db, org["hr"], exam, Target(TargetKind.position, position=Position.teller)
    )
    assert assignment.due_date == closes
    assert duties(db, person_id=org["tellers"][0].id)[exam.id].due_on == closes


def test_withdrawing_ends_duties_unless_another_rule_holds_them(db, org):
    module = make_module(db, code="WD-1")
    by_team, _ = _assign(db, org["hr"], module, Target(TargetKind.team, org["team_a"].id))
    by_person, _ = _assign(db, org["hr"], module, Target(TargetKind.person, org["tellers"][2].id))
    with db.session() as session:
        hr = staff_service.get_person(session, person_id=org["hr"].id)
        rule = assignments.get_assignment(session, assignment_id=by_team.id)
        ended = assignments.withdraw_assignment(session, assignment=rule, reason="重复", actor=hr)
    assert ended == 3
    kept = duties(db, person_id=org["tellers"][2].id)[module.id]
    assert kept.withdrawn_at is None and kept.assignment_id == by_person.id
    assert duties(db, person_id=org["tellers"][0].id)[module.id].withdrawn_at is not None


def test_changing_the_due_date_moves_unfinished_duties(db, org):
    module = make_module(db, code="UPD-1")
    rule, _ = _assign(db, org["hr"], module, Target(TargetKind.team, org["team_a"].id))
    finished = org["tellers"][0]
    complete(db, person_id=finished.id, module_id=module.id, at=datetime.now(UTC))
    new_due = bank_today() + timedelta(days=60)
    with db.session() as session:
        hr = staff_service.get_person(session, person_id=org["hr"].id)
        rule = assignments.get_assignment(session, assignment_id=rule.id)
        moved = assignments.update_due(
            session, assignment=rule, due=Due(on=new_due), reason="延期", actor=hr
        )
    assert moved == 3
    assert duties(db, person_id=org["tellers"][1].id)[module.id].due_on == new_due
    assert duties(db, person_id=finished.id)[module.id].due_on != new_due


def test_modules_covering_each_standard_in_one_read(db):
    from training import service

    make_module(db, code="M-B", standards=("GRT-01", "CTR-02"))
    make_module(db, code="M-A", standards=("GRT-01",))
    make_module(db, code="M-DRAFT", standards=("GRT-01",), status=VersionStatus.draft)
    with db.session() as session:
        found = service.modules_covering_each(
            session, standard_codes={"GRT-01", "CTR-02", "NONE-9"}
        )
    assert {code: [m.code for m in modules] for code, modules in found.items()} == {
        "GRT-01": ["M-A", "M-B"],
        "CTR-02": ["M-B"],
        "NONE-9": [],
    }


def test_assign_module_to_person_as_audits_use_it(db, org):
    from training import service

    module = make_module(db, code="AUD-1", standards=("GRT-01",))
    with db.session() as session:
        boss = staff_service.get_person(session, person_id=org["boss"].id)
        service.assign_module_to_person(
            session,
            module_id=module.id,
            person_id=org["tellers"][0].id,
            due_on=bank_today() + timedelta(days=10),
            actor=boss,
            reason="audit 12: greeting failed",
        )
        covering = service.modules_covering_each(session, standard_codes=["GRT-01"])
        assert [m.code for m in covering["GRT-01"]] == ["AUD-1"]
        with pytest.raises(AssignmentRefused):
            service.assign_module_to_person(
                session,
                module_id=module.id,
                person_id=org["agent"].id,
                due_on=bank_today() + timedelta(days=10),
                actor=boss,
                reason="not my team",
            )
    assert module.id in duties(db, person_id=org["tellers"][0].id)


def test_exam_results_per_person_team_and_branch(client, db, org):
    from tests.factories import PASSWORD

    closes = bank_today() + timedelta(days=20)
    exam = make_module(db, code="EXAM-Q4", exam=(bank_today() - timedelta(days=1), closes))
    _assign(db, org["hr"], exam, Target(TargetKind.team, org["team_a"].id))
    tellers = org["tellers"]
    complete(db, person_id=tellers[0].id, module_id=exam.id, at=datetime.now(UTC), score=95.0)
    complete(db, person_id=tellers[1].id, module_id=exam.id, at=datetime.now(UTC), score=85.0)
    client.login(org["hr"].employee_no, PASSWORD)
    html = client.get("/training/exams").text
    row = html[html.index('<th scope="row">EXAM-Q4') :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")]
    assert "Open now" in row
    assert cells[1:5] == ["4", "2", "2", "90.0"]  # assigned, passed, not yet, average
    by_team = client.get(f"/training/dashboard?group=team&module={exam.id}").text
    assert "柜面一组" in by_team
    assert client.get(f"/training/dashboard?group=branch&module={exam.id}").status_code == 200
    employee = client.__class__(client.app)
    with employee:
        employee.login(tellers[0].employee_no, PASSWORD)
        assert employee.get("/training/exams").status_code == 403


def test_two_rules_reaching_one_person_at_once_both_stand(db, database_url, org):
    """Two assignments of one module made at once (HR for the branch, the supervisor for the
    team) both find the teller not enrolled; on PostgreSQL the second's insert waits for the
    first, which commits the row: the second takes it as already due instead of failing."""
    module = make_module(db, code="CTR-RACE")
    teller = org["tellers"][0]
    first, _ = _assign(db, org["hr"], module, Target(TargetKind.person, teller.id))
    with db.session(write=True) as session:
        session.exec(delete(Enrollment))
    second, _ = _assign(db, org["hr"], module, Target(TargetKind.team, org["team_a"].id))
    with db.session(write=True) as session:
        session.exec(delete(Enrollment))

    def hold(session):  # the first rule's row, written and not yet committed
        session.add(
            Enrollment(person_id=teller.id, module_id=module.id, assignment_id=first.id,
                       due_on=bank_today())
        )  # fmt: skip
        session.flush()

    def enroll_team(session):
        rule = session.get(Assignment, second.id)
        people = [person.id for person in org["tellers"]]
        return enrollment.enroll_people(
            session, assignment=rule, person_ids=people, today=bank_today()
        )

    _, _, enrolled = at_once(db, database_url, hold=hold, second=enroll_team)
    assert enrolled == 2  # the two other tellers; the first teller's duty already stood
    with db.session() as session:
        rows = session.exec(select(Enrollment).where(Enrollment.module_id == module.id)).all()
    assert sorted(row.person_id for row in rows) == sorted(p.id for p in org["tellers"])
    held = next(row for row in rows if row.person_id == teller.id)
    assert held.assignment_id == first.id
