"""After submission: the employee acknowledges or disputes within the window, HR or a second
supervisor resolves (uphold or amend), both sides see the outcome; amendments keep history."""

import re
from datetime import timedelta

from sqlmodel import select

from audits import disputes, submission
from audits.models import Amendment, Audit, Dispute, DisputeOutcome, ItemResult, Outcome
from audits.saves import ItemState
from frontline.audit_trail import AuditTrailEvent
from staff.models import Person, Role
from tests.audits.taking_helpers import make_branch_staff, make_checklist, signed_in, start, tap
from tests.concurrency import at_once
from tests.factories import make_person, supervise


def _submitted(db, make_client, staff, *, fail_first=True):
    template, _v, items = make_checklist(db)
    auditor = signed_in(make_client, staff.supervisor)
    audit_id = start(auditor, template, person_id=staff.employee.id)
    for n, item in enumerate(items):
        outcome = "fail" if fail_first and n == 0 else "pass"
        tap(auditor, audit_id, item.id, seq=1, outcome=outcome, note="未举手招迎" if n == 0 else "")
    response = auditor.post(f"/audits/{audit_id}/submit", data={"csrf_token": auditor.token})
    assert response.status_code == 303
    return audit_id, items, auditor


def _post(client, url, data=None):
    return client.post(url, data={"csrf_token": client.token, **(data or {})})


def _audit(db, audit_id):
    with db.session(write=False) as session:
        return session.get(Audit, audit_id)


def test_the_employee_sees_their_audit_and_acknowledges_it(db, make_client):
    staff = make_branch_staff(db)
    audit_id, _items, _auditor = _submitted(db, make_client, staff)
    employee = signed_in(make_client, staff.employee)
    home = employee.get("/").text
    assert f'href="/audits/{audit_id}"' in home  # waiting on the home page
    page = employee.get(f"/audits/{audit_id}").text
    assert "未举手招迎" in page and 'action="/audits/' in page
    assert _post(employee, f"/audits/{audit_id}/acknowledge").status_code == 303
    assert _audit(db, audit_id).acknowledged_at is not None
    # Once acknowledged it cannot be disputed, nor acknowledged twice.
    assert _post(employee, f"/audits/{audit_id}/dispute", {"reason": "x"}).status_code == 409
    assert _post(employee, f"/audits/{audit_id}/acknowledge").status_code == 409
    # Someone else's audit is invisible to an employee.
    colleague = signed_in(make_client, make_person(db, team=staff.team))
    assert colleague.get(f"/audits/{audit_id}").status_code == 404
    assert _post(colleague, f"/audits/{audit_id}/acknowledge").status_code == 404


def test_dispute_window_and_reason(db, make_client):
    staff = make_branch_staff(db)
    audit_id, _items, _auditor = _submitted(db, make_client, staff)
    employee = signed_in(make_client, staff.employee)
    blank = _post(employee, f"/audits/{audit_id}/dispute", {"reason": "  "})
    assert blank.status_code == 400 and "Say what is wrong" in blank.text
    # Eight days later the default seven-day window has closed.
    with db.session() as session:
        audit = session.get(Audit, audit_id)
        audit.submitted_at = audit.submitted_at - timedelta(days=8)
        session.add(audit)
    late = _post(employee, f"/audits/{audit_id}/dispute", {"reason": "不是我"})
    assert late.status_code == 409 and "7 days" in late.text
    assert "have passed" in employee.get(f"/audits/{audit_id}").text


def test_the_window_is_a_setting(db, make_client, app):
    app.state.settings.audit_dispute_days = 10
    staff = make_branch_staff(db)
    audit_id, _items, _auditor = _submitted(db, make_client, staff)
    with db.session() as session:
        audit = session.get(Audit, audit_id)
        audit.submitted_at = audit.submitted_at - timedelta(days=8)
        session.add(audit)
    employee = signed_in(make_client, staff.employee)
    assert _post(employee, f"/audits/{audit_id}/dispute", {"reason": "不是我"}).status_code == 303


