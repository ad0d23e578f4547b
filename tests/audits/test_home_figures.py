"""The audits panels on the home page count in SQL what the lists show: a supervisor's drafts,
the disputes they may resolve, the open correction actions of their teams and branch (and how
many are overdue); an employee's audits to answer and their disputes."""

from datetime import date, timedelta

from sqlmodel import select

from audits import actions, disputes, home_figures, taking_lists
from audits.models import CorrectionAction, Subject
from staff import service as staff_service
from staff.models import Role
from tests.audits.taking_helpers import make_branch_staff, make_checklist, signed_in, start, tap
from tests.factories import make_person, make_team, supervise

SOON = (date.today() + timedelta(days=14)).isoformat()


def _post(client, url, data=None):  # type: ignore[no-untyped-def]
    return client.post(url, data={"csrf_token": client.token, **(data or {})})


def _audit_with_actions(auditor, template, items, **subject):  # type: ignore[no-untyped-def]
    """A submitted audit failing both items, each with a correction action."""
    audit_id = start(auditor, template, **subject)
    for item in items:
        tap(auditor, audit_id, item.id, seq=1, outcome="fail", note="未做到")
    assert _post(auditor, f"/audits/{audit_id}/submit").status_code == 303
    for item in items:
        data = {"item_id": item.id, "deadline": SOON}
        assert _post(auditor, f"/audits/{audit_id}/actions", data).status_code == 303
    return audit_id


def _expected(session, viewer):  # type: ignore[no-untyped-def]
    """The figures as the lists behind the panel's links show them."""
    in_scope = actions.actions_in_scope(session, viewer=viewer, today=date.today())
    assert in_scope.pages == 1  # every row is on the one page: overdue counted from them
    return home_figures.SupervisorFigures(
        drafts=taking_lists.shelf_counts(
            session, scope=taking_lists.scope_of(session, viewer=viewer)
        )["drafts"],
        to_resolve=disputes.open_disputes_for(session, viewer=viewer).total,
        open_actions=in_scope.total,
        overdue_actions=sum(1 for row in in_scope.rows if row.overdue),
    )


def test_supervisor_figures_count_what_the_lists_show(db, make_client):
    staff = make_branch_staff(db)
    colleague = make_person(db, role=Role.supervisor, name="副主管")
    supervise(db, supervisor=colleague, team=staff.team)
    other_boss = make_person(db, role=Role.supervisor)
    other_team = make_team(db, supervisors=[other_boss])
    outsider = make_person(db, team=other_team)
    hr = make_person(db, role=Role.hr)
    admin = make_person(db, role=Role.admin)
    template, _v, items = make_checklist(db, sections=[("礼仪", [{"points": 3}, {"points": 2}])])
    auditor = signed_in(make_client, staff.supervisor)
    disputed = _audit_with_actions(auditor, template, items, person_id=staff.employee.id)
    branch_checklist, _bv, branch_items = make_checklist(
        db, subject=Subject.branch, sections=[("环境", [{"points": 2}])]
    )
    _audit_with_actions(auditor, branch_checklist, branch_items, branch_id=staff.team.branch_id)
    start(auditor, template, person_id=staff.employee.id)  # two drafts
    start(auditor, template, person_id=staff.employee.id)
    elsewhere = signed_in(make_client, other_boss)
    _audit_with_actions(elsewhere, template, items, person_id=outsider.id)
    start(elsewhere, template, person_id=outsider.id)
    employee = signed_in(make_client, staff.employee)
    assert _post(employee, f"/audits/{disputed}/dispute", {"reason": "不是我"}).status_code == 303
    with db.session() as session:  # one of the team's actions is overdue since yesterday
        action = session.exec(
            select(CorrectionAction).where(CorrectionAction.person_id == staff.employee.id)
        ).first()
        assert action is not None
        action.deadline_date = date.today() - timedelta(days=1)
        session.add(action)

    with db.session() as session:
        figures = {}
        for person in (staff.supervisor, colleague, other_boss, hr, admin):
            viewer = staff_service.get_person(session, person_id=person.id)
            assert viewer is not None
            figures[person.name] = home_figures.supervisor_figures(
                session, viewer=viewer, today=date.today()
            )
            assert figures[person.name] == _expected(session, viewer), person.name
    # The data exercises each rule: the auditor's own drafts, a colleague resolves the dispute
    # the auditor may not, the branch's action counts for its supervisors, HR sees the bank.
    assert figures[staff.supervisor.name] == home_figures.SupervisorFigures(2, 0, 3, 1)
    assert figures[colleague.name] == home_figures.SupervisorFigures(0, 1, 3, 1)
    assert figures[other_boss.name] == home_figures.SupervisorFigures(1, 0, 2, 0)
    assert figures[hr.name] == home_figures.SupervisorFigures(0, 1, 5, 1)

    page = signed_in(make_client, colleague).get("/").text
    assert "1 dispute to resolve" in page and "3 open correction actions" in page
    assert "1 overdue" in page
    page = auditor.get("/").text
    assert "2 drafts" in page and "0 disputes to resolve" in page


def test_an_employee_sees_audits_to_answer_and_their_disputes(db, make_client):
    staff = make_branch_staff(db)
    template, _v, items = make_checklist(db, sections=[("礼仪", [{"points": 3}])])
    auditor = signed_in(make_client, staff.supervisor)
    first = _audit_with_actions(auditor, template, items, person_id=staff.employee.id)
    second = _audit_with_actions(auditor, template, items, person_id=staff.employee.id)
    employee = signed_in(make_client, staff.employee)
    assert _post(employee, f"/audits/{first}/dispute", {"reason": "不是我"}).status_code == 303
    with db.session() as session:
        waiting = home_figures.to_answer(session, person_id=staff.employee.id)
        mine = home_figures.recent_outcomes(session, person_id=staff.employee.id)
    assert [row.id for row in waiting] == [second]  # the disputed one waits no more
    assert [(row.audit_id, row.status.value) for row in mine] == [(first, "open")]
    home = employee.get("/").text
    assert "1 audit waits for your acknowledgment." in home
    assert f'href="/audits/{first}#answer"' in home and "waiting" in home