def test_hr_upholds_and_both_sides_see_the_outcome(db, make_client):
    staff = make_branch_staff(db)
    audit_id, _items, auditor = _submitted(db, make_client, staff)
    employee = signed_in(make_client, staff.employee)
    assert (
        _post(employee, f"/audits/{audit_id}/dispute", {"reason": "客户先走开了"}).status_code
        == 303
    )
    # The auditor may not judge their own audit; the disputer may not either.
    assert "Uphold the audit" not in auditor.get(f"/audits/{audit_id}").text
    assert (
        _post(
            auditor, f"/audits/{audit_id}/dispute/resolve", {"outcome": "upheld", "note": "x"}
        ).status_code
        == 409
    )
    assert (
        _post(
            employee, f"/audits/{audit_id}/dispute/resolve", {"outcome": "upheld", "note": "x"}
        ).status_code
        == 403
    )
    hr = signed_in(make_client, make_person(db, role=Role.hr))
    assert "客户先走开了" in hr.get("/audits/disputes").text
    assert (
        _post(
            hr, f"/audits/{audit_id}/dispute/resolve", {"outcome": "upheld", "note": ""}
        ).status_code
        == 400
    )
    done = _post(
        hr, f"/audits/{audit_id}/dispute/resolve", {"outcome": "upheld", "note": "录像显示未招迎"}
    )
    assert done.status_code == 303
    for side in (employee, auditor):
        page = side.get(f"/audits/{audit_id}").text
        assert "Upheld" in page and "录像显示未招迎" in page
    with db.session(write=False) as session:
        actions = [e.action for e in session.exec(select(AuditTrailEvent)).all()]
    assert "audit.dispute" in actions and "audit.resolve_dispute" in actions


def test_a_second_supervisor_amends_and_the_history_keeps_it(db, make_client):
    staff = make_branch_staff(db)
    audit_id, items, _auditor = _submitted(db, make_client, staff)
    before = _audit(db, audit_id).score
    employee = signed_in(make_client, staff.employee)
    assert ">Fail<" in _result_row(employee.get(f"/audits/{audit_id}").text, items[0].id)
    _post(employee, f"/audits/{audit_id}/dispute", {"reason": "我举手了"})
    second = make_person(db, role=Role.supervisor)
    supervise(db, supervisor=second, team=staff.team)
    client = signed_in(make_client, second)
    form = client.get(f"/audits/{audit_id}/amend?dispute=1")
    assert form.status_code == 200
    data = {"dispute": "1", "reason": "录像显示已举手", f"outcome-{items[0].id}": "pass"}
    unchanged = _post(client, f"/audits/{audit_id}/amend", {"dispute": "1", "reason": "x"})
    assert unchanged.status_code == 400 and "Nothing was changed" in unchanged.text
    done = _post(client, f"/audits/{audit_id}/amend", data)
    assert done.status_code == 303
    audit = _audit(db, audit_id)
    assert audit.score == 100.0 and audit.score != before and audit.revision == 1
    with db.session(write=False) as session:
        dispute = session.exec(select(Dispute)).one()
        amendment = session.exec(select(Amendment)).one()
    assert dispute.outcome == DisputeOutcome.amended and amendment.dispute_id == dispute.id
    assert amendment.changes[0]["before"]["outcome"] == "fail"
    assert amendment.score_before == before and amendment.score_after == 100.0
    page = employee.get(f"/audits/{audit_id}").text
    assert "Amended" in page and "录像显示已举手" in page and "Amendment 1" in page
    # The row's cells are kept rendered by their values: the amended result shows.
    row = _result_row(page, items[0].id)
    assert ">Pass<" in row and ">Fail<" not in row and "3 / 3" in row


def _result_row(page: str, item_id: int) -> str:
    found = re.search(rf'<tr id="result-{item_id}".*?</tr>', page, re.S)
    assert found, page
    return found.group(0)


def test_two_amendments_at_once_are_numbered_one_after_the_other(db, database_url, make_client):
    """The second waits for the first (PostgreSQL: the audit is locked) and builds on it,
    rather than failing on the amendment's number or undoing the first's change."""
    staff = make_branch_staff(db)
    audit_id, items, _auditor = _submitted(db, make_client, staff)

    def amend(session, item, outcome):
        audit = session.get(Audit, audit_id)
        actor = session.get(Person, staff.supervisor.id)
        changes = {item.id: ItemState(outcome)}
        return submission.amend_audit(
            session, audit=audit, changes=changes, reason="录像复核", actor=actor
        ).number

    def hold(session):
        session.exec(select(Audit).where(Audit.id == audit_id).with_for_update()).one()

    done = at_once(
        db,
        database_url,
        hold=hold,
        first=lambda session: amend(session, items[0], Outcome.passed),
        second=lambda session: amend(session, items[1], Outcome.failed),
    )
    assert done[1:] == (1, 2)
    with db.session(write=False) as session:
        outcomes = {
            r.item_id: r.outcome
            for r in session.exec(select(ItemResult).where(ItemResult.audit_id == audit_id))
        }
    assert _audit(db, audit_id).revision == 2
    assert (outcomes[items[0].id], outcomes[items[1].id]) == (Outcome.passed, Outcome.failed)


def test_amendments_need_a_reason_and_the_right_person(db, make_client):
    staff = make_branch_staff(db)
    audit_id, items, auditor = _submitted(db, make_client, staff)
    employee = signed_in(make_client, staff.employee)
    data = {f"outcome-{items[0].id}": "pass"}
    assert employee.get(f"/audits/{audit_id}/amend").status_code == 403
    assert _post(employee, f"/audits/{audit_id}/amend", {**data, "reason": "x"}).status_code == 403
    assert _audit(db, audit_id).revision == 0
    no_reason = _post(auditor, f"/audits/{audit_id}/amend", data)
    assert no_reason.status_code == 400 and "Give the reason" in no_reason.text
    bad_na = _post(
        auditor, f"/audits/{audit_id}/amend", {f"outcome-{items[0].id}": "na", "reason": "x"}
    )
    assert bad_na.status_code == 400 and "N/A is not allowed" in bad_na.text
    assert (
        _post(auditor, f"/audits/{audit_id}/amend", {**data, "reason": "看错了"}).status_code == 303
    )
    assert _audit(db, audit_id).revision == 1


def test_the_disputes_list_pages_through_every_open_dispute(db, make_client, monkeypatch):
    monkeypatch.setattr(disputes, "DISPUTES_PAGE", 1)
    staff = make_branch_staff(db)
    employee = signed_in(make_client, staff.employee)
    for reason in ("第一条异议", "第二条异议"):
        audit_id, _items, _auditor = _submitted(db, make_client, staff)
        assert _post(employee, f"/audits/{audit_id}/dispute", {"reason": reason}).status_code == 303
    hr = signed_in(make_client, make_person(db, role=Role.hr))
    first, second = hr.get("/audits/disputes").text, hr.get("/audits/disputes?page=2").text
    assert "第一条异议" in first and "第二条异议" not in first  # oldest first
    assert "第二条异议" in second and "2–2 of 2" in second
    assert 'href="/audits/disputes?page=2" rel="next"' in first


def test_the_audit_list_counts_its_shelf_on_every_page(db, make_client, monkeypatch):
    """The page's rows carry the shelf's count; past the last page, the last page shows."""
    from audits import taking_views

    monkeypatch.setattr(taking_views, "PAGE_SIZE", 2)
    staff = make_branch_staff(db)
    ids = [_submitted(db, make_client, staff, fail_first=False)[0] for _ in range(3)]
    auditor = signed_in(make_client, staff.supervisor)
    # HR's shelf is every audit, paged through its index and counted on its own.
    hr = signed_in(make_client, make_person(db, role=Role.hr))

    for viewer in (auditor, hr):

        def shown(page, viewer=viewer):
            text = viewer.get(f"/audits?shelf=submitted&page={page}").text
            pager = re.search(r"(\d+)–(\d+) of (\d+)", text)
            return pager and pager.groups(), sorted(
                int(i) for i in re.findall(r'href="/audits/(\d+)"', text)
            )

        newest_first = sorted(ids)
        assert shown(1) == (("1", "2", "3"), newest_first[1:])
        assert shown(2) == (("3", "3", "3"), newest_first[:1])
        assert shown(9) == shown(2)
    assert "No drafts" in auditor.get("/audits?shelf=drafts&page=3").text


def test_the_disputed_shelf_holds_open_disputes_in_the_viewers_scope(db, make_client):
    here, there = make_branch_staff(db), make_branch_staff(db)
    disputed = {}
    for staff in (here, there):
        audit_id = _submitted(db, make_client, staff)[0]
        employee = signed_in(make_client, staff.employee)
        assert (
            _post(employee, f"/audits/{audit_id}/dispute", {"reason": "不是我"}).status_code == 303
        )
        disputed[staff.supervisor.id] = audit_id
    _submitted(db, make_client, here)  # not disputed

    def listed(client):
        text = client.get("/audits?shelf=disputed").text
        return sorted(int(i) for i in re.findall(r'href="/audits/(\d+)"', text))

    assert listed(signed_in(make_client, here.supervisor)) == [disputed[here.supervisor.id]]
    assert listed(signed_in(make_client, there.supervisor)) == [disputed[there.supervisor.id]]
    hr = signed_in(make_client, make_person(db, role=Role.hr))
    assert listed(hr) == sorted(disputed.values())
    resolved = _post(
        hr,
        f"/audits/{disputed[here.supervisor.id]}/dispute/resolve",
        {"outcome": "upheld", "note": "录像为证"},
    )
    assert resolved.status_code == 303
    assert listed(hr) == [disputed[there.supervisor.id]]
